package carto

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/internal/wire"
)

// pasteAs answers the copy-code prompt with a code for the stand-in account email, and records
// the authorization URL it was shown.
func pasteAs(t *testing.T, srv *cartotest.Server, email string, shown *[]string) *fakePrompter {
	return &fakePrompter{answer: func(l LoginMessage, _ int) (string, error) {
		*shown = append(*shown, l.URL)
		loc, err := srv.LoginAs(context.Background(), l.URL, email)
		if err != nil {
			t.Errorf("stand-in login as %s: %v", email, err)
			return "", err
		}
		return loc.Query().Get("code"), nil
	}}
}

func TestWhoIsLoggedInComesFromTheIDToken(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	var shown []string
	p := pasteAs(t, srv, cartotest.SecondTestUser, &shown)
	opts := copyCodeOptions(t, srv, p)
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	in := a.Info()
	if in.Email != cartotest.SecondTestUser || in.Name != "Sandbox Manager" || in.Account() != cartotest.SecondTestUser || in.Source != SourceInteractive {
		t.Errorf("Info = %+v, want the second test user's email and name, source interactive", in)
	}
	if last := p.statuses[len(p.statuses)-1]; !strings.Contains(last.Text, "as "+cartotest.SecondTestUser) {
		t.Errorf("final status %q does not say who is logged in", last.Text)
	}
	if !strings.Contains(in.String(), "as "+cartotest.SecondTestUser) {
		t.Errorf("Info.String() = %q", in.String())
	}
	if q := mustQuery(t, shown[0]); q.Get("scope") != "openid email profile offline_access" {
		t.Errorf("scope %q", q.Get("scope"))
	}
	body, err := os.ReadFile(in.CacheFile)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), "id_token") || strings.Contains(string(body), "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0") {
		t.Errorf("the cache file holds the ID token:\n%s", body)
	}
	// The next process knows who, from the cache, with no request.
	again, err := FromOAuth(context.Background(), &OAuthOptions{DisableInteraction: true, Common: opts.Common})
	if err != nil || again.Info().Email != cartotest.SecondTestUser || again.Info().Source != SourceCache {
		t.Errorf("from the cache: %v, %+v", err, again.Info())
	}
}

