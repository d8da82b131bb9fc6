package carto

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// envTokenEnv sets CARTO_API_TOKEN (and CARTO_API_BASE_URL, when base is not "") against srv,
// with no M2M credentials, and returns options with a cache folder of the test's own.
func envTokenEnv(t *testing.T, srv *cartotest.Server, tok, base string) *OAuthOptions {
	t.Setenv(EnvCredentialsFile, "")
	t.Setenv(EnvCredentials, "")
	t.Setenv(EnvAuthServer, srv.URL)
	t.Setenv(EnvAPIToken, tok)
	t.Setenv(EnvAPIBaseURL, base)
	t.Setenv("HOME", t.TempDir()) // no CARTO CLI login
	return &OAuthOptions{Common: Common{CacheDir: filepath.Join(t.TempDir(), "cache")}}
}

// TestAPITokenFromEnvironment: Login uses CARTO_API_TOKEN as it is, with CARTO_API_BASE_URL,
// and a query runs with it on the stand-in; nothing is cached.
func TestAPITokenFromEnvironment(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	tok := srv.NewAccessToken()
	opts := envTokenEnv(t, srv, tok, srv.URL+"/")
	ctx := context.Background()
	a, err := Login(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	in := a.Info()
	if in.Source != SourceEnvironment || in.Kind != KindAPIToken || in.APIBaseURL != srv.URL || in.CacheFile != "" || !in.Expiry.IsZero() {
		t.Errorf("Info = %+v", in)
	}
	if got, _ := a.AccessToken(ctx); got != tok {
		t.Error("the token was not used as it is")
	}
	if !a.isAPIToken() {
		t.Error("an opaque token from CARTO_API_TOKEN is not taken as an API access token")
	}
	res, err := a.Query(ctx, cartotest.SQLConnection, "SELECT name FROM cities WHERE population < @max", &QueryOptions{Params: map[string]any{"max": 1e9}})
	if err != nil || len(res.Rows) == 0 {
		t.Fatalf("query with the API token: %v", err)
	}
	if logins, _ := CachedLogins(opts.CacheDir); len(logins) != 0 {
		t.Errorf("the token was cached: %+v", logins)
	}
}

// TestAPITokenCannotDoWhatOAuthDoes: the DW token endpoint is refused to an API access token
// with HintOAuthToken, before any request; an OAuth access token (a JWT for CARTO's API
// audience) in CARTO_API_TOKEN is used for it.
func TestAPITokenCannotDoWhatOAuthDoes(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	ctx := context.Background()
	a, err := Login(ctx, envTokenEnv(t, srv, srv.NewAccessToken(), srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = a.CartoDWCredentials(ctx)
	if err == nil || !slices.Contains(Hints(err), HintOAuthToken) {
		t.Fatalf("DW credentials with an API access token: %v (hints %v)", err, Hints(err))
	}
	jwt := srv.NewJWTAccessToken(time.Hour)
	a, err = Login(ctx, envTokenEnv(t, srv, jwt, srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if a.isAPIToken() || a.Info().Kind != kindOAuth {
		t.Errorf("an OAuth access token taken as an API access token: %+v", a.Info())
	}
	if d := time.Until(a.Info().Expiry); d < 59*time.Minute || d > time.Hour {
		t.Errorf("expiry %s away, want the JWT's exp (1h)", d)
	}
	if _, _, err := a.CartoDWCredentials(ctx); err != nil {
		t.Errorf("DW credentials with an OAuth access token: %v", err)
	}
}

// TestAPITokenOrder: M2M credentials come before CARTO_API_TOKEN; CARTO_API_TOKEN before the
// cache.
func TestAPITokenOrder(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	ctx := context.Background()
	opts := envTokenEnv(t, srv, srv.NewAccessToken(), srv.URL)
	t.Setenv(EnvCredentialsFile, writeCreds(t, srv))
	a, err := Login(ctx, opts)
	if err != nil || a.Info().Kind != kindM2M {
		t.Fatalf("with both set: %v, %+v", err, a)
	}
	t.Setenv(EnvCredentialsFile, "")
	cached := copyCodeOptions(t, srv, &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.full })})
	cached.CacheDir = opts.CacheDir
	if _, err := FromOAuth(ctx, cached); err != nil {
		t.Fatal(err)
	}
	a, err = Login(ctx, opts)
	if err != nil || a.Info().Source != SourceEnvironment {
		t.Fatalf("with a cached login: %v, %+v", err, a)
	}
}

// TestAPITokenRefusals: what makes CARTO_API_TOKEN fail, by name, and never with the token in
// the error.
func TestAPITokenRefusals(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	ctx := context.Background()
	tok := srv.NewAccessToken()
	for _, tc := range []struct {
		name, tok, base, want string
		opts                  OAuthOptions
		hint                  Hint
	}{
		{"no base URL", tok, "", EnvAPIBaseURL, OAuthOptions{}, HintAPIBaseURL},
		{"a profile", tok, srv.URL, `Profile "work"`, OAuthOptions{Profile: "work"}, ""},
		{"an organization", tok, srv.URL, `Organization "org_1"`, OAuthOptions{Organization: "org_1"}, ""},
		{"a forced login", tok, srv.URL, "ForceLogin", OAuthOptions{ForceLogin: true}, ""},
		{"a base URL with a query", tok, srv.URL + "/?x=1", "query", OAuthOptions{}, ""},
		{"spaces in the token", tok + " x", srv.URL, "cannot have", OAuthOptions{}, ""},
		{"an expired JWT", srv.NewJWTAccessToken(-time.Minute), srv.URL, "expired", OAuthOptions{}, ""},
	} {
		opts := envTokenEnv(t, srv, tc.tok, tc.base)
		tc.opts.Common = opts.Common
		_, err := Login(ctx, &tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.hint != "" && !slices.Contains(Hints(err), tc.hint)) {
			t.Errorf("%s: want an error naming %q (hint %q), got %v", tc.name, tc.want, tc.hint, err)
			continue
		}
		if strings.Contains(err.Error(), tok) || strings.Contains(err.Error(), tc.tok) {
			t.Errorf("%s: the token is in the error: %v", tc.name, err)
		}
	}
	// With CARTO's own auth server the base URL is checked as discovery checks one: the token
	// goes only to an https:// host under carto.com.
	envTokenEnv(t, srv, tok, "https://api.example.com")
	t.Setenv(EnvAuthServer, "")
	_, err := Login(ctx, &OAuthOptions{Common: Common{NoCache: true}})
	if err == nil || !strings.Contains(err.Error(), "carto.com") || errors.Is(err, ErrInteractionRequired) {
		t.Errorf("a base URL outside carto.com with CARTO's auth server: %v", err)
	}
}

// FuzzAPITokenEnvError: whatever CARTO_API_TOKEN and CARTO_API_BASE_URL hold, an error about
// them never repeats the token.
func FuzzAPITokenEnvError(f *testing.F) {
	f.Add("s3cr3tTokenValue-abcdef", "")
	f.Add("s3cr3t token", "https://gcp-us-east1.api.carto.com")
	f.Add("eyJhbGciOiJub25lIn0.eyJleHAiOjF9.", "https://gcp-us-east1.api.carto.com")
	f.Add("tok\n", "http://example.com")
	f.Fuzz(func(t *testing.T, tok, base string) {
		f := &facts{env: map[string]string{EnvAPIToken: tok, EnvAPIBaseURL: base}}
		_, err := envAPIToken(f, &OAuthOptions{}, time.Now(), "https://auth.carto.com")
		if err == nil {
			return
		}
		secret := strings.TrimSpace(tok)
		if len(secret) >= 4 && !strings.Contains(base, secret) && strings.Contains(err.Error(), secret) {
			t.Fatalf("the token reached the error: %v", err)
		}
	})
}
