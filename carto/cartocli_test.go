//go:build unix

package carto

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// cartoCLIHome sets up a home folder and environment for Login against srv (no M2M
// credentials, no CARTO_API_TOKEN, an empty cache) and returns the path of the CARTO CLI's file
// there, not yet written, and options whose logger writes to logs.
func cartoCLIHome(t *testing.T, srv *cartotest.Server, logs *bytes.Buffer) (string, *OAuthOptions) {
	home := t.TempDir()
	for k, v := range map[string]string{"HOME": home, EnvAuthServer: srv.URL, EnvCredentialsFile: "", EnvCredentials: "",
		EnvAPIToken: "", EnvProfile: "", EnvFlow: ""} {
		t.Setenv(k, v)
	}
	return filepath.Join(home, cartoCLIFileName), &OAuthOptions{Common: Common{CacheDir: filepath.Join(t.TempDir(), "cache"),
		Logger: slog.New(slog.NewTextHandler(logs, nil))}}
}

// writeCartoCLIFile writes the fixture profiles.json at path with mode, its tokens replaced by
// tokens[profile] (a profile not in tokens keeps the fixture's), and returns the bytes written.
func writeCartoCLIFile(t *testing.T, path string, mode os.FileMode, tokens map[string]string) []byte {
	t.Helper()
	var doc map[string]any
	body, err := os.ReadFile("testdata/carto-cli/profiles.json")
	if err == nil {
		err = json.Unmarshal(body, &doc)
	}
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range tokens {
		doc["profiles"].(map[string]any)[name].(map[string]any)["token"] = tok
	}
	body, _ = json.MarshalIndent(doc, "", "  ")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return body
}

// TestCartoCLILoginServesLogin: with no cached login, Login uses the CARTO CLI's current
// profile without a prompt; its token works on the stand-in; the file is never changed, and
// Logout leaves it, saying that `carto auth logout` ends it.
func TestCartoCLILoginServesLogin(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	var logs bytes.Buffer
	path, opts := cartoCLIHome(t, srv, &logs)
	tok := srv.NewJWTAccessToken(2 * time.Hour)
	body := writeCartoCLIFile(t, path, 0o600, map[string]string{"work": tok})
	before, _ := os.Stat(path)
	ctx := context.Background()
	a, err := Login(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	in := a.Info()
	if in.Source != SourceCartoCLI || in.SourceFile != path || in.Email != "ana@example.com" || in.Organization != "org_acme" ||
		in.APIBaseURL != srv.URL || in.TenantDomain != "acme.app.carto.com" || in.CacheFile != "" {
		t.Errorf("Info = %+v", in)
	}
	if d := time.Until(in.Expiry); d < 119*time.Minute || d > 2*time.Hour {
		t.Errorf("expiry %s away, want the JWT's exp (2h)", d)
	}
	if got, _ := a.AccessToken(ctx); got != tok {
		t.Error("not the CLI's token")
	}
	if _, _, err := a.CartoDWCredentials(ctx); err != nil {
		t.Errorf("DW credentials with the CLI's login: %v", err)
	}
	if err := a.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "carto auth logout") {
		t.Errorf("Logout did not say that `carto auth logout` ends the CLI's login: %s", logs.String())
	}
	after, _ := os.Stat(path)
	if got, _ := os.ReadFile(path); !bytes.Equal(got, body) || after.Mode() != before.Mode() || !after.ModTime().Equal(before.ModTime()) {
		t.Error("the CARTO CLI's file changed")
	}
	if logins, _ := CachedLogins(opts.CacheDir); len(logins) != 0 {
		t.Errorf("the CLI's login was cached: %+v", logins)
	}
}

