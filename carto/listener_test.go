package carto

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// loopbackLogin starts FromOAuth with the loopback flow in the background; the returned
// channel delivers its result, and opened delivers the URL the "browser" was asked to open.
func loopbackLogin(t *testing.T, srv *cartotest.Server, port int, p Prompter) (<-chan error, <-chan string, *OAuthOptions) {
	opened := make(chan string, 1)
	opts := &OAuthOptions{Flow: FlowLoopback, Prompter: p, LoopbackPort: port, Timeout: 20 * time.Second,
		OpenBrowser: func(u string) error { opened <- u; return nil },
		Common:      Common{AuthServer: srv.URL, CacheDir: t.TempDir()}}
	done := make(chan error, 1)
	go func() {
		_, err := FromOAuth(context.Background(), opts)
		done <- err
	}()
	return done, opened, opts
}

func loopbackServer(t *testing.T, port int) *cartotest.Server {
	return standIn(t, cartotest.Config{RedirectURIs: []string{fmt.Sprintf("http://localhost:%d/callback/", port)}})
}

func TestLoopbackIgnoresStrayRequestsAndCompletes(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	srv := loopbackServer(t, port)
	p := &fakePrompter{}
	done, opened, _ := loopbackLogin(t, srv, port, p)
	authURL := startRedirect(t, <-opened, port)
	if u, _ := url.Parse(authURL); u.Query().Get("redirect_uri") != fmt.Sprintf("http://localhost:%d/callback/", port) {
		t.Fatalf("redirect_uri in %s", authURL)
	}
	base := fmt.Sprintf("http://localhost:%d", port)
	for _, stray := range []string{"/favicon.ico", "/nothing", "/callback/?code=x&state=wrong", "/callback/?error=access_denied&state=wrong"} {
		browserGet(t, base+stray)
	}
	select {
	case err := <-done:
		t.Fatalf("a stray request ended the login: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	loc, err := srv.Login(authURL)
	if err != nil {
		t.Fatal(err)
	}
	status, page := browserGet(t, loc.String())
	if status != 200 || !strings.Contains(page, "Logged in") {
		t.Errorf("callback page %d %q", status, page)
	}
	if err := <-done; err != nil {
		t.Fatalf("FromOAuth: %v", err)
	}
	if l := p.shown[0]; l.Flow != FlowLoopback || l.URL != authURL {
		t.Errorf("shown %+v", l)
	}
	waitPortFree(t, port)
}

func TestLoopbackDenyIsAccessDenied(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	srv := loopbackServer(t, port)
	srv.DenyNext()
	p := &fakePrompter{answer: func(LoginMessage, int) (string, error) { t.Error("fell back to a paste"); return "", nil }}
	done, opened, _ := loopbackLogin(t, srv, port, p)
	loc, err := srv.Login(startRedirect(t, <-opened, port))
	if err != nil {
		t.Fatal(err)
	}
	browserGet(t, loc.String())
	if err := <-done; !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	if srv.Count(cartotest.EndpointToken) != 0 {
		t.Error("a denied login reached the token endpoint")
	}
}

func TestLoopbackBusyPortFallsBackToCopyCode(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	srv := loopbackServer(t, port)
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })}
	done, _, _ := loopbackLogin(t, srv, port, p)
	if err := <-done; err != nil {
		t.Fatalf("FromOAuth: %v", err)
	}
	l := p.shown[0]
	if l.Flow != FlowCopyCode || !strings.Contains(l.Why, "in use") || !strings.Contains(l.Why, fmt.Sprint(port)) {
		t.Errorf("shown %+v; want copy-code saying why", l)
	}
}

