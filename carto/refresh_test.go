package carto

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

func oauthLoggedIn(t *testing.T, cfg cartotest.Config) (*cartotest.Server, *Auth, *OAuthOptions, *fakePrompter) {
	t.Helper()
	srv := standIn(t, cfg)
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })}
	opts := copyCodeOptions(t, srv, p)
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return srv, a, opts, p
}

func TestRefreshRotatesAndPersists(t *testing.T) {
	t.Parallel()
	srv, a, opts, p := oauthLoggedIn(t, cartotest.Config{RotateRefreshTokens: true})
	first := a.cache.Current()
	if first.RefreshToken == "" {
		t.Fatal("no refresh token despite offline_access")
	}
	srv.ExpireAccessTokens()
	expireInMemory(a)
	tok, err := a.AccessToken(context.Background())
	if err != nil || !srv.ValidAccessToken(tok) {
		t.Fatalf("refresh: %v", err)
	}
	disk, err := diskEntry(a)
	if err != nil || disk.RefreshToken == first.RefreshToken || disk.AccessToken != tok {
		t.Fatalf("the rotated refresh token was not stored: %v", err)
	}
	if disk.APIBaseURL != srv.URL {
		t.Errorf("refresh lost the base URL: %q", disk.APIBaseURL)
	}
	// A new Auth (a new cell) refreshes with the stored, rotated token: no reuse detected.
	expireInMemory(a)
	opts.DisableInteraction = true
	if _, err := FromOAuth(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if srv.ReuseDetected() != 0 || srv.Count(cartotest.EndpointTokenRT) != 2 || p.reads != 1 {
		t.Errorf("reuse %d, refreshes %d, prompts %d", srv.ReuseDetected(), srv.Count(cartotest.EndpointTokenRT), p.reads)
	}
}

func TestRejectedRefreshTokenNeedsALogin(t *testing.T) {
	t.Parallel()
	srv, a, opts, p := oauthLoggedIn(t, cartotest.Config{})
	srv.Inject(cartotest.EndpointTokenRT, cartotest.Fault{Status: 400, Body: `{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`, Times: 2})
	expireInMemory(a)
	opts.DisableInteraction = true
	if _, err := FromOAuth(context.Background(), opts); !errors.Is(err, ErrInteractionRequired) {
		t.Fatalf("with interaction disabled: %v", err)
	}
	opts.DisableInteraction = false
	if _, err := FromOAuth(context.Background(), opts); err != nil {
		t.Fatalf("a new login should follow: %v", err)
	}
	if p.reads != 2 {
		t.Errorf("prompts %d, want 2", p.reads)
	}
}

func TestNoRefreshTokenMeansLoginOnExpiry(t *testing.T) {
	t.Parallel()
	_, a, _, p := oauthLoggedIn(t, cartotest.Config{NoRefreshToken: true})
	if a.cache.Current().RefreshToken != "" {
		t.Fatal("got a refresh token")
	}
	// The user is told at once that this login will not renew itself, and until when it lasts.
	until := a.Info().Expiry.Local().Format("Jan 2 15:04 MST")
	if last := p.statuses[len(p.statuses)-1]; last.State != StateDone ||
		!strings.Contains(last.Hint, "no refresh token") || !strings.Contains(last.Hint, "log in again") || !strings.Contains(last.Hint, until) {
		t.Errorf("the login's last status does not say when it must be made again: %+v", last)
	}
	expireInMemory(a)
	if _, err := a.AccessToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	if p.reads != 2 {
		t.Errorf("prompts %d, want 2", p.reads)
	}
}

// TestNoRefreshHintOnlyWhenAsked: a login that did not ask for a refresh token is not told it
// got none.
func TestNoRefreshHintOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })}
	opts := copyCodeOptions(t, srv, p)
	opts.NoOfflineAccess = true
	if _, err := FromOAuth(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if last := p.statuses[len(p.statuses)-1]; last.State != StateDone || last.Hint != "" {
		t.Errorf("last status %+v, want done with no hint", last)
	}
}

func TestFailedRefreshAheadKeepsTheValidToken(t *testing.T) {
	t.Parallel()
	srv, a, _, _ := oauthLoggedIn(t, cartotest.Config{})
	e := *a.cache.Current()
	e.Expiry = time.Now().Add(150 * time.Second).Truncate(time.Second) // still valid, but inside the refresh-ahead window
	e.IssuedAt = e.Expiry.Add(-1000 * time.Second)
	putEntry(t, a, &e)
	srv.Inject(cartotest.EndpointToken, cartotest.Fault{Status: 503, Times: 10})
	tok, err := a.AccessToken(context.Background())
	if err != nil || tok != e.AccessToken {
		t.Fatalf("got %v; want the current token back", err)
	}
}

func TestLogoutForgetsAndRevokes(t *testing.T) {
	t.Parallel()
	srv, a, opts, _ := oauthLoggedIn(t, cartotest.Config{})
	if err := a.Logout(context.Background()); err != nil {
		t.Fatal(err)
	}
	if srv.Count(cartotest.EndpointRevoke) != 1 {
		t.Errorf("revocations %d", srv.Count(cartotest.EndpointRevoke))
	}
	if _, err := diskEntry(a); err == nil {
		t.Error("the cache file is still there")
	}
	opts.DisableInteraction = true
	if _, err := FromOAuth(context.Background(), opts); !errors.Is(err, ErrInteractionRequired) {
		t.Errorf("after logout: %v", err)
	}
}

