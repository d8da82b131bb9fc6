package flow

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// statusPrompter is a shownPrompter that also records the status lines.
type statusPrompter struct {
	shownPrompter
	smu      sync.Mutex
	statuses []prompt.Status
}

func (p *statusPrompter) SetStatus(_ context.Context, s prompt.Status) error {
	p.smu.Lock()
	defer p.smu.Unlock()
	p.statuses = append(p.statuses, s)
	return nil
}

// waitStatus waits up to 2 s for a status line containing text.
func (p *statusPrompter) waitStatus(t *testing.T, text string) {
	t.Helper()
	for range 200 {
		p.smu.Lock()
		for _, s := range p.statuses {
			if strings.Contains(s.Text, text) {
				p.smu.Unlock()
				return
			}
		}
		p.smu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no status line says %q", text)
}

// loopbackRun starts a loopback login that opens the browser with opener (nil: the system's),
// and returns the attempt and its result.
func loopbackRun(t *testing.T, ctx context.Context, port int, p prompt.Prompter, opener func(string) error) (*Attempt, <-chan error) {
	t.Helper()
	a := New(Attempt{Prompter: p, OpenBrowser: opener, LoopbackHost: "localhost", LoopbackPort: port,
		Browser: os.Getenv("BROWSER"), RuntimeDir: os.Getenv("XDG_RUNTIME_DIR"), Log: slog.New(slog.DiscardHandler)})
	a.OAuth.ClientID, a.OAuth.Endpoint.AuthURL = "client", "https://auth.example.test/authorize"
	done := make(chan error, 1)
	go func() {
		_, _, err := a.Run(ctx, Plan{Choice: Choice{Flow: prompt.FlowLoopback}, Browser: true})
		done <- err
	}()
	return a, done
}

// noRedirects is an HTTP client that reports a redirect instead of following it.
var noRedirects = &http.Client{Timeout: 5 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

var anyHTTPURL = regexp.MustCompile(`https?://[^\s"'<>\\]+`)

// attackerTries is another user on the machine: it reads the opener's command line (what
// /proc/<pid>/cmdline shows: the opener and its argument) and loads every http URL in it before
// the person's browser does. It returns the authorization URLs it was redirected to.
func attackerTries(t *testing.T, argv ...string) (stolen []string) {
	t.Helper()
	for _, u := range anyHTTPURL.FindAllString(strings.Join(argv, "\x00"), -1) {
		resp, err := noRedirects.Get(u)
		if err != nil {
			continue
		}
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && loc != "" {
			t.Errorf("the attacker loaded %s from the opener's arguments and was sent to the login page (%d)", u, resp.StatusCode)
			stolen = append(stolen, loc)
		}
	}
	return stolen
}

var (
	metaRefresh   = regexp.MustCompile(`<meta http-equiv="refresh" content="0;\s*url=([^"]+)">`)
	scriptReplace = regexp.MustCompile(`location\.replace\("([^"]+)"\)`)
	fallbackLink  = regexp.MustCompile(`<a href="([^"]+)"`)
)

// openFileLink is the person's browser opening what the opener was given: a file:// URL of a
// private page (0600, in a 0700 folder of the current user) whose redirect, script and link all
// lead to the start link. It returns the file's path and that link.
func openFileLink(t *testing.T, arg string) (path, link string) {
	t.Helper()
	u, err := url.Parse(arg)
	if err != nil || u.Scheme != "file" || u.RawQuery != "" || u.Fragment != "" {
		t.Fatalf("the opener was given %q, want a file:// URL", arg)
	}
	path = filepath.FromSlash(u.Path)
	if runtime.GOOS == "windows" {
		path = strings.TrimPrefix(path, `\`)
	}
	dir, err := os.Lstat(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !dir.IsDir() || !fi.Mode().IsRegular() {
		t.Fatalf("folder mode %v, file mode %v", dir.Mode(), fi.Mode())
	}
	if runtime.GOOS != "windows" && (dir.Mode().Perm() != 0o700 || fi.Mode().Perm() != 0o600) {
		t.Errorf("folder mode %v, file mode %v; want 0700 and 0600", dir.Mode().Perm(), fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	var targets []string
	for _, re := range []*regexp.Regexp{metaRefresh, scriptReplace, fallbackLink} {
		m := re.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("the page has no %v:\n%s", re, page)
		}
		targets = append(targets, html.UnescapeString(m[1]))
	}
	if targets[0] != targets[1] || targets[1] != targets[2] {
		t.Fatalf("the page leads to %q", targets)
	}
	return path, targets[0]
}

// followStart loads the start link as the person's browser and returns where it redirects.
func followStart(t *testing.T, link string, port int) string {
	t.Helper()
	if want := fmt.Sprintf("http://localhost:%d/start/", port); !strings.HasPrefix(link, want) || strings.ContainsAny(link, "?&=") {
		t.Fatalf("the page leads to %q, want %s<random>", link, want)
	}
	resp, err := noRedirects.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("the start link answered the person's browser %d", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// linkIsDead checks that the start link no longer leads anywhere: the listener is gone, or it
// answers that the link expired.
func linkIsDead(t *testing.T, link string) {
	t.Helper()
	resp, err := noRedirects.Get(link)
	if err != nil {
		return // the listener is closed
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusGone && resp.StatusCode != http.StatusNotFound {
		t.Errorf("the start link answered %d (Location %q), want 410 or 404", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp.StatusCode == http.StatusGone && !strings.Contains(string(body), "expired") {
		t.Errorf("the expired link's page says %q", body)
	}
}

// startAnswer loads the start link without following a redirect.
func startAnswer(t *testing.T, link string) (int, string) {
	t.Helper()
	resp, err := noRedirects.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func isGone(t *testing.T, path string) {
	t.Helper()
	for _, p := range []string{path, filepath.Dir(path)} {
		if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there (%v)", p, err)
		}
	}
}

// TestLoopbackOpenerSeesNoStartLink: the browser is opened on a private file, not on the start
// link, so another user reading the opener's command line finds nothing to load first. The
// person's browser reads the file and reaches the login page; the file, its folder and the link
// are gone when the login ends.
func TestLoopbackOpenerSeesNoStartLink(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	opened := make(chan string, 1)
	a, done := loopbackRun(t, context.Background(), port, &shownPrompter{}, func(u string) error { opened <- u; return nil })
	arg := <-opened
	attackerTries(t, "xdg-open", arg)
	path, link := openFileLink(t, arg)
	authURL := followStart(t, link, port)
	if u, err := url.Parse(authURL); err != nil || u.Query().Get("state") != a.state ||
		u.Query().Get("redirect_uri") != fmt.Sprintf("http://localhost:%d/callback/", port) {
		t.Fatalf("the start link sent the person to %q", authURL)
	}
	get(t, fmt.Sprintf("http://localhost:%d/callback/?state=%s&error=access_denied", port, a.state))
	if err := <-done; !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("Run: %v", err)
	}
	isGone(t, path)
	linkIsDead(t, link)
}

// TestLoopbackStartLinkExpiresWhenTheOpenerFails: once the opener fails nobody may use the
// start link (whoever learned it); the person is told to open the link shown instead.
func TestLoopbackStartLinkExpiresWhenTheOpenerFails(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	opened, fail := make(chan string, 1), make(chan struct{})
	p := &statusPrompter{}
	a, done := loopbackRun(t, context.Background(), port, p, func(u string) error {
		opened <- u
		<-fail
		return errors.New("no display")
	})
	arg := <-opened
	link, path := arg, ""
	if !strings.HasPrefix(arg, "http") {
		path, link = openFileLink(t, arg) // read while the opener runs
	}
	close(fail)
	p.waitStatus(t, "Could not open a browser (no display)")
	if status, page := startAnswer(t, link); status != http.StatusGone || !strings.Contains(page, "expired") {
		t.Errorf("after the opener failed the start link answered %d %q, want 410 and a page saying it expired", status, page)
	}
	if path != "" {
		isGone(t, path)
	}
	if l := p.waitShown(t, 1); !strings.HasPrefix(l.URL, "https://auth.example.test/authorize?") {
		t.Errorf("the login shows %q", l.URL)
	}
	get(t, fmt.Sprintf("http://localhost:%d/callback/?state=%s&error=access_denied", port, a.state))
	if err := <-done; !errors.Is(err, ErrAccessDenied) { // the shown link still works
		t.Fatalf("Run: %v", err)
	}
}

// TestLoopbackOpenFileGoesWhenTheLoginEnds: a login that ends before the browser loads the
// file leaves no file, folder or working link behind.
func TestLoopbackOpenFileGoesWhenTheLoginEnds(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	opened := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	_, done := loopbackRun(t, ctx, port, &shownPrompter{}, func(u string) error { opened <- u; return nil })
	path, link := openFileLink(t, <-opened)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Run: %v", err)
	}
	isGone(t, path)
	linkIsDead(t, link)
}

// TestSystemOpenerGetsTheFileURL: $BROWSER (like xdg-open) is run with the file URL as its only
// argument.
func TestSystemOpenerGetsTheFileURL(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script as $BROWSER")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "argv")
	script := filepath.Join(dir, "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$@\" > "+out+".tmp && mv "+out+".tmp "+out+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BROWSER", script)
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a, done := loopbackRun(t, ctx, port, &shownPrompter{}, nil)
	var argv []string
	for range 500 {
		if b, err := os.ReadFile(out); err == nil {
			argv = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(argv) != 1 {
		t.Fatalf("$BROWSER was run with %q", argv)
	}
	attackerTries(t, append([]string{script}, argv...)...)
	_, link := openFileLink(t, argv[0])
	followStart(t, link, port)
	get(t, fmt.Sprintf("http://localhost:%d/callback/?state=%s&error=access_denied", port, a.state))
	if err := <-done; !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("Run: %v", err)
	}
}

// TestSystemOpenerFailingLateExpiresTheLink: an opener that fails after openerGrace (a browser
// run in the foreground that exits with an error) still expires the start link and removes
// the page.
func TestSystemOpenerFailingLateExpiresTheLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script as $BROWSER")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "argv")
	script := filepath.Join(dir, "browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$1\" > "+out+".tmp && mv "+out+".tmp "+out+"\nsleep 2.5\nexit 3\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BROWSER", script)
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	_, done := loopbackRun(t, ctx, port, &shownPrompter{}, nil)
	defer func() { cancel(); <-done }()
	var arg []byte
	for range 500 {
		var err error
		if arg, err = os.ReadFile(out); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	path, link := openFileLink(t, string(arg))
	time.Sleep(openerGrace + time.Second) // the opener has failed
	if status, page := startAnswer(t, link); status != http.StatusGone || !strings.Contains(page, "expired") {
		t.Errorf("after the opener failed the start link answered %d %q", status, page)
	}
	isGone(t, path)
}

// TestLoopbackWithoutAPageOpensNothing: when the page cannot be written, no opener is run (the
// link is never handed to one), the status line says so, and the link answers that it expired.
func TestLoopbackWithoutAPageOpensNothing(t *testing.T) {
	if !checksOwner {
		t.Skip("$TMPDIR")
	}
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	port := freePort(t)
	p := &statusPrompter{}
	a, done := loopbackRun(t, context.Background(), port, p, func(u string) error {
		t.Errorf("the opener was run with %q", u)
		return nil
	})
	p.waitStatus(t, "Could not open a browser (writing the page that opens it: ")
	get(t, fmt.Sprintf("http://localhost:%d/callback/?state=%s&error=access_denied", port, a.state))
	if err := <-done; !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("Run: %v", err)
	}
}

// TestOpenFileParent: the page's folder goes under $XDG_RUNTIME_DIR only when that is a real
// folder of the current user that no one else may enter; otherwise under os.TempDir().
func TestOpenFileParent(t *testing.T) {
	if !checksOwner {
		t.Skip("no owner or mode to check here")
	}
	run := t.TempDir()
	if err := os.Chmod(run, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := openFileParent(run); got != run {
		t.Errorf("a private $XDG_RUNTIME_DIR: parent %q", got)
	}
	f, err := writeOpenFile(run, "http://localhost:1/start/x")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(f.dir) != run {
		t.Errorf("the page is at %s", f.path)
	}
	_, link := openFileLink(t, f.url())
	if link != "http://localhost:1/start/x" {
		t.Errorf("the page leads to %q", link)
	}
	f.remove()
	isGone(t, f.path)

	symlink := filepath.Join(t.TempDir(), "run")
	if err := os.Symlink(run, symlink); err != nil {
		t.Fatal(err)
	}
	open := t.TempDir()
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"", "relative/run", symlink, open, filepath.Join(run, "missing")} {
		if got := openFileParent(d); got != os.TempDir() {
			t.Errorf("$XDG_RUNTIME_DIR=%q: parent %q, want %q", d, got, os.TempDir())
		}
	}
}