func waitShown(t *testing.T, p *fakePrompter, n int) LoginMessage {
	t.Helper()
	for range 200 {
		p.mu.Lock()
		if len(p.shown) >= n {
			l := p.shown[n-1]
			p.mu.Unlock()
			return l
		}
		p.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("fewer than %d logins shown", n)
	return LoginMessage{}
}

func waitPortFree(t *testing.T, port int) {
	t.Helper()
	for range 100 {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			ln.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("port %d still in use after the login", port)
}

// pageLink is the person's browser opening what the opener was given: the file:// URL of a
// private page (0600) that leads to the listener's start link. It returns that link.
func pageLink(opened string) (string, error) {
	u, err := url.Parse(opened)
	if err != nil || u.Scheme != "file" || strings.Contains(opened, "http") {
		return "", fmt.Errorf("the browser was opened on %q, want the file:// URL of a page", opened)
	}
	path := filepath.FromSlash(u.Path)
	if runtime.GOOS == "windows" {
		path = strings.TrimPrefix(path, `\`)
	}
	if fi, err := os.Lstat(path); err != nil || !fi.Mode().IsRegular() || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		return "", fmt.Errorf("the page %s: %v %v, want a 0600 file", path, fi, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	m := regexp.MustCompile(`<a href="([^"]+)"`).FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("no link on the page %s", path)
	}
	return html.UnescapeString(string(m[1])), nil
}

// startLink is the start link the browser was sent to: the listener's own start page, with no
// state or PKCE challenge in it.
func startLink(t *testing.T, opened string, port int) string {
	t.Helper()
	link, err := pageLink(opened)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("http://localhost:%d/start/", port); !strings.HasPrefix(link, want) || strings.ContainsAny(link, "?&=") {
		t.Fatalf("the page leads to %q, want %s<random> with no query", link, want)
	}
	return link
}

// startRedirect follows the page the browser was opened on to the start link, and returns the
// authorization URL that redirects to.
func startRedirect(t *testing.T, opened string, port int) string {
	t.Helper()
	return redirectOf(t, startLink(t, opened, port))
}

func redirectOf(t *testing.T, link string) string {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") == "" {
		t.Fatalf("start page answered %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return resp.Header.Get("Location")
}

// TestLoopbackStopsWhenTheStartLinkIsTakenFirst: the start link is in no command line, but
// should another program on the machine learn it and load it before the person's browser does,
// to log the person's process in to the attacker's account, the person's browser then finds the
// link used: the login stops, and the code the attacker brings back is never exchanged.
func TestLoopbackStopsWhenTheStartLinkIsTakenFirst(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	srv := loopbackServer(t, port)
	done, opened, _ := loopbackLogin(t, srv, port, &fakePrompter{})
	link := startLink(t, <-opened, port)
	stolen := redirectOf(t, link)       // the attacker is first
	status, page := browserGet(t, link) // the person's browser
	if status != http.StatusConflict || !strings.Contains(page, "already used") {
		t.Errorf("the person's browser got %d %q", status, page)
	}
	select {
	case err := <-done:
		if !errors.Is(err, ErrLoginLinkReused) {
			t.Errorf("FromOAuth: %v, want ErrLoginLinkReused", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the login went on after its start link was used twice")
	}
	if loc, err := srv.Login(stolen); err == nil { // the attacker logs in and comes back
		c := &http.Client{Timeout: 2 * time.Second}
		if resp, err := c.Get(loc.String()); err == nil {
			resp.Body.Close()
		}
	}
	if n := srv.Count(cartotest.EndpointTokenCode); n != 0 {
		t.Errorf("%d code exchanges after the login stopped; want 0", n)
	}
}

// TestLoopbackOpenerFailsTheLinkShownWorks: when the browser cannot be opened, the start link
// expires at once (whoever read the page), and the person logs in with the link shown.
func TestLoopbackOpenerFailsTheLinkShownWorks(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	srv := loopbackServer(t, port)
	p := &fakePrompter{}
	links := make(chan string, 1)
	opts := &OAuthOptions{Flow: FlowLoopback, Prompter: p, LoopbackPort: port, Timeout: 20 * time.Second,
		OpenBrowser: func(u string) error {
			link, err := pageLink(u)
			if err != nil {
				link = err.Error()
			}
			links <- link
			return errors.New("no display")
		},
		Common: Common{AuthServer: srv.URL, CacheDir: t.TempDir()}}
	done := make(chan error, 1)
	go func() {
		_, err := FromOAuth(context.Background(), opts)
		done <- err
	}()
	link := <-links
	if !strings.HasPrefix(link, fmt.Sprintf("http://localhost:%d/start/", port)) {
		t.Fatalf("the page: %s", link)
	}
	shown := waitShown(t, p, 1)
	for range 200 { // the status line follows the opener's failure
		p.mu.Lock()
		n := len(p.statuses)
		said := n > 0 && strings.Contains(p.statuses[n-1].Text, "Could not open a browser (no display)")
		p.mu.Unlock()
		if said {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if status, page := browserGet(t, link); status != http.StatusGone || !strings.Contains(page, "expired") {
		t.Errorf("the start link answered %d %q after the opener failed", status, page)
	}
	loc, err := srv.Login(shown.URL)
	if err != nil {
		t.Fatal(err)
	}
	if status, page := browserGet(t, loc.String()); status != 200 || !strings.Contains(page, "Logged in") {
		t.Errorf("callback page %d %q", status, page)
	}
	if err := <-done; err != nil {
		t.Fatalf("FromOAuth: %v", err)
	}
}

func TestLoopbackPageSaysLoggedInOnlyAfterTheExchange(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	srv := loopbackServer(t, port)
	srv.Inject(cartotest.EndpointTokenCode, cartotest.Fault{Status: 400, Body: `{"error":"invalid_grant","error_description":"bad code"}`})
	done, opened, _ := loopbackLogin(t, srv, port, &fakePrompter{})
	loc, err := srv.Login(startRedirect(t, <-opened, port))
	if err != nil {
		t.Fatal(err)
	}
	status, page := browserGet(t, loc.String())
	if status != 200 || !strings.Contains(page, "Login failed") || strings.Contains(page, "Logged in") {
		t.Errorf("callback page after a failed exchange: %d %q", status, page)
	}
	if err := <-done; !IsInvalidGrant(err) {
		t.Fatalf("FromOAuth: %v, want invalid_grant", err)
	}
}