func TestAccessTokenConcurrentCallersShareOneRenewal(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	expireInMemory(a)
	errs := make(chan error, 64)
	for range 64 {
		go func() {
			_, err := a.AccessToken(context.Background())
			errs <- err
		}()
	}
	for range 64 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Count(cartotest.EndpointTokenCC); n != 2 {
		t.Errorf("token requests %d, want 2 (login + one renewal)", n)
	}
}

var _ Prompter = (*fakePrompter)(nil)

// intoRefreshWindow makes a's token valid for secs more seconds, inside the refresh-ahead window.
func intoRefreshWindow(a *Auth, secs, lifetime int64) *entry {
	e := *a.cache.Current()
	e.Expiry = time.Now().Add(time.Duration(secs) * time.Second).Truncate(time.Second)
	e.IssuedAt = e.Expiry.Add(-time.Duration(lifetime) * time.Second)
	replaceEntry(a, &e)
	return &e
}

func TestRejectedRefreshAheadNeverPrompts(t *testing.T) {
	t.Parallel()
	srv, a, _, p := oauthLoggedIn(t, cartotest.Config{})
	e := intoRefreshWindow(a, 150, 1000)
	srv.Inject(cartotest.EndpointTokenRT, cartotest.Fault{Status: 400, Body: `{"error":"invalid_grant"}`, Times: 10})
	for range 3 {
		tok, err := a.AccessToken(context.Background())
		if err != nil || tok != e.AccessToken {
			t.Fatalf("got %v; want the current token", err)
		}
	}
	if p.reads != 1 || len(p.shown) != 1 {
		t.Errorf("a renewal ahead of expiry prompted: reads %d, shown %d", p.reads, len(p.shown))
	}
	if n := srv.Count(cartotest.EndpointTokenRT); n != 1 {
		t.Errorf("refresh attempts %d, want 1 (the dead refresh token is dropped)", n)
	}
}

// TestTokenExpiringDuringAFailedRenewalIsNotReturned: a token with a second of use left goes
// into a renewal that fails; the test clock moves two seconds while the refresh request is on
// its way, so the token has expired when the answer comes, and it must not be returned.
func TestTokenExpiringDuringAFailedRenewalIsNotReturned(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	clk := &testClock{t: time.Now()}
	var armed atomic.Bool
	opts := copyCodeOptions(t, srv, &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })})
	opts.clock = clk.Now
	opts.HTTPClient = &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if armed.Load() && r.URL.Path == "/oauth/token" {
			clk.Advance(2 * time.Second) // the request takes two seconds
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	e := *a.cache.Current()
	e.Expiry = clk.Now().Add(2 * time.Second).Truncate(time.Second) // usable for one more second
	e.IssuedAt = e.Expiry.Add(-10 * time.Second)
	putEntry(t, a, &e)
	srv.Inject(cartotest.EndpointTokenRT, cartotest.Fault{Status: 400, Body: `{"error":"invalid_grant"}`})
	armed.Store(true)
	if tok, err := a.AccessToken(context.Background()); err == nil {
		t.Fatalf("a token that expired during the renewal came back (the same: %v)", tok == e.AccessToken)
	}
}

func TestTokenSourceSurvivesConcurrentLogout(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	ts := a.TokenSource()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 200 {
			a.Logout(context.Background())
		}
	}()
	for range 2000 {
		if tok, err := ts.Token(); err != nil || tok.AccessToken == "" {
			t.Fatalf("Token: %v", err)
		}
	}
	<-done
}

func TestRefusedTokenIsRenewedOnTheNextCall(t *testing.T) {
	t.Parallel()
	srv, a, _, p := oauthLoggedIn(t, cartotest.Config{})
	old, _ := a.AccessToken(context.Background())
	srv.ExpireAccessTokens() // CARTO no longer accepts it, though its expiry is a day away
	if _, _, err := a.CartoDWCredentials(context.Background()); err == nil {
		t.Fatal("the refused token worked")
	}
	tok, err := a.AccessToken(context.Background())
	if err != nil || tok == old || !srv.ValidAccessToken(tok) {
		t.Fatalf("after a 401 the token was not renewed: %v", err)
	}
	if p.reads != 1 || srv.Count(cartotest.EndpointTokenRT) != 1 {
		t.Errorf("prompts %d, refreshes %d", p.reads, srv.Count(cartotest.EndpointTokenRT))
	}
	if _, _, err := a.CartoDWCredentials(context.Background()); err != nil {
		t.Errorf("DW after renewal: %v", err)
	}
}

// TestRefusedRefreshTokenIsForgotten: a refresh token the server refused is dropped from the
// cache, so the next process asks for a login at once instead of presenting it again.
func TestRefusedRefreshTokenIsForgotten(t *testing.T) {
	t.Parallel()
	srv, a, opts, _ := oauthLoggedIn(t, cartotest.Config{})
	srv.Inject(cartotest.EndpointTokenRT, cartotest.Fault{Status: 400, Body: `{"error":"invalid_grant","error_description":"grant request is invalid"}`})
	expireInMemory(a)
	opts.DisableInteraction = true
	for i := range 2 {
		_, err := FromOAuth(context.Background(), opts)
		if !errors.Is(err, ErrInteractionRequired) || (i == 0 && !strings.Contains(err.Error(), "refused the refresh token")) {
			t.Errorf("process %d: %v", i, err)
		}
	}
	if n := srv.Count(cartotest.EndpointTokenRT); n != 1 {
		t.Errorf("%d refresh requests, want 1: the refused token was presented again", n)
	}
	if e, err := diskEntry(a); err != nil || e.RefreshToken != "" {
		t.Errorf("the cache after the refusal: %v, refresh token kept %v", err, e != nil && e.RefreshToken != "")
	}
}
