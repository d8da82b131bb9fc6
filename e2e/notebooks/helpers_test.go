package notebooks_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image/png"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/kernel"
	"github.com/carto-go/carto-auth/e2e/logincard"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// loopbackPort is the port of the notebooks' one-click login listener (gonbauth's default;
// there is no environment variable for it), so the tests that log in run one at a time.
const loopbackPort = 10000

// standin starts a fresh CARTO stand-in for one test.
func standin(t *testing.T, cfg cartotest.Config) *cartotest.Server {
	t.Helper()
	srv := cartotest.NewServer(cfg)
	if err := srv.Err(); err != nil {
		t.Fatalf("cartotest server: %v", err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// cellEnv is the environment of the kernel (and so of every cell) pointing gonbauth at srv and
// at a private cache folder. It clears what would change the flow (CI is set in CI itself: a
// cell that must answer a box needs it unset), then adds extra.
func cellEnv(srv *cartotest.Server, cacheDir string, extra ...string) []string {
	env := []string{
		"CI=", "CARTO_AUTH_FLOW=", "CARTO_AUTH_LOOPBACK_HOST=", "CARTO_CREDENTIALS=", "CARTO_CREDENTIALS_FILE=",
		"CARTO_AUTH_SERVER=" + srv.URL, "CARTO_AUTH_CACHE_DIR=" + cacheDir,
	}
	return append(env, extra...)
}

// startKernel starts a GoNB kernel with the checkout in its go.work and env.
func startKernel(t *testing.T, env []string) *kernel.Kernel {
	t.Helper()
	return kernel.StartT(t, kernel.Options{GoWork: []string{testenv.RepoRoot(t)}, Env: env})
}

// codeCells returns the code cells of notebooks/<name>.
func codeCells(t *testing.T, name string) []string {
	t.Helper()
	cells, err := kernel.CodeCells(filepath.Join(testenv.RepoRoot(t), "notebooks", name))
	if err != nil {
		t.Fatal(err)
	}
	return cells
}

// session runs cells in one kernel and keeps every result for the leak check.
type session struct {
	t       *testing.T
	k       *kernel.Kernel
	results []*kernel.Result
}

// run executes one cell within d and fails the test unless it ends with status ok.
func (s *session) run(name, code string, d time.Duration, onInput kernel.ResultInputFunc) *kernel.Result {
	s.t.Helper()
	return s.runWant("ok", name, code, d, onInput)
}

// runWant is run with the status the cell must end with ("ok" or "error": a failed cell).
func (s *session) runWant(status, name, code string, d time.Duration, onInput kernel.ResultInputFunc) *kernel.Result {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	res, err := s.k.ExecuteResult(ctx, code, onInput)
	if res != nil {
		s.results = append(s.results, res)
	}
	if err != nil {
		s.t.Fatalf("cell %s: %v", name, err)
	}
	s.t.Logf("cell %s: %s", name, brief(res))
	if res.Status != status {
		s.t.Fatalf("cell %s: status %q, want %s:\n%s", name, res.Status, status, brief(res))
	}
	return res
}

// noInput answers nothing and fails the test if a box opens.
func (s *session) noInput(name string) kernel.ResultInputFunc {
	return func(_ *kernel.Result, prompt string, _ bool) (string, error) {
		s.t.Errorf("cell %s opened an input box %q; want none", name, prompt)
		return "", kernel.ErrNoAnswer
	}
}

// loginAnswer answers the login's input box as a person would: it reads the login link from
// the card shown so far, logs in on the stand-in (srv.Login plays the browser) and returns the
// code. It records the prompts it saw and the authorization URL.
type loginAnswer struct {
	srv     *cartotest.Server
	prompts []string
	pwd     []bool
	authURL string
	code    string
}

func (a *loginAnswer) answer(res *kernel.Result, prompt string, password bool) (string, error) {
	card := logincard.Last(res)
	if card == "" {
		return "", kernel.ErrAnswerLater // the card is on its way (iopub vs stdin)
	}
	a.prompts, a.pwd = append(a.prompts, prompt), append(a.pwd, password)
	if len(a.prompts) > 1 {
		return "", fmt.Errorf("a second input box %q: the first code was not accepted", prompt)
	}
	a.authURL = logincard.Link(card)
	if a.authURL == "" {
		return "", fmt.Errorf("no .carto-login-link in the card: %s", card)
	}
	code, err := loginCode(a.srv, a.authURL)
	if err != nil {
		return "", err
	}
	a.code = code
	return code, nil
}

// loginCode logs in on the stand-in with authURL and returns the code of the redirect.
func loginCode(srv *cartotest.Server, authURL string) (string, error) {
	loc, err := srv.Login(authURL)
	if err != nil {
		return "", fmt.Errorf("logging in on the stand-in: %w", err)
	}
	code := loc.Query().Get("code")
	if code == "" {
		return "", fmt.Errorf("the stand-in redirected to %s without a code", loc.Redacted())
	}
	return code, nil
}

// checkQR checks that src is a data URI of a PNG image.
func checkQR(t *testing.T, src string) {
	t.Helper()
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(src, prefix) {
		t.Errorf("QR code src = %.60q…, want a %s data URI", src, prefix)
		return
	}
	b, err := base64.StdEncoding.DecodeString(src[len(prefix):])
	if err != nil {
		t.Errorf("QR code data URI: %v", err)
		return
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Errorf("QR code is not a PNG: %v", err)
		return
	}
	if cfg.Width < 21 || cfg.Height != cfg.Width {
		t.Errorf("QR code PNG is %dx%d", cfg.Width, cfg.Height)
	}
}

// checkAuthURL checks that u is the stand-in's /authorize with the given redirect URI, a PKCE
// challenge, and a state for the loopback redirect only (CARTO's code page must get none).
func checkAuthURL(t *testing.T, srv *cartotest.Server, u, redirectURI string) {
	t.Helper()
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme+"://"+pu.Host+pu.Path != srv.AuthorizeURL() {
		t.Errorf("login link %q: want %s?…", u, srv.AuthorizeURL())
		return
	}
	q := pu.Query()
	for k, want := range map[string]string{"client_id": cartotest.ClientID, "redirect_uri": redirectURI,
		"response_type": "code", "code_challenge_method": "S256", "audience": cartotest.Audience} {
		if got := q.Get(k); got != want {
			t.Errorf("login link: %s = %q, want %q", k, got, want)
		}
	}
	if q.Get("code_challenge") == "" {
		t.Errorf("login link without code_challenge: %s", u)
	}
	if wantState := redirectURI == cartotest.LoopbackRedirectURI; q.Has("state") != wantState {
		t.Errorf("login link with state %v, want %v (copy-code logins send none): %s", q.Has("state"), wantState, u)
	}
}

// cacheEntry is the part of a gonbauth cache file the tests read.
type cacheEntry struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	Flow         string `json:"flow"`
}

// cachedTokens reads every gonbauth cache entry in dir.
func cachedTokens(t *testing.T, dir string) []cacheEntry {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "gonbauth-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []cacheEntry
	for _, f := range files {
		if strings.HasSuffix(f, ".pending.json") || strings.HasSuffix(f, ".api-tokens.json") { // not logins
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var e cacheEntry
		if err := json.Unmarshal(b, &e); err != nil {
			t.Fatalf("cache file %s: %v", f, err)
		}
		out = append(out, e)
	}
	return out
}

// secrets returns the tokens kept in dir and the codes the stand-in issued, each labelled.
func secrets(t *testing.T, srv *cartotest.Server, dir string, extra ...string) map[string]string {
	t.Helper()
	more := map[string]string{}
	for i, c := range srv.IssuedCodes() {
		more[fmt.Sprintf("code #%d", i)] = c
	}
	for i, x := range extra {
		more[fmt.Sprintf("secret #%d", i)] = x
	}
	return tokenSecrets(t, dir, more)
}

// tokenSecrets labels the tokens of every login cached in dir, plus extra secrets.
func tokenSecrets(t *testing.T, dir string, extra map[string]string) map[string]string {
	t.Helper()
	s := map[string]string{}
	for i, e := range cachedTokens(t, dir) {
		s[fmt.Sprintf("access token #%d", i)] = e.AccessToken
		if e.RefreshToken != "" {
			s[fmt.Sprintf("refresh token #%d", i)] = e.RefreshToken
		}
	}
	for k, v := range extra {
		s[k] = v
	}
	return s
}

// checkNoLeak fails the test if any output of any result contains one of the secrets.
func checkNoLeak(t *testing.T, secrets map[string]string, results ...*kernel.Result) {
	t.Helper()
	if len(secrets) == 0 {
		t.Fatal("no secrets to look for: the check would prove nothing")
	}
	for _, r := range results {
		b, err := json.Marshal(r.Outputs) // every field: text, HTML, MIME bundles, tracebacks, prompts
		if err != nil {
			t.Fatal(err)
		}
		all := html.UnescapeString(string(b))
		for label, s := range secrets {
			if s == "" {
				t.Errorf("%s is empty", label)
				continue
			}
			if strings.Contains(string(b), s) || strings.Contains(all, s) {
				t.Errorf("the %s appears in a cell output", label)
			}
		}
	}
}

// portFree reports whether nothing listens on 127.0.0.1:port (or [::1]:port).
func portFree(port int) bool {
	for _, a := range []string{"127.0.0.1", "::1"} {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(a, fmt.Sprint(port)), 500*time.Millisecond)
		if err == nil {
			c.Close()
			return false
		}
	}
	return true
}

// waitPortFree waits up to d for the port to be free, failing the test otherwise.
func waitPortFree(t *testing.T, port int, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !portFree(port) {
		if time.Now().After(deadline) {
			t.Fatalf("something listens on localhost:%d: the one-click login needs it (another test or program?)", port)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// brief renders a result for the test log with long HTML (QR data URIs) shortened.
func brief(r *kernel.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "status=%q in %v", r.Status, r.Duration.Round(time.Millisecond))
	for _, o := range r.Outputs {
		fmt.Fprintf(&b, "\n  +%-6v %s", o.At.Round(time.Millisecond), o.Type)
		switch {
		case o.Type == "stream":
			fmt.Fprintf(&b, " %s %q", o.Name, o.Text)
		case o.Type == "error":
			fmt.Fprintf(&b, " %s: %s %q", o.Ename, o.Evalue, strings.Join(o.Traceback, "\n"))
		case o.Type == "input_request":
			fmt.Fprintf(&b, " prompt=%q password=%v", o.Text, o.Password)
		case logincard.Is(o.HTML):
			fmt.Fprintf(&b, " login card state=%s status=%q", logincard.State(o.HTML), logincard.Status(o.HTML))
		default:
			h := o.HTML
			if len(h) > 300 {
				h = h[:300] + "…"
			}
			fmt.Fprintf(&b, " html=%q", h)
		}
	}
	return b.String()
}

// inputRequests returns the input boxes a result opened.
func inputRequests(r *kernel.Result) []kernel.Output { return r.OfType("input_request") }

// loginCell is a login cell with the login timeout given as Go code ("3 * time.Second"); it
// prints "Login failed: …" or "Logged in: …".
func loginCell(timeout string) string {
	return `import (
	"context"
	"fmt"
	"time"

	"github.com/carto-go/carto-auth/gonbauth"
)

%%
auth, err := gonbauth.FromOAuth(context.Background(), &gonbauth.OAuthOptions{Timeout: ` + timeout + `})
if err != nil {
	fmt.Println("Login failed:", err)
	return
}
fmt.Println("Logged in:", auth.Info())
`
}
