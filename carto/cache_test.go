package carto

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// TestHelperProcess is run as a separate process by other tests; it logs in with the options
// in its environment and must not prompt.
func TestHelperProcess(t *testing.T) {
	if os.Getenv("GONBAUTH_HELPER") != "fromoauth" {
		t.Skip("helper process only")
	}
	p := &fakePrompter{answer: func(LoginMessage, int) (string, error) { return "", fmt.Errorf("prompted") }}
	a, err := FromOAuth(context.Background(), &OAuthOptions{Flow: FlowCopyCode, Prompter: p})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	tok, _ := a.AccessToken(context.Background())
	sum := sha256.Sum256([]byte(tok))
	fmt.Printf("base=%s token-sha=%s shown=%d\n", a.APIBaseURL(), hex.EncodeToString(sum[:]), len(p.shown))
}

func TestNewProcessReusesTheCachedLogin(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })}
	opts := copyCodeOptions(t, srv, p)
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := a.AccessToken(context.Background())
	tokens, accounts := srv.Count(cartotest.EndpointToken), srv.Count(cartotest.EndpointAccounts)

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "GONBAUTH_HELPER=fromoauth", EnvAuthServer+"="+srv.URL, EnvCacheDir+"="+opts.CacheDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper: %v\n%s", err, out)
	}
	sum := sha256.Sum256([]byte(tok))
	want := fmt.Sprintf("base=%s token-sha=%s shown=0", srv.URL, hex.EncodeToString(sum[:]))
	if !strings.Contains(string(out), want) {
		t.Errorf("helper printed %q, want %q", out, want)
	}
	if srv.Count(cartotest.EndpointToken) != tokens || srv.Count(cartotest.EndpointAccounts) != accounts {
		t.Errorf("the new process made requests: token %d→%d, accounts %d→%d", tokens,
			srv.Count(cartotest.EndpointToken), accounts, srv.Count(cartotest.EndpointAccounts))
	}
}

func TestCacheFilesArePrivate(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	dir := filepath.Join(t.TempDir(), "cache")
	if err := os.MkdirAll(dir, 0o755); err != nil { // the user's own folder, readable by others
		t.Fatal(err)
	}
	_, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: dir}})
	if err != nil {
		t.Fatal(err)
	}
	if got := mustStat(t, dir); got != 0o755 {
		t.Errorf("folder mode %o, want 755: a folder the library did not create keeps its mode", got)
	}
	made := filepath.Join(t.TempDir(), "made", "cache")
	if _, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: made}}); err != nil {
		t.Fatal(err)
	}
	if got := mustStat(t, made); got != 0o700 {
		t.Errorf("created folder mode %o, want 700", got)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) == 0 {
		t.Fatal("nothing cached")
	}
	for _, f := range files {
		if got := mustStat(t, f); got != 0o600 {
			t.Errorf("%s mode %o", filepath.Base(f), got)
		}
		if strings.HasPrefix(filepath.Base(f), "token_") {
			t.Errorf("%s collides with the Python library's files", f)
		}
	}
}

func TestCorruptCacheIsAMissAndIsReplaced(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"truncated":   `{"version":1,"access_token":"abc`,
		"not json":    "\x00\x01garbage",
		"foreign":     `{"api_base_url":"x","access_token":"y","expiration":1}`,
		"other owner": `{"version":1,"identity":{"kind":"m2m","auth_server":"x","client_id":"y"},"access_token":"t","expiry":99999999999,"issued_at":1}`,
		"empty":       "",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := standIn(t, cartotest.Config{})
			creds := writeCreds(t, srv)
			opts := &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: t.TempDir()}}
			a, err := FromM2M(context.Background(), creds, opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(a.cache.Path(), []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			b, err := FromM2M(context.Background(), creds, opts)
			if err != nil {
				t.Fatalf("a corrupt cache broke the login: %v", err)
			}
			if srv.Count(cartotest.EndpointTokenCC) != 2 {
				t.Errorf("token requests %d, want 2 (the corrupt file is a miss)", srv.Count(cartotest.EndpointTokenCC))
			}
			if e, err := diskEntry(b); err != nil || e.AccessToken == "" {
				t.Errorf("the corrupt file was not replaced: %v", err)
			}
		})
	}
}

func TestNoCacheWritesNothing(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	dir := filepath.Join(t.TempDir(), "never")
	opts := &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: dir, NoCache: true}}
	for range 2 {
		if _, err := FromM2M(context.Background(), writeCreds(t, srv), opts); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("NoCache created %s (%v)", dir, err)
	}
	if srv.Count(cartotest.EndpointTokenCC) != 2 {
		t.Errorf("token requests %d, want 2", srv.Count(cartotest.EndpointTokenCC))
	}
}

func TestCallerBaseURLIsNeverOverridden(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	dir := t.TempDir()
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })}
	opts := copyCodeOptions(t, srv, p)
	opts.CacheDir = dir
	if _, err := FromOAuth(context.Background(), opts); err != nil { // discovers srv.URL
		t.Fatal(err)
	}
	opts.APIBaseURL = "https://gcp-europe-west1.api.carto.com"
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if a.APIBaseURL() != opts.APIBaseURL {
		t.Errorf("APIBaseURL = %q, want the caller's", a.APIBaseURL())
	}
	if srv.Count(cartotest.EndpointAccounts) != 1 {
		t.Errorf("discovery ran %d times; the caller's base URL must skip it", srv.Count(cartotest.EndpointAccounts))
	}
}

func writeCreds(t *testing.T, srv *cartotest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "creds.json")
	if err := srv.WriteCredentialsFile(path); err != nil {
		t.Fatal(err)
	}
	return path
}
