package provider

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// bins holds the programs built once for the package, when a test first needs them:
// cartoauth and the soak worker.
var bins struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bins.dir != "" {
		os.RemoveAll(bins.dir)
	}
	os.Exit(code)
}

// bin returns the path of a program built for the tests.
func bin(t testing.TB, name string) string {
	t.Helper()
	bins.once.Do(func() {
		if bins.dir, bins.err = os.MkdirTemp("", "provider-bins-"); bins.err != nil {
			return
		}
		cmd := exec.Command("go", "build", "-o", bins.dir+"/", "github.com/carto-go/carto-auth/cmd/cartoauth", "./soakworker")
		if out, err := cmd.CombinedOutput(); err != nil {
			bins.err = errors.New("building cartoauth and the soak worker: " + err.Error() + ": " + string(out))
		}
	})
	if bins.err != nil {
		t.Fatal(bins.err)
	}
	return filepath.Join(bins.dir, name)
}

// env is a test's environment for gonbauth and cartoauth: the provider as the auth server and
// a private cache folder, nothing from the machine's own CARTO settings.
type env struct {
	p      *Provider
	cache  string
	server string // CARTO_AUTH_SERVER: the provider, or a proxy in front of it
}

func newEnv(t *testing.T, p *Provider) env {
	for _, v := range []string{"CARTO_CREDENTIALS_FILE", "CARTO_CREDENTIALS", "CARTO_PROFILE", "CARTO_AUTH_FLOW", "CI"} {
		t.Setenv(v, "")
	}
	e := env{p: p, cache: filepath.Join(t.TempDir(), "cache"), server: p.URL}
	t.Setenv("CARTO_AUTH_SERVER", p.URL)
	t.Setenv("CARTO_AUTH_CACHE_DIR", e.cache)
	return e
}

// vars is the environment for a child process.
func (e env) vars(extra ...string) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"CARTO_AUTH_SERVER=" + e.server, "CARTO_AUTH_CACHE_DIR=" + e.cache}
	return append(out, extra...)
}

// cacheFiles lists the login files in the cache folder.
func (e env) cacheFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(e.cache, "gonbauth-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var logins []string
	for _, f := range files {
		if !strings.HasSuffix(f, ".pending.json") {
			logins = append(logins, f)
		}
	}
	return logins
}

// personPrompter is the person at a notebook or terminal: it opens each login link shown and
// pastes the code the copy-code page shows. paste, when set, replaces what is pasted.
type personPrompter struct {
	who   *Person
	paste func(code string, n int) string

	mu       sync.Mutex
	shown    []carto.LoginMessage
	statuses []carto.Status
	reads    int
}

func (pp *personPrompter) Show(_ context.Context, l carto.LoginMessage) error {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	pp.shown = append(pp.shown, l)
	return nil
}

func (pp *personPrompter) SetStatus(_ context.Context, s carto.Status) error {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	pp.statuses = append(pp.statuses, s)
	return nil
}

func (pp *personPrompter) ReadCode(ctx context.Context, _ string) (string, error) {
	pp.mu.Lock()
	n, l := pp.reads, pp.shown[len(pp.shown)-1]
	pp.reads++
	pp.mu.Unlock()
	code, err := pp.who.CopyCode(ctx, l.URL)
	if err != nil {
		return "", err
	}
	if pp.paste != nil {
		return pp.paste(code, n), nil
	}
	return code, nil
}

// lastStatus is the last status line shown.
func (pp *personPrompter) lastStatus() carto.Status {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if len(pp.statuses) == 0 {
		return carto.Status{}
	}
	return pp.statuses[len(pp.statuses)-1]
}

// statusTexts is every status line shown, one per line.
func (pp *personPrompter) statusTexts() string {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	var b strings.Builder
	for _, s := range pp.statuses {
		b.WriteString(s.Text + " " + s.Hint + "\n")
	}
	return b.String()
}

// copyCodeLogin logs the person in by copy-code with the given options.
func copyCodeLogin(t *testing.T, who *Person, opts *carto.OAuthOptions) (*carto.Auth, *personPrompter) {
	t.Helper()
	pp := &personPrompter{who: who}
	if opts == nil {
		opts = &carto.OAuthOptions{}
	}
	opts.Flow, opts.Prompter = carto.FlowCopyCode, pp
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := carto.FromOAuth(ctx, opts)
	if err != nil {
		t.Fatalf("copy-code login: %v\nstatus lines:\n%s", err, pp.statusTexts())
	}
	return a, pp
}

// mustValid checks that the API accepts a token and returns what it says of it.
func mustValid(t testing.TB, p *Provider, token string) Whoami {
	t.Helper()
	w, err := p.Whoami(token)
	if err != nil {
		t.Fatalf("the API refused the token: %v", err)
	}
	return w
}

// result is what a cartoauth run printed.
type result struct {
	code           int
	stdout, stderr string
}

// run runs cartoauth with args in the test's environment (no terminal: stdin is empty),
// bounded by a minute.
func (e env) run(t testing.TB, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin(t, "cartoauth"), args...)
	cmd.Env = e.vars()
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("cartoauth %s still running after a minute:\n%s", strings.Join(args, " "), errb.String())
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}