func TestABrokenIDTokenNeverFailsALogin(t *testing.T) {
	t.Parallel()
	for _, raw := range []any{nil, 42, "", "a.b", "a.!!!.c", "a." + b64(`not json`) + ".c", "a." + b64(`{"email":["x"]}`) + ".c",
		"a." + b64(`{"email":"x@y.z\u0007\n","name":"`+strings.Repeat("n", 300)+`"}`) + ".c"} {
		t0 := (&oauth2.Token{AccessToken: "at"}).WithExtra(map[string]any{"id_token": raw})
		email, name := wire.AccountOf(t0)
		if strings.ContainsAny(email+name, "\x07\n") || len([]rune(name)) > 200 {
			t.Errorf("id_token %v: email %q name %q", raw, email, name)
		}
		if s, ok := raw.(string); ok && strings.Contains(s, "x@y.z") && email != "x@y.z" {
			t.Errorf("id_token %v: email %q, want x@y.z", raw, email)
		}
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func mustQuery(t *testing.T, raw string) url.Values {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func sha(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return "token-sha " + hex.EncodeToString(sum[:])
}

func TestTwoProfilesLiveSideBySide(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	dir := t.TempDir()
	tokens := map[string]string{}
	for profile, email := range map[string]string{"work": cartotest.TestUser, "client-b": cartotest.SecondTestUser} {
		var shown []string
		opts := &OAuthOptions{Flow: FlowCopyCode, Profile: profile, Prompter: pasteAs(t, srv, email, &shown), Timeout: 20 * time.Second,
			Common: Common{AuthServer: srv.URL, CacheDir: dir}}
		a, err := FromOAuth(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if a.Info().Email != email || a.Info().Profile != profile {
			t.Errorf("profile %s: Info %+v", profile, a.Info())
		}
		if q := mustQuery(t, shown[0]); q.Get("prompt") != "login" {
			t.Errorf("first login to profile %s: prompt=%q, want login (offer another account)", profile, q.Get("prompt"))
		}
		tokens[profile], _ = a.AccessToken(context.Background())
	}
	before := srv.Count(cartotest.EndpointToken)
	for profile, tok := range tokens {
		out := runWorker(t, "token", EnvAuthServer+"="+srv.URL, EnvCacheDir+"="+dir, EnvProfile+"="+profile, "WORKER_START="+dir)
		if out != sha(tok) {
			t.Errorf("a new process with %s=%s got another token: %s", EnvProfile, profile, out)
		}
	}
	if n := srv.Count(cartotest.EndpointToken); n != before {
		t.Errorf("new processes made %d token requests, want 0", n-before)
	}
	logins, err := CachedLogins(dir)
	if err != nil || len(logins) != 2 {
		t.Fatalf("cached logins %d, %v", len(logins), err)
	}
	for _, in := range logins {
		if want := map[string]string{"work": cartotest.TestUser, "client-b": cartotest.SecondTestUser}[in.Profile]; in.Email != want {
			t.Errorf("listed %s as %q, want %q", in.Profile, in.Email, want)
		}
	}

	// switch: the default profile becomes client-b for callers that name none.
	if err := SetDefaultProfile(dir, "client-b"); err != nil {
		t.Fatal(err)
	}
	if p, err := DefaultProfile(dir); p != "client-b" || err != nil {
		t.Errorf("DefaultProfile = %q, %v", p, err)
	}
	a, err := FromOAuth(context.Background(), &OAuthOptions{DisableInteraction: true, Common: Common{AuthServer: srv.URL, CacheDir: dir}})
	if err != nil || a.Info().Email != cartotest.SecondTestUser {
		t.Errorf("after switching to client-b: %v, %+v", err, a)
	}
	if err := SetDefaultProfile(dir, "../evil"); err == nil {
		t.Error("a profile name with a path was accepted")
	}

	// Forgetting one profile leaves the other.
	n, err := ForgetCachedLogins(context.Background(), &Common{AuthServer: srv.URL, CacheDir: dir}, "work")
	if err != nil || n != 1 {
		t.Fatalf("forget work: %d, %v", n, err)
	}
	if logins, _ := CachedLogins(dir); len(logins) != 1 || logins[0].Profile != "client-b" {
		t.Errorf("left after forgetting work: %+v", logins)
	}
}

func TestForceLoginOffersAnotherAccount(t *testing.T) {
	t.Parallel()
	srv, _, opts, _ := oauthLoggedIn(t, cartotest.Config{})
	var shown []string
	opts.Prompter, opts.ForceLogin = pasteAs(t, srv, cartotest.SecondTestUser, &shown), true
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(shown) != 1 || mustQuery(t, shown[0]).Get("prompt") != "login" || a.Info().Email != cartotest.SecondTestUser {
		t.Errorf("forced login: shown %d, email %q", len(shown), a.Info().Email)
	}
}

func TestLoginPicksM2MThenCacheThenAPrompt(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	dir := t.TempDir()
	common := Common{AuthServer: srv.URL, CacheDir: dir}

	// Nobody can answer (no prompter, no notebook, no terminal on stdin): fail fast, with both ways out.
	t.Setenv(EnvCredentialsFile, "")
	t.Setenv(EnvCredentials, "")
	start := time.Now()
	_, err := Login(context.Background(), &OAuthOptions{Common: common})
	if !errors.Is(err, ErrInteractionRequired) || !strings.Contains(err.Error(), EnvCredentialsFile) ||
		!strings.Contains(err.Error(), "cartoauth login") || time.Since(start) > 5*time.Second {
		t.Fatalf("Login with nobody to answer: %v after %s", err, time.Since(start))
	}

	// Someone can answer: the card (here, a prompter) logs in.
	var shown []string
	a, err := Login(context.Background(), &OAuthOptions{Flow: FlowCopyCode, Prompter: pasteAs(t, srv, cartotest.TestUser, &shown), Common: common})
	if err != nil || a.Info().Source != SourceInteractive || len(shown) != 1 {
		t.Fatalf("interactive: %v, %+v", err, a)
	}
	// The next call is served from the cache, with no request and no prompt.
	before := srv.Count(cartotest.EndpointToken)
	a, err = Login(context.Background(), &OAuthOptions{Prompter: &fakePrompter{}, Common: common})
	if err != nil || a.Info().Source != SourceCache || srv.Count(cartotest.EndpointToken) != before {
		t.Fatalf("cached: %v, %+v", err, a)
	}
	// M2M credentials in the environment win over everything.
	t.Setenv(EnvCredentialsFile, writeCreds(t, srv))
	a, err = Login(context.Background(), &OAuthOptions{Prompter: &fakePrompter{}, Common: common})
	if err != nil || a.Info().Source != SourceEnvironment || a.Info().Kind != kindM2M {
		t.Fatalf("M2M from the environment: %v, %+v", err, a)
	}
}

func TestProfileNames(t *testing.T) {
	t.Parallel()
	for name, ok := range map[string]bool{"": true, "work": true, "client-b.2_x": true, strings.Repeat("a", 64): true,
		strings.Repeat("a", 65): false, "-x": false, ".hidden": false, "../evil": false, "a/b": false, "é": false, "a b": false} {
		if err := checkProfile(name); (err == nil) != ok {
			t.Errorf("checkProfile(%q) = %v, want ok %v", name, err, ok)
		}
	}
}

// TestLoginRefusesWhatM2MWouldIgnore: with M2M credentials in the environment, options that
// choose an interactive account are refused by name instead of silently logging in as the M2M
// client (perhaps of another tenant).
func TestLoginRefusesWhatM2MWouldIgnore(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	t.Setenv(EnvCredentials, "")
	t.Setenv(EnvCredentialsFile, writeCreds(t, srv))
	common := Common{AuthServer: srv.URL, CacheDir: t.TempDir()}
	_, err := Login(context.Background(), &OAuthOptions{Profile: "client-b", ForceLogin: true, Organization: "org_123", Common: common})
	for _, want := range []string{`Profile "client-b"`, "ForceLogin", `Organization "org_123"`, EnvCredentialsFile} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Login with Profile, ForceLogin and Organization under M2M: %v; want it to name %s", err, want)
		}
	}
	if n := srv.Count(cartotest.EndpointToken); n != 0 {
		t.Errorf("%d token requests for a refused Login", n)
	}
	// Options about how to ask, or where to keep tokens, do not choose an account: M2M goes on.
	a, err := Login(context.Background(), &OAuthOptions{Timeout: time.Minute, NoBrowser: true, Common: common})
	if err != nil || a.Info().Source != SourceEnvironment {
		t.Errorf("Login under M2M with prompt options: %v", err)
	}
}

// TestDamagedDefaultProfileFallsBack: a default-profile file that is damaged (a name no profile
// may have) or planted (a link) is ignored with a warning, and the default profile is used.
func TestDamagedDefaultProfileFallsBack(t *testing.T) {
	t.Parallel()
	srv, _, opts, _ := oauthLoggedIn(t, cartotest.Config{}) // logged in to the default profile
	path := filepath.Join(opts.CacheDir, defaultProfileFile)
	var logs strings.Builder
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	opts.DisableInteraction = true
	for name, damage := range map[string]func() error{
		"a path":   func() error { return os.WriteFile(path, []byte("../../etc\n"), 0o600) },
		"binary":   func() error { return os.WriteFile(path, []byte{0, 1, 2, '\n'}, 0o600) },
		"a link":   func() error { return os.Symlink("/etc/hostname", path) },
		"too long": func() error { return os.WriteFile(path, []byte(strings.Repeat("a", 65)), 0o600) },
	} {
		os.Remove(path)
		if err := damage(); err != nil {
			t.Fatal(err)
		}
		logs.Reset()
		a, err := FromOAuth(context.Background(), opts)
		if err != nil || a.Info().Profile != "" || a.Info().Email != cartotest.TestUser {
			t.Errorf("%s in the default-profile file: %v; want the default profile's login", name, err)
		}
		if !strings.Contains(logs.String(), "ignoring the default profile choice") {
			t.Errorf("%s in the default-profile file: no warning in %q", name, logs.String())
		}
	}
	if n := srv.Count(cartotest.EndpointToken); n != 1 {
		t.Errorf("%d token requests, want the one login", n)
	}
}
