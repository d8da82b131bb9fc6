package provider

import (
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// TestM2M: client credentials with the secret in the body; the API accepts the token, and a
// second login in a new process reuses the cached one.
func TestM2M(t *testing.T) {
	p := Start(t, Options{})
	e := newEnv(t, p)
	creds := writeFile(t, "m2m.json", p.M2MCredentials())
	a, err := carto.FromM2M(context.Background(), creds, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if w := mustValid(t, p, tok); w.ClientID != M2MClient || a.APIBaseURL() != p.APIBaseURL() {
		t.Errorf("M2M token of %q, base URL %q", w.ClientID, a.APIBaseURL())
	}
	r := e.run(t, "token", "--m2m", creds)
	if r.code != 0 || strings.TrimSpace(r.stdout) != tok {
		t.Errorf("cartoauth token --m2m in a new process: exit %d, same token %v: %s", r.code, strings.TrimSpace(r.stdout) == tok, r.stderr)
	}
	if n := p.State(t).GrantSuccess["client_credentials"]; n != 1 {
		t.Errorf("%d client credentials grants, want 1 (the second process used the cache)", n)
	}
}

// TestCopyCode: the whole copy-code login against the provider: the person opens the link,
// logs in, consents, copies the code from the copy-code page; the API base URL is discovered
// (accounts → config.yaml) and the account read from /userinfo, since the provider's ID
// token carries no email or name.
func TestCopyCode(t *testing.T) {
	p := Start(t, Options{})
	e := newEnv(t, p)
	who := NewPerson("ana@example.com")
	a, pp := copyCodeLogin(t, who, nil)
	tok, err := a.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if w := mustValid(t, p, tok); w.Sub != "ana@example.com" {
		t.Errorf("token of %q", w.Sub)
	}
	in := a.Info()
	if in.Email != "ana@example.com" || in.Name != "Ana Example" || in.APIBaseURL != p.APIBaseURL() || !in.HasRefreshToken || in.Source != carto.SourceInteractive {
		t.Errorf("Info %+v", in)
	}
	if st := pp.lastStatus(); !strings.Contains(st.Text, "as ana@example.com") || st.Hint != "" {
		t.Errorf("last status %+v", st)
	}
	if s := p.State(t); s.Userinfo != 1 || len(s.AliveGrants("ana@example.com")) != 1 {
		t.Errorf("provider: %d userinfo requests, grants %+v", s.Userinfo, s.Grants)
	}
	if got := who.Seen(); !slices.Equal(got, []string{"login", "consent"}) {
		t.Errorf("pages seen %v", got)
	}
	if len(e.cacheFiles(t)) != 1 {
		t.Errorf("cache files %v", e.cacheFiles(t))
	}
}

// TestLoopback: the browser is opened on the private file:// page that leads to the
// listener's start link, goes through the provider's pages and comes back to
// http://localhost:10000/callback/ with the code and state.
func TestLoopback(t *testing.T) {
	testenv.HoldLoopbackPort(t) // the redirect URI's port, which the notebook tests use too
	p := Start(t, Options{})
	newEnv(t, p)
	who := NewPerson("ana@example.com")
	landed := make(chan *Page, 1)
	opts := &carto.OAuthOptions{Flow: carto.FlowLoopback, Prompter: &personPrompter{who: who},
		OpenBrowser: func(u string) error {
			if !strings.HasPrefix(u, "file://") {
				t.Errorf("the opener was given %q, want the private page's file:// URL", u)
			}
			go func() {
				pg, err := who.Open(context.Background(), u)
				if err != nil {
					t.Errorf("the browser: %v", err)
				}
				landed <- pg
			}()
			return nil
		}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := carto.FromOAuth(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if pg := <-landed; pg == nil || !strings.Contains(pg.Body, "Logged in to CARTO") || pg.URL.Host != "localhost:10000" {
		t.Errorf("the browser landed on %+v", pg)
	}
	tok, _ := a.AccessToken(ctx)
	mustValid(t, p, tok)
	if in := a.Info(); in.Flow != string(carto.FlowLoopback) || in.Email != "ana@example.com" {
		t.Errorf("Info %+v", in)
	}
}

// TestDeniedConsent: the person cancels on the consent page; the login ends with
// ErrAccessDenied and nothing is cached.
func TestDeniedConsent(t *testing.T) {
	testenv.HoldLoopbackPort(t) // the redirect URI's port, which the notebook tests use too
	p := Start(t, Options{})
	e := newEnv(t, p)
	who := NewPerson("ana@example.com")
	who.Deny = true
	opts := &carto.OAuthOptions{Flow: carto.FlowLoopback, Prompter: &personPrompter{who: who},
		OpenBrowser: func(u string) error { go who.Open(context.Background(), u); return nil }}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := carto.FromOAuth(ctx, opts); !errors.Is(err, carto.ErrAccessDenied) {
		t.Errorf("denied consent: %v, want ErrAccessDenied", err)
	}
	if files := e.cacheFiles(t); len(files) != 0 {
		t.Errorf("cached after a denied login: %v", files)
	}
	if got := who.Seen(); !slices.Equal(got, []string{"login", "consent"}) {
		t.Errorf("pages seen %v", got)
	}
}

// TestPromptLoginOnANewProfile: a browser already logged in to the provider goes straight
// through a first login of the default profile, but the first login of another profile makes
// the provider ask who is logging in (prompt=login), so another account can be used.
func TestPromptLoginOnANewProfile(t *testing.T) {
	p := Start(t, Options{})
	newEnv(t, p)
	who := NewPerson("ana@example.com")
	copyCodeLogin(t, who, nil)
	seen := len(who.Seen())
	// The same browser, a new cache identity (another organization) of the default profile:
	// the provider's session is reused, no login page.
	copyCodeLogin(t, who, &carto.OAuthOptions{Organization: "org_other"})
	if got := who.Seen()[seen:]; slices.Contains(got, "login") {
		t.Errorf("a login of the default profile showed the login page again: %v", got)
	}
	seen = len(who.Seen())
	who.Login = "bob@example.com"
	b, _ := copyCodeLogin(t, who, &carto.OAuthOptions{Profile: "client-b"})
	if got := who.Seen()[seen:]; !slices.Contains(got, "login") {
		t.Errorf("the first login of a new profile did not show the login page: %v", got)
	}
	if b.Info().Email != "bob@example.com" || b.Info().Profile != "client-b" {
		t.Errorf("client-b logged in as %q", b.Info().Email)
	}
}

// TestBadCodes: a wrong code, a forged one, an expired one and one exchanged with another
// login's PKCE verifier are all refused by the provider; nothing is cached.
func TestBadCodes(t *testing.T) {
	p := Start(t, Options{})
	e := newEnv(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	for name, paste := range map[string]func(code string, n int) string{
		"wrong": func(code string, n int) string { return code[:len(code)-2] + "xy" },
		"forged": func(string, int) string {
			return "forged-code-0123456789abcdefghijklmnopqrstuvwxyz"
		},
	} {
		pp := &personPrompter{who: NewPerson("ana@example.com"), paste: paste}
		_, err := carto.FromOAuth(ctx, &carto.OAuthOptions{Flow: carto.FlowCopyCode, Prompter: pp})
		if err == nil || !strings.Contains(err.Error(), "no accepted code after 3 tries") || !strings.Contains(err.Error(), "invalid_grant") {
			t.Errorf("%s codes: %v", name, err)
		}
	}
	// Expired: the short-code client's codes live one second; the person pastes after two, then
	// gives up (empty answers).
	pp := &personPrompter{who: NewPerson("ana@example.com"), paste: func(code string, n int) string {
		if n > 0 {
			return ""
		}
		time.Sleep(2 * time.Second)
		return code
	}}
	_, err := carto.FromOAuth(ctx, &carto.OAuthOptions{Flow: carto.FlowCopyCode, Prompter: pp, ClientID: ShortCodeClient})
	if err == nil || !strings.Contains(pp.statusTexts(), "That code was rejected") || !strings.Contains(pp.statusTexts(), "invalid_grant") {
		t.Errorf("an expired code: %v; status lines:\n%s", err, pp.statusTexts())
	}
	// PKCE mismatch: a two-cell login is started twice; the code of the first is finished
	// with the second's verifier.
	who := NewPerson("ana@example.com")
	first := &personPrompter{who: who}
	opts := &carto.OAuthOptions{Prompter: first}
	if err := carto.StartLogin(ctx, opts); err != nil {
		t.Fatal(err)
	}
	code, err := who.CopyCode(ctx, first.shown[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := carto.StartLogin(ctx, &carto.OAuthOptions{Prompter: &personPrompter{who: who}}); err != nil {
		t.Fatal(err)
	}
	if _, err := carto.FinishLogin(ctx, code, &carto.OAuthOptions{Prompter: &personPrompter{who: who}}); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("a code finished with another login's verifier: %v", err)
	}
	if files := e.cacheFiles(t); len(files) != 0 {
		t.Errorf("cached after refused codes: %v", files)
	}
	s := p.State(t)
	if n := s.GrantSuccess["authorization_code"]; n != 0 {
		t.Errorf("the provider accepted %d of the bad codes", n)
	}
	if n := s.GrantErrors["authorization_code: invalid_grant: code_verifier does not match code_challenge"]; n != 1 {
		t.Errorf("the provider saw %d PKCE mismatches, want 1: %v", n, s.GrantErrors)
	}
}

// TestNoRefreshTokenFromAnOpenIDServer: a provider following OpenID's default drops
// offline_access (no consent was prompted), so the login gets no refresh token; the user is
// told at once when it will have to be made again.
func TestNoRefreshTokenFromAnOpenIDServer(t *testing.T) {
	p := Start(t, Options{})
	newEnv(t, p)
	a, pp := copyCodeLogin(t, NewPerson("ana@example.com"), &carto.OAuthOptions{ClientID: OpenIDDefaultClient})
	in := a.Info()
	if in.HasRefreshToken {
		t.Fatal("the OpenID-default client got a refresh token")
	}
	st := pp.lastStatus()
	if until := in.Expiry.Local().Format("Jan 2 15:04 MST"); !strings.Contains(st.Hint, "no refresh token") || !strings.Contains(st.Hint, until) {
		t.Errorf("last status %+v; want it to say there is no refresh token and that it lasts until %s", st, until)
	}
}

// TestLoginChain: carto.Login as a notebook calls it: nobody to answer, then a login by the
// person, then the cache, then M2M credentials from the environment.
func TestLoginChain(t *testing.T) {
	p := Start(t, Options{})
	newEnv(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := carto.Login(ctx, nil); !errors.Is(err, carto.ErrInteractionRequired) {
		t.Errorf("Login with nobody to answer (stdin of go test is no terminal): %v", err)
	}
	who := NewPerson("ana@example.com")
	a, err := carto.Login(ctx, &carto.OAuthOptions{Flow: carto.FlowCopyCode, Prompter: &personPrompter{who: who}})
	if err != nil || a.Info().Source != carto.SourceInteractive {
		t.Fatalf("interactive Login: %v", err)
	}
	b, err := carto.Login(ctx, nil)
	if err != nil || b.Info().Source != carto.SourceCache || b.Info().Email != "ana@example.com" {
		t.Fatalf("cached Login: %v", err)
	}
	t.Setenv("CARTO_CREDENTIALS", string(p.M2MCredentials()))
	m, err := carto.Login(ctx, nil)
	if err != nil || m.Info().Source != carto.SourceEnvironment || m.Info().ClientID != M2MClient {
		t.Fatalf("Login with M2M credentials in the environment: %v", err)
	}
	tok, _ := m.AccessToken(ctx)
	mustValid(t, p, tok)
}

func writeFile(t *testing.T, name string, body []byte) string {
	t.Helper()
	path := t.TempDir() + "/" + name
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
