package carto

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"

	"github.com/carto-go/carto-auth/cartotest"
)

func init() {
	retryBackoff = 20 * time.Millisecond // keep retry tests quick; the policy is the same
}

// standIn starts a cartotest server for one test.
func standIn(t *testing.T, cfg cartotest.Config) *cartotest.Server {
	t.Helper()
	srv := cartotest.NewServer(cfg)
	t.Cleanup(srv.Close)
	return srv
}

// fakePrompter records what it is shown and answers ReadCode with answer(last shown login, n).
type fakePrompter struct {
	mu       sync.Mutex
	shown    []LoginMessage
	statuses []Status
	reads    int
	answer   func(l LoginMessage, n int) (string, error)
}

func (p *fakePrompter) Show(_ context.Context, l LoginMessage) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.shown = append(p.shown, l)
	return nil
}

func (p *fakePrompter) SetStatus(_ context.Context, s Status) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.statuses = append(p.statuses, s)
	return nil
}

func (p *fakePrompter) ReadCode(ctx context.Context, _ string) (string, error) {
	p.mu.Lock()
	n, last := p.reads, p.lastShown()
	p.reads++
	p.mu.Unlock()
	if p.answer == nil {
		<-ctx.Done()
		return "", ctx.Err()
	}
	return p.answer(last, n)
}

func (p *fakePrompter) lastShown() LoginMessage {
	if len(p.shown) == 0 {
		return LoginMessage{}
	}
	return p.shown[len(p.shown)-1]
}

func (p *fakePrompter) statusTexts() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, s := range p.statuses {
		fmt.Fprintf(&b, "%d:%s %s\n", s.State, s.Text, s.Hint)
	}
	return b.String()
}

// pasteFrom answers every read with form(redirect URL) after logging in on the stand-in.
func pasteFrom(t *testing.T, srv *cartotest.Server, form func(*urlParts) string) func(LoginMessage, int) (string, error) {
	return func(l LoginMessage, _ int) (string, error) {
		loc, err := srv.Login(l.URL)
		if err != nil {
			t.Errorf("stand-in login: %v", err)
			return "", err
		}
		return form(&urlParts{full: loc.String(), code: loc.Query().Get("code"), state: loc.Query().Get("state")}), nil
	}
}

type urlParts struct{ full, code, state string }

// copyCodeOptions are options for a copy-code login against srv with its own cache folder.
func copyCodeOptions(t *testing.T, srv *cartotest.Server, p Prompter) *OAuthOptions {
	return &OAuthOptions{Flow: FlowCopyCode, Prompter: p, Timeout: 20 * time.Second,
		Common: Common{AuthServer: srv.URL, CacheDir: filepath.Join(t.TempDir(), "cache")}}
}

// freePort returns a port that was free a moment ago on 127.0.0.1 and ::1.
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if ln6, err := net.Listen("tcp", fmt.Sprintf("[::1]:%d", port)); err == nil {
			ln6.Close()
			return port
		} else if strings.Contains(err.Error(), "cannot assign") {
			return port // no IPv6 here
		}
	}
	t.Fatal("no free port")
	return 0
}

// browserGet plays the user's browser on the loopback listener.
func browserGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("browser GET: %v", err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, b.String()
}

// assertNoSecrets fails when text contains any of the secrets.
func assertNoSecrets(t *testing.T, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("a secret leaked into %q", text)
		}
	}
}

func mustStat(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// inCI reports a CI run (CI set to a true value), where a test may not skip.
func inCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "0" && v != "false"
}

// putEntry makes e the cached login of a's identity, in memory and on disk, as another
// process storing it would.
func putEntry(t testing.TB, a *Auth, e *entry) {
	t.Helper()
	if err := replaceEntry(a, e); err != nil {
		t.Fatal(err)
	}
}

func replaceEntry(a *Auth, e *entry) error {
	_, _, err := a.cache.Update(context.Background(), cache.Wait{}, cache.Replace(e))
	return err
}

// diskEntry reads a's cache file.
func diskEntry(a *Auth) (*entry, error) { return cache.ReadEntry(a.cache.Path()) }

// otherHolder holds an identity's cache lock as another process would (its own open of the
// lock file), until finish.
type otherHolder struct {
	locked  chan struct{}
	release chan *entry
	done    chan struct{}
}

// holdLock takes a's identity's lock in the background, marking it as waiting for a person
// when interactive, and returns once it is held.
func holdLock(t *testing.T, a *Auth, interactive bool) *otherHolder {
	t.Helper()
	other := cache.New(a.id, cache.Options{Dir: a.set.cacheDir})
	h := &otherHolder{locked: make(chan struct{}), release: make(chan *entry), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		if _, _, err := other.Update(context.Background(), cache.Wait{MayPrompt: true}, holding{h, interactive}); err != nil {
			t.Errorf("the other process's update: %v", err)
		}
	}()
	select {
	case <-h.locked:
	case <-time.After(10 * time.Second):
		t.Fatal("the other process never got the lock")
	}
	return h
}

// finish stores e (unless nil) as the other process's result and releases the lock.
func (h *otherHolder) finish(e *entry) {
	h.release <- e
	<-h.done
}

type holding struct {
	h           *otherHolder
	interactive bool
}

func (holding) Satisfied(*entry) bool { return false }

func (x holding) Apply(_ context.Context, newest *entry, lock cache.Lock) (*entry, error) {
	if x.interactive {
		lock.Interactive()
	}
	close(x.h.locked)
	if next := <-x.h.release; next != nil {
		return next, nil
	}
	return newest, nil
}

// expired returns a copy of e issued long ago and expired.
func expired(e *entry) *entry {
	x := *e
	x.IssuedAt, x.Expiry = time.Unix(1, 0), time.Unix(2, 0)
	return &x
}

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
