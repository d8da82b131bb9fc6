package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// serverBrowser logs in on srv's /authorize the way a user would and returns the code the
// copy-code page shows.
func serverBrowser(srv *cartotest.Server) func(string) (string, error) {
	return func(authURL string) (string, error) {
		loc, err := srv.Login(authURL)
		if err != nil {
			return "", err
		}
		code := loc.Query().Get("code")
		if code == "" {
			return "", fmt.Errorf("no code on the redirect %s", loc.Redacted())
		}
		return code, nil
	}
}

func newServer(t *testing.T, cfg cartotest.Config) *cartotest.Server {
	t.Helper()
	srv := cartotest.NewServer(cfg)
	if err := srv.Err(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// statusJSON runs "status --json" and decodes it.
func statusJSON(t *testing.T, e *cliEnv) (string, []map[string]any) {
	t.Helper()
	r := e.run(t, nil, "status", "--json")
	if r.code != 0 {
		t.Fatalf("status --json: exit %d: %s", r.code, r.stderr)
	}
	var st struct {
		CacheDir string           `json:"cache_dir"`
		Logins   []map[string]any `json:"logins"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, r.stdout)
	}
	return r.stdout, st.Logins
}

func TestCopyCodeLoginTokenStatusLogout(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)

	r := e.loginCopyCode(t, serverBrowser(srv))
	if r.code != 0 || !strings.Contains(r.stderr, "Logged in: ") {
		t.Fatalf("login: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("login wrote to stdout: %q", r.stdout)
	}

	tok := e.run(t, nil, "token")
	if tok.code != 0 || !strings.HasSuffix(tok.stdout, "\n") || strings.Count(tok.stdout, "\n") != 1 {
		t.Fatalf("token: exit %d, stdout %q, stderr %q", tok.code, tok.stdout, tok.stderr)
	}
	access := strings.TrimSuffix(tok.stdout, "\n")
	if !srv.ValidAccessToken(access) {
		t.Errorf("token printed %d bytes that the server does not accept", len(access))
	}
	if tok.stderr != "" {
		t.Errorf("token wrote to stderr: %q", tok.stderr)
	}
	if strings.Contains(r.stderr, access) {
		t.Errorf("login printed the access token on stderr")
	}

	raw, logins := statusJSON(t, e)
	if len(logins) != 1 || logins[0]["kind"] != "oauth" || logins[0]["flow"] != "copy-code" || logins[0]["has_refresh_token"] != true {
		t.Errorf("status --json logins = %v", logins)
	}
	for _, secret := range cacheSecrets(t, e) {
		if strings.Contains(raw, secret) {
			t.Errorf("status --json shows a secret from the cache file")
		}
	}
	human := e.run(t, nil, "status")
	if human.code != 0 || !strings.Contains(human.stdout, "copy-code") || strings.Contains(human.stdout, access) {
		t.Errorf("status: exit %d, stdout:\n%s", human.code, human.stdout)
	}

	again := e.run(t, nil, "login", "--flow", "copy-code")
	if again.code != 0 || !strings.Contains(again.stderr, "Already logged in") || hasLinkLine(again.stderr) {
		t.Errorf("second login: exit %d, stderr:\n%s", again.code, again.stderr)
	}

	out := e.run(t, nil, "logout")
	if out.code != 0 || !strings.Contains(out.stderr, "removed 1 cached login") {
		t.Fatalf("logout: exit %d, stderr %q", out.code, out.stderr)
	}
	if n := srv.Count(cartotest.EndpointRevoke); n != 1 {
		t.Errorf("logout revoked %d refresh tokens, want 1", n)
	}
	if _, logins := statusJSON(t, e); len(logins) != 0 {
		t.Errorf("status after logout: %v", logins)
	}

	after := e.run(t, nil, "token")
	if after.code != exitInteraction || after.stdout != "" {
		t.Errorf("token after logout: exit %d, stdout %q; want exit 3 and nothing on stdout", after.code, after.stdout)
	}
	checkOneLineError(t, after)
	if hasLinkLine(after.stderr) || !strings.Contains(after.stderr, "cartoauth login") {
		t.Errorf("token after logout prompted or gave no advice: %q", after.stderr)
	}
}

// cacheSecrets returns the tokens kept in the test's cache files.
func cacheSecrets(t *testing.T, e *cliEnv) []string {
	t.Helper()
	files, _ := os.ReadDir(e.cache)
	var out []string
	for _, f := range files {
		b, err := os.ReadFile(e.cache + "/" + f.Name())
		if err != nil {
			continue
		}
		var ent struct {
			AccessToken  string `json:"access_token"`
			RefreshToken string `json:"refresh_token"`
		}
		if json.Unmarshal(b, &ent) == nil {
			out = append(out, ent.AccessToken, ent.RefreshToken)
		}
	}
	if len(out) == 0 || out[0] == "" {
		t.Fatalf("no cached tokens found in %s", e.cache)
	}
	return slicesNonEmpty(out)
}

func slicesNonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func TestLoginWithoutInputExits3(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)
	r := e.run(t, nil, "login", "--flow", "copy-code")
	if r.code != exitInteraction {
		t.Fatalf("login with stdin closed: exit %d, want 3; stderr:\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "cartoauth: ") || !strings.Contains(last, " — ") {
		t.Errorf("last stderr line is not the one-line error: %q", last)
	} else if strings.Contains(last, "gonbauth.") || !strings.Contains(last, "--m2m") {
		t.Errorf("the error gives Go API advice instead of the CLI's: %q", last)
	}
}

func TestDWCredentials(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)
	if r := e.loginCopyCode(t, serverBrowser(srv)); r.code != 0 {
		t.Fatalf("login: exit %d: %s", r.code, r.stderr)
	}
	r := e.run(t, nil, "dw-credentials")
	var dw struct{ ProjectID, Token string }
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &dw) != nil {
		t.Fatalf("dw-credentials: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	if dw.ProjectID != srv.DWProjectID() || !srv.ValidDWToken(dw.Token) {
		t.Errorf("dw-credentials = project %q, valid token %v", dw.ProjectID, srv.ValidDWToken(dw.Token))
	}
}

func TestM2M(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{})
	path := t.TempDir() + "/m2m.json"
	if err := srv.WriteCredentialsFile(path); err != nil {
		t.Fatal(err)
	}
	creds, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  []string
		args []string
	}{
		{"file flag", nil, []string{"--m2m", path}},
		{"CARTO_CREDENTIALS_FILE", []string{"CARTO_CREDENTIALS_FILE=" + path}, nil},
		{"CARTO_CREDENTIALS", []string{"CARTO_CREDENTIALS=" + string(creds)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newCLIEnv(t, srv.URL).with(tt.env...)
			r := e.run(t, nil, append([]string{"login"}, tt.args...)...)
			if r.code != 0 || !strings.Contains(r.stderr, "[m2m]") || r.stdout != "" {
				t.Fatalf("login: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
			tok := e.run(t, nil, append([]string{"token"}, tt.args...)...)
			if tok.code != 0 || !srv.ValidAccessToken(strings.TrimSuffix(tok.stdout, "\n")) {
				t.Fatalf("token: exit %d, stderr %q", tok.code, tok.stderr)
			}
			raw, logins := statusJSON(t, e)
			if len(logins) != 1 || logins[0]["kind"] != "m2m" || strings.Contains(raw, strings.TrimSpace(tok.stdout)) {
				t.Errorf("status --json = %s", raw)
			}
		})
	}
}

// hasLinkLine reports whether stderr shows a login link (a line starting with "http").
func hasLinkLine(stderr string) bool {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "http") {
			return true
		}
	}
	return false
}

func TestTokenCommandsDoNotWaitForAnotherProcesssLogin(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)
	r := e.loginCopyCode(t, func(authURL string) (string, error) {
		// That login now holds the cache lock and waits for a person to paste a code.
		for _, cmd := range []string{"token", "dw-credentials"} {
			start := time.Now()
			res := e.run(t, nil, cmd)
			took := time.Since(start)
			if res.code != exitInteraction || took > 10*time.Second {
				t.Errorf("%s during another login: exit %d after %s, want 3 within 10 s; stderr %q", cmd, res.code, took, res.stderr)
			}
			want := "is logging in to this CARTO account interactively"
			if runtime.GOOS == "linux" { // the process name comes from /proc
				want = "(cartoauth) " + want
			}
			if !strings.Contains(res.stderr, want) {
				t.Errorf("%s does not name the login it gave up on: %q", cmd, res.stderr)
			}
		}
		return serverBrowser(srv)(authURL)
	})
	if r.code != 0 {
		t.Fatalf("the login: exit %d: %s", r.code, r.stderr)
	}
	if tok := e.run(t, nil, "token"); tok.code != 0 {
		t.Errorf("token after the login: exit %d: %s", tok.code, tok.stderr)
	}
}

func TestLoginRefusesAnUnsafeCacheFolder(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{})
	e := newCLIEnv(t, srv.URL)
	if err := os.MkdirAll(e.cache, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(e.cache, 0o777) // anyone could plant a login here
	creds := t.TempDir() + "/m2m.json"
	if err := srv.WriteCredentialsFile(creds); err != nil {
		t.Fatal(err)
	}
	r := e.with("CARTO_CREDENTIALS_FILE="+creds).run(t, nil, "login")
	if r.code != exitFailure || !strings.Contains(r.stderr, "other users can write to it") || !strings.Contains(r.stderr, "CARTO_AUTH_CACHE_DIR") {
		t.Errorf("login into a world-writable cache folder: exit %d, stderr %q", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(e.cache); len(entries) != 0 {
		t.Errorf("files written into the unsafe folder: %v", entries)
	}
}

// loginAs is loginCopyCode as the stand-in account email, returning the authorization URL too.
func (e *cliEnv) loginAs(t *testing.T, srv *cartotest.Server, email string, args ...string) (result, string) {
	t.Helper()
	var shown string
	r := e.loginCopyCode(t, func(authURL string) (string, error) {
		shown = authURL
		loc, err := srv.LoginAs(t.Context(), authURL, email)
		if err != nil {
			return "", err
		}
		return loc.Query().Get("code"), nil
	}, args...)
	if r.code != 0 {
		t.Fatalf("login %v as %s: exit %d: %s", args, email, r.code, r.stderr)
	}
	return r, shown
}

func TestProfilesStatusSwitchAndLogout(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)
	r, _ := e.loginAs(t, srv, cartotest.TestUser)
	if !strings.Contains(r.stderr, "Logged in: "+cartotest.TestUser+" at ") {
		t.Errorf("login summary does not say who: %q", r.stderr)
	}
	r, shown := e.loginAs(t, srv, cartotest.SecondTestUser, "--profile", "client-b")
	if !strings.Contains(shown, "prompt=login") || !strings.Contains(r.stderr, cartotest.SecondTestUser) {
		t.Errorf("a new profile's login: prompt=login %v, summary %q", strings.Contains(shown, "prompt=login"), r.stderr)
	}
	tokens := map[string]string{}
	for _, p := range []string{"default", "client-b"} {
		res := e.run(t, nil, "token", "--profile", p)
		if res.code != 0 {
			t.Fatalf("token --profile %q: exit %d: %s", p, res.code, res.stderr)
		}
		tokens[p] = res.stdout
	}
	if tokens["default"] == tokens["client-b"] {
		t.Error("both profiles printed the same token")
	}
	raw, logins := statusJSON(t, e)
	if len(logins) != 2 || strings.Contains(raw, "id_token") || strings.Contains(raw, strings.TrimSpace(tokens["default"])) {
		t.Fatalf("status --json: %s", raw)
	}
	emails := map[any]any{}
	for _, in := range logins {
		emails[in["profile"]] = in["email"]
	}
	if emails[nil] != cartotest.TestUser || emails["client-b"] != cartotest.SecondTestUser {
		t.Errorf("status --json emails by profile: %v", emails)
	}
	if text := e.run(t, nil, "status").stdout; !regexp.MustCompile(`logged in as +`+regexp.QuoteMeta(cartotest.SecondTestUser)).MatchString(text) ||
		!strings.Contains(text, "default profile: default") {
		t.Errorf("status text:\n%s", text)
	}

	if sw := e.run(t, nil, "switch", "client-b"); sw.code != 0 || !strings.Contains(sw.stderr, cartotest.SecondTestUser) {
		t.Fatalf("switch client-b: exit %d: %s", sw.code, sw.stderr)
	}
	if tok := e.run(t, nil, "token"); tok.stdout != tokens["client-b"] {
		t.Error("after switch, token without --profile is not client-b's")
	}
	if sw := e.run(t, nil, "switch"); sw.code != exitUsage {
		t.Errorf("switch with no name: exit %d, want 2", sw.code)
	}

	if out := e.run(t, nil, "logout", "--profile", "client-b"); out.code != 0 || !strings.Contains(out.stderr, "removed 1") {
		t.Fatalf("logout --profile client-b: exit %d: %s", out.code, out.stderr)
	}
	if _, logins := statusJSON(t, e); len(logins) != 1 || logins[0]["email"] != cartotest.TestUser {
		t.Errorf("after logout --profile client-b: %v", logins)
	}
	if tok := e.run(t, nil, "token", "--profile", "default"); tok.stdout != tokens["default"] {
		t.Error("the default profile's login did not survive logging out client-b")
	}
}

// TestLogoutRevocationRefused: a logout whose revocation the auth server refuses still forgets
// the login, but says so and exits 1 instead of reporting a clean logout.
func TestLogoutRevocationRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)
	if r := e.loginCopyCode(t, serverBrowser(srv)); r.code != 0 {
		t.Fatalf("login: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	srv.Inject(cartotest.EndpointRevoke, cartotest.Fault{Status: 400,
		Body: `{"error":"invalid_request","error_description":"only application/x-www-form-urlencoded content-type bodies are supported"}`})
	out := e.run(t, nil, "logout")
	if out.code != exitFailure || !strings.Contains(out.stderr, "Removed 1 cached login") ||
		!strings.Contains(out.stderr, "did not revoke") || strings.Contains(out.stderr, "Logged out:") {
		t.Errorf("logout with a refused revocation: exit %d, stderr:\n%s", out.code, out.stderr)
	}
	if _, logins := statusJSON(t, e); len(logins) != 0 {
		t.Errorf("the login is still cached after logout: %v", logins)
	}
}
