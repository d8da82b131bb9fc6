package carto

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// The auth requests carry secrets (a Bearer token, a refresh token, a client secret) and follow
// no redirect to another origin, nor a POST's redirect at all.
func TestAuthRequestsFollowNoRedirectElsewhere(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	var mu sync.Mutex
	var leaked []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		leaked = append(leaked, r.Method+" "+r.URL.Path+" auth="+r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer other.Close()
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound) // https → http, another port
	}))
	defer api.Close()
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{APIBaseURL: api.URL,
		Common: Common{AuthServer: srv.URL, NoCache: true, HTTPClient: api.Client()}})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = a.CartoDWCredentials(context.Background())
	var se *ServerError
	if !errors.As(err, &se) || se.Status != http.StatusFound {
		t.Errorf("DW credentials through a redirect: %v, want the 302 reported", err)
	}
	// A token endpoint that redirects the POST (307 keeps the body: the client secret).
	auth := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/oauth/token", http.StatusTemporaryRedirect)
	}))
	defer auth.Close()
	if _, err := FromM2MCredentials(context.Background(), M2MCredentials{APIBaseURL: api.URL, ClientID: "id", ClientSecret: "s3cret"},
		&M2MOptions{Common: Common{AuthServer: auth.URL, NoCache: true}}); err == nil {
		t.Error("an M2M login through a redirected token endpoint succeeded")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(leaked) != 0 {
		t.Errorf("another origin received: %q", leaked)
	}
}

// Several callers of one process that may not prompt, queued behind each other while another
// process logs in interactively, all give up within the bound, not one bound after another.
func TestQueuedCallersThatMayNotPromptAllGiveUpFast(t *testing.T) {
	t.Parallel()
	_, first, opts, _ := oauthLoggedIn(t, cartotest.Config{})
	e := expired(first.cache.Current())
	e.RefreshToken = ""
	putEntry(t, first, e)
	held := holdLock(t, first, true)
	defer held.finish(nil)
	opts.DisableInteraction, opts.Prompter = true, &fakePrompter{}
	l, err := newOAuthLogin(opts, readFacts(), false)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Go(func() {
			_, err := l.auth.AccessToken(context.Background())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("5 queued callers took %s; each must give up within 10 s", took)
	}
	for err := range errs {
		if !errors.Is(err, ErrLoginInProgress) {
			t.Errorf("a queued caller: %v, want ErrLoginInProgress", err)
		}
	}
}

// A lock file that cannot be used (a link planted in its place) leaves the cache untouched:
// nothing read from it is spent, nothing is written, so two such processes cannot race on a
// rotating refresh token.
func TestAnUnusableLockKeepsTheCacheUntouched(t *testing.T) {
	t.Parallel()
	srv, first, opts, _ := oauthLoggedIn(t, cartotest.Config{RotateRefreshTokens: true})
	expireInMemory(first)
	before, err := os.ReadFile(first.cache.Path())
	if err != nil {
		t.Fatal(err)
	}
	lock := strings.TrimSuffix(first.cache.Path(), ".json") + ".lock"
	target := filepath.Join(t.TempDir(), "elsewhere")
	os.Remove(lock)
	if err := os.Symlink(target, lock); err != nil {
		t.Fatal(err)
	}
	opts.DisableInteraction = true
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := FromOAuth(context.Background(), opts); !errors.Is(err, ErrInteractionRequired) {
				t.Errorf("with an unusable lock: %v, want ErrInteractionRequired (the cached login is not used)", err)
			}
		})
	}
	wg.Wait()
	if n, reuse := srv.Count(cartotest.EndpointTokenRT), srv.ReuseDetected(); n != 0 || reuse != 0 {
		t.Errorf("refreshes %d, reuse detected %d; want none", n, reuse)
	}
	if after, _ := os.ReadFile(first.cache.Path()); string(after) != string(before) {
		t.Error("the cache file was written without the lock")
	}
	if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the planted link was followed: %v", err)
	}
}