// TestCartoCLIProfiles: a named profile reads the CLI profile of that name; one the CLI does
// not have is passed over, by name.
func TestCartoCLIProfiles(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	var logs bytes.Buffer
	path, opts := cartoCLIHome(t, srv, &logs)
	personal := srv.NewJWTAccessToken(time.Hour)
	writeCartoCLIFile(t, path, 0o600, map[string]string{"work": srv.NewJWTAccessToken(time.Hour), "personal": personal})
	ctx := context.Background()
	opts.Profile = "personal"
	a, err := Login(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := a.AccessToken(ctx); got != personal || a.Info().Email != "ana.personal@example.com" || a.Info().Profile != "personal" {
		t.Errorf("profile personal: %+v", a.Info())
	}
	opts.Profile = "nope"
	_, err = Login(ctx, opts)
	if !errors.Is(err, ErrInteractionRequired) || !strings.Contains(err.Error(), `no profile "nope"`) {
		t.Errorf("a profile the CLI does not have: %v", err)
	}
}

// TestCartoCLIPassedOver: what makes Login pass the CLI's login over, each said in the error
// (nobody can answer here) by name; files others can write are refused, files others can read
// are used with one warning naming chmod 600.
func TestCartoCLIPassedOver(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		mode os.FileMode
		tok  string
		opts OAuthOptions
		why  string
	}{
		{"others can write", 0o622, srv.NewJWTAccessToken(time.Hour), OAuthOptions{}, "other users can write"},
		{"expired", 0o600, srv.NewJWTAccessToken(-time.Minute), OAuthOptions{}, "expired"},
		{"no exp", 0o600, srv.NewAccessToken(), OAuthOptions{}, "no expiry"},
		{"another API base URL", 0o600, srv.NewJWTAccessToken(time.Hour), OAuthOptions{APIBaseURL: "http://127.0.0.1:1"}, "APIBaseURL"},
		{"another organization", 0o600, srv.NewJWTAccessToken(time.Hour), OAuthOptions{Organization: "org_other"}, "Organization"},
		{"another auth server's token", 0o600, "eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2F1dGguY2FydG8uY29tLyIsImV4cCI6NDEwMjQ0NDgwMH0.", OAuthOptions{}, "not issued by"},
	} {
		var logs bytes.Buffer
		path, opts := cartoCLIHome(t, srv, &logs)
		writeCartoCLIFile(t, path, tc.mode, map[string]string{"work": tc.tok})
		tc.opts.Common = opts.Common
		a, err := Login(ctx, &tc.opts)
		if err == nil || !errors.Is(err, ErrInteractionRequired) || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("%s: want the login passed over for %q, got %v (%+v)", tc.name, tc.why, err, a)
		}
		if strings.Contains(err.Error(), tc.tok) {
			t.Errorf("%s: the token is in the error", tc.name)
		}
	}
	var logs bytes.Buffer
	path, opts := cartoCLIHome(t, srv, &logs)
	writeCartoCLIFile(t, path, 0o644, map[string]string{"work": srv.NewJWTAccessToken(time.Hour)})
	for range 2 {
		if a, err := Login(ctx, opts); err != nil || a.Info().Source != SourceCartoCLI {
			t.Fatalf("a file others can read: %v", err)
		}
	}
	if n := strings.Count(logs.String(), "chmod 600 "+path); n != 1 {
		t.Errorf("%d warnings naming chmod 600, want 1: %s", n, logs.String())
	}
}

// TestCartoCLIExpiredGoesOnToALogin: an expired CLI login is passed over, and the chain goes on
// to an interactive login, whose Info says why the CLI's was not used.
func TestCartoCLIExpiredGoesOnToALogin(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	var logs bytes.Buffer
	path, opts := cartoCLIHome(t, srv, &logs)
	writeCartoCLIFile(t, path, 0o600, map[string]string{"work": srv.NewJWTAccessToken(-time.Hour)})
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.full })}
	opts.Prompter, opts.Flow, opts.Timeout = p, FlowCopyCode, 20*time.Second
	a, err := Login(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	in := a.Info()
	if in.Source != SourceInteractive || len(in.PassedOver) != 1 || !strings.Contains(in.PassedOver[0], "carto-cli: ") || !strings.Contains(in.PassedOver[0], "expired") {
		t.Errorf("Info = %+v", in)
	}
}

// TestCartoCLIAfterTheCache: a usable cached login comes first; the CLI's file is not read.
func TestCartoCLIAfterTheCache(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	var logs bytes.Buffer
	path, opts := cartoCLIHome(t, srv, &logs)
	writeCartoCLIFile(t, path, 0o600, map[string]string{"work": srv.NewJWTAccessToken(time.Hour)})
	cached := copyCodeOptions(t, srv, &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.full })})
	cached.CacheDir = opts.CacheDir
	ctx := context.Background()
	if _, err := FromOAuth(ctx, cached); err != nil {
		t.Fatal(err)
	}
	if a, err := Login(ctx, opts); err != nil || a.Info().Source != SourceCache {
		t.Fatalf("%v, %+v", err, a)
	}
}

// TestCartoCLIFileShapes: the documented shape parses; M2M credentials at that path are
// reported as such; other shapes say what is wrong without any value.
func TestCartoCLIFileShapes(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/carto-cli/profiles.json")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parseCartoCLIFile(body)
	if err != nil {
		t.Fatal(err)
	}
	name, p, err := f.pick("")
	if err != nil || name != "work" || p.TenantID != "gcp-us-east1" || p.OrganizationID != "org_acme" || p.UserEmail != "ana@example.com" {
		t.Errorf("current profile: %q %+v %v", name, p, err)
	}
	e, err := cartoCLIEntry(p, cartoCLIWant{server: "https://auth.carto.com", now: time.Now()})
	if err != nil || e.Identity.APIBaseURL != "https://gcp-us-east1.api.carto.com" || e.Expiry.Unix() != 4102444800 || e.Identity.ClientID != "cartoCliClientId0000000000000000" {
		t.Errorf("entry of the current profile: %+v, %v", e, err)
	}
	_, old, _ := f.pick("old")
	if _, err := cartoCLIEntry(old, cartoCLIWant{server: "https://auth.carto.com", now: time.Now()}); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("an expired profile: %v", err)
	}
	m2m, _ := os.ReadFile("testdata/carto-cli/m2m-shaped.json")
	if _, err := parseCartoCLIFile(m2m); !errors.Is(err, errM2MShaped) || !strings.Contains(err.Error(), EnvCredentialsFile) || strings.Contains(err.Error(), "not-a-real-secret") {
		t.Errorf("M2M credentials: %v", err)
	}
	opaque, _ := os.ReadFile("testdata/carto-cli/opaque-token.json")
	f, _ = parseCartoCLIFile(opaque)
	_, p, _ = f.pick("")
	if _, err := cartoCLIEntry(p, cartoCLIWant{server: "https://auth.carto.com", now: time.Now()}); err == nil || !strings.Contains(err.Error(), "no expiry") {
		t.Errorf("an opaque token: %v", err)
	}
	for _, tc := range []struct{ body, want string }{
		{`[]`, "not a JSON object"},
		{`{}`, `no "profiles"`},
		{`{"profiles": [], "current_profile": "a"}`, "object of objects"},
		{`{"profiles": {"a": {"token": 1}}}`, `"token" must be a string`},
		{`{"profiles": {"a": {}}, "current_profile": 2}`, "current_profile"},
		{`{"profiles": {}}`, ""},
	} {
		_, err := parseCartoCLIFile([]byte(tc.body))
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.body, err, tc.want)
		}
	}
	if f, _ := parseCartoCLIFile([]byte(`{"profiles": {}}`)); !slices.Equal(sortedKeys(f.Profiles), nil) {
		t.Error("profiles from nowhere")
	}
}

