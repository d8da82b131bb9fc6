package carto

import (
	"context"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// TestAccountFromUserinfo: an ID token without email and name (OpenID's default) leaves them
// to /userinfo, asked once at login and cached with it; an ID token with them asks nothing.
func TestAccountFromUserinfo(t *testing.T) {
	t.Parallel()
	for _, atUserinfo := range []bool{true, false} {
		srv, a, opts, _ := oauthLoggedIn(t, cartotest.Config{ClaimsAtUserinfo: atUserinfo})
		if in := a.Info(); in.Email != cartotest.TestUser || in.Name != "Sandbox Analyst" {
			t.Errorf("ClaimsAtUserinfo %v: Info %q %q, want the account", atUserinfo, in.Email, in.Name)
		}
		want := map[bool]int{true: 1, false: 0}[atUserinfo]
		if n := srv.Count(cartotest.EndpointUserinfo); n != want {
			t.Errorf("ClaimsAtUserinfo %v: %d userinfo requests at login, want %d", atUserinfo, n, want)
		}
		// The next process: the account comes from the cache, with no request.
		opts.DisableInteraction = true
		b, err := FromOAuth(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if b.Info().Email != cartotest.TestUser || srv.Count(cartotest.EndpointUserinfo) != want {
			t.Errorf("ClaimsAtUserinfo %v: cached login %q after %d userinfo requests", atUserinfo, b.Info().Email, srv.Count(cartotest.EndpointUserinfo))
		}
	}
}

// TestUserinfoFailureKeepsTheLogin: a userinfo endpoint that fails leaves the account unknown
// and the login standing, with one request only.
func TestUserinfoFailureKeepsTheLogin(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{ClaimsAtUserinfo: true})
	srv.Inject(cartotest.EndpointUserinfo, cartotest.Fault{Status: 503, Times: 5})
	opts := copyCodeOptions(t, srv, &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })})
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatalf("a failing userinfo failed the login: %v", err)
	}
	if in := a.Info(); in.Email != "" || in.Name != "" || srv.Count(cartotest.EndpointUserinfo) != 1 {
		t.Errorf("Info %q %q after %d userinfo requests; want unknown after one", in.Email, in.Name, srv.Count(cartotest.EndpointUserinfo))
	}
}
