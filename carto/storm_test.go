package carto

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// refusingAPI is an API origin that answers 401 on /bad whatever the token, and on any other
// path 200 when the stand-in accepts the token, else 401.
func refusingAPI(t *testing.T, srv *cartotest.Server) *httptest.Server {
	t.Helper()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if r.URL.Path == "/bad" || !srv.ValidAccessToken(tok) {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(api.Close)
	return api
}

// refusingLogin is an OAuth login (rotating refresh tokens) whose HTTPClient sends its token to
// a refusingAPI too.
func refusingLogin(t *testing.T) (*cartotest.Server, *Auth, *OAuthOptions, *httptest.Server) {
	t.Helper()
	srv := standIn(t, cartotest.Config{RotateRefreshTokens: true})
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })}
	opts := copyCodeOptions(t, srv, p)
	api := refusingAPI(t, srv)
	opts.TokenOrigins = []string{api.URL}
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return srv, a, opts, api
}

func getStatus(t *testing.T, hc *http.Client, u string) (int, error) {
	t.Helper()
	resp, err := hc.Get(u)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestRepeated401sRefreshOnce: one endpoint that always answers 401 (a bad path, a request the
// API refuses) does not turn every call into a refresh and a rotation.
func TestRepeated401sRefreshOnce(t *testing.T) {
	t.Parallel()
	srv, a, opts, api := refusingLogin(t)
	hc := a.HTTPClient()
	for range 25 {
		if code, err := getStatus(t, hc, api.URL+"/bad"); err != nil || code != http.StatusUnauthorized {
			t.Fatalf("GET /bad: %d %v", code, err)
		}
	}
	if n := srv.Count(cartotest.EndpointTokenRT); n > 1 {
		t.Errorf("25 refusals of one path gave %d refreshes, want at most 1", n)
	}
	if code, err := getStatus(t, hc, api.URL+"/good"); err != nil || code != http.StatusOK {
		t.Errorf("GET /good after the refusals: %d %v", code, err)
	}
	// Another process sharing the cache does not start its own storm.
	b, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	before := srv.Count(cartotest.EndpointTokenRT)
	for range 5 {
		getStatus(t, b.HTTPClient(), api.URL+"/bad")
	}
	if n := srv.Count(cartotest.EndpointTokenRT) - before; n > 0 {
		t.Errorf("a second Auth refreshed %d times right after the first one's forced refresh", n)
	}
}

// TestRefusedTokenStandsWhileTheTokenEndpointThrottles: when the refresh a 401 forces is
// answered 429 (or 5xx), the refused but unexpired token goes on being used: calls to the paths
// that accept it still succeed.
func TestRefusedTokenStandsWhileTheTokenEndpointThrottles(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		srv, a, _, api := refusingLogin(t)
		srv.Inject(cartotest.EndpointToken, cartotest.Fault{Status: status, Times: 1000})
		hc := a.HTTPClient()
		getStatus(t, hc, api.URL+"/bad")
		for i := range 3 {
			if code, err := getStatus(t, hc, api.URL+"/good"); err != nil || code != http.StatusOK {
				t.Errorf("token endpoint answering %d: call %d to /good: %d %v", status, i, code, err)
			}
		}
	}
}
