// Package provider runs a real, independently written OpenID provider — panva's
// oidc-provider from npm (e2e/oidc), configured like CARTO's Auth0 tenant — and plays the person
// and the browser at its pages (Person), so that every login flow of carto-auth can be tried
// against a server this project did not write. See e2e/oidc/server.mjs for what it serves.
package provider

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/e2e/testenv"
)

// Clients registered at the provider.
const (
	// PublicClient is CARTO's public client id: like Auth0, the provider gives it a refresh
	// token whenever one is asked for.
	PublicClient = "0dxb8HR3ATXCxJiPOJVHsLoHoAtbRX6u"
	// OpenIDDefaultClient follows OpenID's default: offline_access is dropped unless consent
	// was prompted, so its logins get no refresh token.
	OpenIDDefaultClient = "openid-default"
	// ShortCodeClient's authorization codes expire after one second.
	ShortCodeClient = "short-code"
	// M2MClient is a machine-to-machine client (client credentials, secret in the body).
	M2MClient = "e2e-m2m-client"
	m2mSecret = "e2e-m2m-secret-0123456789abcdef0123456789abcdef"
)

// Provider is a running oidc-provider on 127.0.0.1.
type Provider struct {
	// URL is the issuer, to be used as CARTO_AUTH_SERVER.
	URL string
	// AccessTTL is the lifetime of its access tokens.
	AccessTTL time.Duration
	cmd       *exec.Cmd
	done      chan struct{}
	logPath   string
}

// Options configures Start.
type Options struct {
	// AccessTTL is the access token lifetime; default 8 s.
	AccessTTL time.Duration
	// Port to listen on; default a free one.
	Port int
	// RedirectURIs are more redirect URIs for the interactive clients (the copy-code page of
	// a proxy in front of the provider).
	RedirectURIs []string
}

// Dir returns e2e/oidc, applying the skip policy when node or its npm packages are missing.
func Dir(t testing.TB) string {
	t.Helper()
	testenv.Command(t, "node", "node (apt nodejs, >= 20.19)")
	dir := filepath.Join(testenv.RepoRoot(t), "e2e", "oidc")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider", "package.json")); err != nil {
		testenv.Missing(t, "oidc-provider", "run npm ci in e2e/oidc (scripts/install-deps.sh --e2e does)")
	}
	return dir
}

// Start runs the provider for the test and stops it at cleanup; its log goes to the test's
// artifacts.
func Start(t testing.TB, opts Options) *Provider {
	t.Helper()
	dir := Dir(t)
	if opts.AccessTTL == 0 {
		opts.AccessTTL = 8 * time.Second
	}
	if opts.Port == 0 {
		opts.Port = testenv.FreePortT(t)
	}
	p := &Provider{AccessTTL: opts.AccessTTL, done: make(chan struct{}),
		logPath: filepath.Join(testenv.Artifacts(t), "oidc-provider.log")}
	log, err := os.Create(p.logPath)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"server.mjs", "--port", fmt.Sprint(opts.Port),
		"--access-ttl", fmt.Sprint(int(opts.AccessTTL / time.Second)), "--m2m-secret", m2mSecret}
	for _, u := range opts.RedirectURIs {
		args = append(args, "--redirect-uri", u)
	}
	p.cmd = exec.Command("node", args...)
	p.cmd.Dir, p.cmd.Stderr = dir, log
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting oidc-provider: %v", err)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "ready "); ok {
				ready <- u
			}
		}
	}()
	go func() { p.cmd.Wait(); log.Close(); close(p.done) }()
	t.Cleanup(p.stop)
	select {
	case p.URL = <-ready:
	case <-p.done:
		t.Fatalf("oidc-provider exited before it was ready; its log: %s\n%s", p.logPath, readTail(p.logPath))
	case <-time.After(30 * time.Second):
		t.Fatalf("oidc-provider not ready within 30 s; its log: %s\n%s", p.logPath, readTail(p.logPath))
	}
	return p
}

func (p *Provider) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
	}
}

func readTail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// APIBaseURL is the API base URL the provider's config.yaml announces.
func (p *Provider) APIBaseURL() string { return p.URL + "/api" }

// State is what the provider itself reports: counts of its own events and its live grants.
type State struct {
	// Reuse counts refresh tokens presented again after they were rotated out (the provider
	// then revokes the whole grant).
	Reuse int `json:"reuse"`
	// ReuseTimes are when each reuse was detected (Unix milliseconds).
	ReuseTimes    []int64        `json:"reuseTimes"`
	GrantsRevoked int            `json:"grantsRevoked"`
	GrantErrors   map[string]int `json:"grantErrors"`
	GrantSuccess  map[string]int `json:"grantSuccess"`
	// Revocations counts the revocation endpoint's answers by HTTP status ("200", "400").
	Revocations map[string]int `json:"revocations"`
	Userinfo    int            `json:"userinfo"`
	Grants      []Grant        `json:"grants"`
}

// Grant is one live grant at the provider.
type Grant struct {
	ID                    string `json:"grantId"`
	AccountID             string `json:"accountId"`
	ClientID              string `json:"clientId"`
	LiveRefreshTokens     int    `json:"liveRefreshTokens"`
	ConsumedRefreshTokens int    `json:"consumedRefreshTokens"`
}

// Refreshes is how many refresh_token grants succeeded.
func (s State) Refreshes() int { return s.GrantSuccess["refresh_token"] }

// AliveGrants returns the live grants of an account that still hold a usable refresh token.
func (s State) AliveGrants(account string) []Grant {
	var out []Grant
	for _, g := range s.Grants {
		if g.AccountID == account && g.LiveRefreshTokens > 0 {
			out = append(out, g)
		}
	}
	return out
}

// State asks the provider for its state.
func (p *Provider) State(t testing.TB) State {
	t.Helper()
	var s State
	if err := getJSON(p.URL+"/__admin/state", "", &s); err != nil {
		t.Fatalf("provider state: %v", err)
	}
	return s
}

// Whoami is the API's view of a token.
type Whoami struct {
	Sub      string `json:"sub"`
	ClientID string `json:"client_id"`
	Exp      int64  `json:"exp"`
}

// Whoami asks the API (which checks the Bearer token at the provider) whose token this is; an
// error when it refuses the token.
func (p *Provider) Whoami(token string) (Whoami, error) {
	var w Whoami
	err := getJSON(p.APIBaseURL()+"/v3/whoami", token, &w)
	return w, err
}

// M2MCredentials is a CARTO credentials file for the provider's M2M client.
func (p *Provider) M2MCredentials() []byte {
	b, _ := json.Marshal(map[string]string{"api_base_url": p.APIBaseURL(), "client_id": M2MClient, "client_secret": m2mSecret})
	return b
}

// Refresh makes a refresh_token grant directly (as a second client holding the same refresh
// token would) and returns the token answer's fields, or the error code the provider gave.
func (p *Provider) Refresh(clientID, refreshToken string) (accessToken, newRefreshToken, errCode string, err error) {
	resp, err := http.PostForm(p.URL+"/oauth/token", url.Values{"grant_type": {"refresh_token"},
		"client_id": {clientID}, "refresh_token": {refreshToken}})
	if err != nil {
		return "", "", "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		Error        string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return "", "", "", fmt.Errorf("token endpoint answered %d with no JSON", resp.StatusCode)
	}
	return body.AccessToken, body.RefreshToken, body.Error, nil
}

func getJSON(u, token string, v any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d: %s", strings.SplitN(u, "?", 2)[0], resp.StatusCode, body)
	}
	return json.Unmarshal(body, v)
}
