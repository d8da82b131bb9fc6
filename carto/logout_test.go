package carto

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// recordingTransport keeps the Content-Type of each request it passes on, by path.
type recordingTransport struct {
	mu    sync.Mutex
	types map[string]string
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	if rt.types == nil {
		rt.types = map[string]string{}
	}
	rt.types[req.URL.Path] = req.Header.Get("Content-Type")
	rt.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// TestLogoutRevokesWithFormBody: RFC 7009 revocation takes a form body (OpenID servers refuse
// JSON), and the revoked refresh token is refused afterwards.
func TestLogoutRevokesWithFormBody(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	rec := &recordingTransport{}
	opts := copyCodeOptions(t, srv, &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })})
	opts.HTTPClient = &http.Client{Transport: rec}
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	rt := a.cache.Current().RefreshToken
	if err := a.Logout(context.Background()); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if got := rec.types["/oauth/revoke"]; got != "application/x-www-form-urlencoded" {
		t.Errorf("revocation sent as %q, want a form body", got)
	}
	resp, err := http.PostForm(srv.TokenURL(), url.Values{"grant_type": {"refresh_token"}, "client_id": {PublicClientID}, "refresh_token": {rt}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("the refresh token still works after Logout: %d", resp.StatusCode)
	}
}

// TestLogoutRevocationRefused: the login is forgotten here, and the error says the refresh
// token was not revoked.
func TestLogoutRevocationRefused(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	opts := copyCodeOptions(t, srv, &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })})
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	access := a.cache.Current().AccessToken
	srv.Inject(cartotest.EndpointRevoke, cartotest.Fault{Status: 400, Body: `{"error":"invalid_request","error_description":"only application/x-www-form-urlencoded content-type bodies are supported"}`})
	err = a.Logout(context.Background())
	if !errors.Is(err, ErrRevocationFailed) {
		t.Errorf("Logout with a refused revocation: %v, want ErrRevocationFailed", err)
	}
	assertNoSecrets(t, err.Error(), access)
	if _, serr := os.Stat(a.Info().CacheFile); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("the cache file is still there: %v", serr)
	}
	if n, err := ForgetCachedLogins(context.Background(), &opts.Common); n != 0 || err != nil {
		t.Errorf("ForgetCachedLogins after Logout: %d, %v", n, err)
	}
}