// FuzzCartoCLIFile: the parser never panics, and neither it nor the entry's checks put a
// profile's token in an error.
func FuzzCartoCLIFile(f *testing.F) {
	for _, name := range []string{"profiles.json", "m2m-shaped.json", "opaque-token.json"} {
		body, err := os.ReadFile(filepath.Join("testdata/carto-cli", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, "")
	}
	f.Add([]byte(`{"current_profile":"a","profiles":{"a":{"token":"s3cr3t-token-value","tenant_id":"x y"}}}`), "a")
	f.Fuzz(func(t *testing.T, body []byte, profile string) {
		file, err := parseCartoCLIFile(body)
		if err != nil {
			return // its errors name no value: a value of a token cannot be in them by construction
		}
		name, p, err := file.pick(profile)
		if err == nil {
			_, err = cartoCLIEntry(p, cartoCLIWant{server: "https://auth.carto.com", now: time.Now()})
		}
		if err != nil && len(p.Token) >= 8 && p.Token != name && p.Token != profile && strings.Contains(err.Error(), p.Token) {
			t.Fatalf("the token reached the error: %v", err)
		}
	})
}

// TestListCartoCLILogins: the CLI's profiles are listed without their tokens, each with why
// Login would pass it over; a file others can write is an error.
func TestListCartoCLILogins(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	var logs bytes.Buffer
	path, _ := cartoCLIHome(t, srv, &logs)
	if got, err := ListCartoCLILogins(); err != nil || got.File != path || len(got.Logins) != 0 {
		t.Fatalf("no file: %+v, %v", got, err)
	}
	work, old := srv.NewJWTAccessToken(time.Hour), srv.NewJWTAccessToken(-time.Hour)
	writeCartoCLIFile(t, path, 0o644, map[string]string{"work": work, "old": old, "personal": srv.NewJWTAccessToken(time.Hour)})
	got, err := ListCartoCLILogins()
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(got)
	if strings.Contains(string(body), work) || strings.Contains(string(body), old) {
		t.Error("a token is in the listing")
	}
	if got.CurrentProfile != "work" || !got.OthersCanRead || len(got.Logins) != 3 {
		t.Fatalf("%+v", got)
	}
	for _, in := range got.Logins {
		expired := in.Profile == "old"
		if in.Source != SourceCartoCLI || in.APIBaseURL != srv.URL || expired != (len(in.PassedOver) == 1) {
			t.Errorf("%s: %+v", in.Profile, in)
		}
	}
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := ListCartoCLILogins(); err == nil || !strings.Contains(err.Error(), "other users can write") {
		t.Errorf("a file others can write: %v", err)
	}
}

// TestCartoCLILoginRenewsFromItsFile: when the CLI's token expires, the file is read again
// (`carto auth login` may have run); with nothing new there, the call fails asking for a login.
func TestCartoCLILoginRenewsFromItsFile(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	var logs bytes.Buffer
	path, opts := cartoCLIHome(t, srv, &logs)
	clock := &testClock{t: time.Now()}
	opts.clock = clock.Now
	writeCartoCLIFile(t, path, 0o600, map[string]string{"work": srv.NewJWTAccessToken(10 * time.Minute)})
	ctx := context.Background()
	a, err := Login(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(11 * time.Minute)
	if _, err := a.AccessToken(ctx); !errors.Is(err, ErrInteractionRequired) || !slices.Contains(Hints(err), HintLogIn) {
		t.Errorf("an expired CLI login with nothing new in its file: %v", err)
	}
	fresh := srv.NewJWTAccessToken(time.Hour)
	writeCartoCLIFile(t, path, 0o600, map[string]string{"work": fresh})
	if got, err := a.AccessToken(ctx); err != nil || got != fresh {
		t.Errorf("after `carto auth login` wrote a new token: %v (the new token: %v)", err, got == fresh)
	}
}
