package carto

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

func TestCopyCodeAcceptsEveryPasteForm(t *testing.T) {
	forms := map[string]func(*urlParts) string{
		"bare code":        func(u *urlParts) string { return u.code },
		"redirect URL":     func(u *urlParts) string { return u.full },
		"spaces, newlines": func(u *urlParts) string { return "  \n" + u.code + " \r\n" },
		"double quotes":    func(u *urlParts) string { return `"` + u.code + `"` },
		"single quotes":    func(u *urlParts) string { return "'" + u.full + "'" },
		"query only":       func(u *urlParts) string { return "code=" + u.code + "&state=" + u.state },
	}
	for name, form := range forms {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := standIn(t, cartotest.Config{})
			p := &fakePrompter{answer: pasteFrom(t, srv, form)}
			a, err := FromOAuth(context.Background(), copyCodeOptions(t, srv, p))
			if err != nil {
				t.Fatalf("FromOAuth: %v", err)
			}
			tok, err := a.AccessToken(context.Background())
			if err != nil || !srv.ValidAccessToken(tok) {
				t.Fatalf("token %v valid=%v", err, srv.ValidAccessToken(tok))
			}
			if got := a.APIBaseURL(); got != srv.URL {
				t.Errorf("discovered base URL %q, want %q", got, srv.URL)
			}
			if !strings.Contains(p.statusTexts(), "Logged in to") {
				t.Errorf("no logged-in status: %s", p.statusTexts())
			}
			if l := p.shown[0]; l.Flow != FlowCopyCode || !strings.HasPrefix(l.URL, srv.URL+"/authorize?") {
				t.Errorf("shown %+v", l)
			}
		})
	}
}

func TestCopyCodeAuthorizeURLMatchesTheWire(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{Organizations: []string{"org_123"}})
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })}
	opts := copyCodeOptions(t, srv, p)
	opts.Organization = "org_123"
	if _, err := FromOAuth(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(p.shown[0].URL)
	q := u.Query()
	want := map[string]string{"client_id": PublicClientID, "response_type": "code", "audience": Audience,
		"redirect_uri": srv.URL + "/auth/token", "code_challenge_method": "S256", "organization": "org_123",
		"scope": "openid email profile offline_access"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if q.Has("state") || len(q.Get("code_challenge")) != 43 {
		t.Errorf("state %q (want none: PKCE binds the copy-code login), challenge %q", q.Get("state"), q.Get("code_challenge"))
	}
}

func TestCopyCodeAsksAgain(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	var secrets []string
	p := &fakePrompter{}
	p.answer = func(l LoginMessage, n int) (string, error) {
		switch n {
		case 0:
			return "   ", nil // empty: asks again
		case 1:
			return "not-a-real-code", nil // rejected by the server: asks again
		case 2:
			return "https://x/auth/token?code=abc&state=another-login", nil // wrong state: asks again
		}
		loc, err := srv.Login(l.URL)
		if err != nil {
			return "", err
		}
		secrets = append(secrets, loc.Query().Get("code"))
		return loc.String(), nil
	}
	if _, err := FromOAuth(context.Background(), copyCodeOptions(t, srv, p)); err != nil {
		t.Fatalf("FromOAuth: %v", err)
	}
	if p.reads != 4 {
		t.Errorf("reads = %d, want 4", p.reads)
	}
	if n := srv.Count(cartotest.EndpointTokenCode); n != 2 {
		t.Errorf("code exchanges %d, want 2: a paste with another login's state must never reach the token endpoint", n)
	}
	st := p.statusTexts()
	for _, want := range []string{"rejected", "another login attempt", "try 2 of 3", "try 3 of 3"} {
		if !strings.Contains(st, want) {
			t.Errorf("statuses lack %q:\n%s", want, st)
		}
	}
	assertNoSecrets(t, st, secrets...)
}

// TestCopyCodeStopsAfterThreeEmptyAnswers: VS Code answers Escape with an empty string; the
// prompt asks again twice, then the login stops saying so, without asking CARTO anything.
func TestCopyCodeStopsAfterThreeEmptyAnswers(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := &fakePrompter{answer: func(LoginMessage, int) (string, error) { return "", nil }}
	_, err := FromOAuth(context.Background(), copyCodeOptions(t, srv, p))
	if err == nil || p.reads != 3 || !strings.Contains(err.Error(), "nothing was pasted 3 times") ||
		!strings.Contains(err.Error(), "run the cell again") {
		t.Fatalf("err %v after %d reads; want the login stopped after 3 empty answers", err, p.reads)
	}
	if n := srv.Count(cartotest.EndpointToken); n != 0 {
		t.Errorf("%d token requests", n)
	}
	last := p.statuses[len(p.statuses)-1]
	if last.State != StateFailed || last.Retry || !strings.Contains(last.Text, "nothing was pasted 3 times") {
		t.Errorf("last status %+v; want a final failure", last)
	}
}

func TestCopyCodeGivesUpAfterThreeRejectedCodes(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := &fakePrompter{answer: func(LoginMessage, int) (string, error) { return "wrong-code-value", nil }}
	_, err := FromOAuth(context.Background(), copyCodeOptions(t, srv, p))
	if !IsInvalidGrant(err) || p.reads != 3 {
		t.Fatalf("err %v after %d reads; want invalid_grant after 3", err, p.reads)
	}
	if srv.Count(cartotest.EndpointTokenCode) != 3 {
		t.Errorf("code exchanges = %d", srv.Count(cartotest.EndpointTokenCode))
	}
	// Each rejection but the last lets the login go on; the last status ends it.
	var retries int
	for _, s := range p.statuses {
		if s.State == StateFailed && s.Retry {
			retries++
		}
	}
	if last := p.statuses[len(p.statuses)-1]; retries != 2 || last.State != StateFailed || last.Retry {
		t.Errorf("%d retry statuses and last %+v; want 2 and a final failure", retries, last)
	}
	assertNoSecrets(t, err.Error(), "wrong-code-value")
}

func TestCopyCodeAccessDeniedInPastedURL(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	srv.DenyNext()
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.full })}
	_, err := FromOAuth(context.Background(), copyCodeOptions(t, srv, p))
	if !errors.Is(err, ErrAccessDenied) {
		t.Fatalf("err = %v, want ErrAccessDenied", err)
	}
	if p.reads != 1 || srv.Count(cartotest.EndpointToken) != 0 {
		t.Errorf("reads %d, token requests %d", p.reads, srv.Count(cartotest.EndpointToken))
	}
}

func TestCopyCodeEndOfInputFailsAtOnceWithTheFix(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	r, w, _ := os.Pipe()
	w.Close()
	var shown strings.Builder
	opts := copyCodeOptions(t, srv, NewTerminal(r, &shown))
	_, err := Login(context.Background(), opts)
	if !errors.Is(err, ErrInteractionRequired) || !strings.Contains(err.Error(), "nobody can paste the code") ||
		strings.Count(err.Error(), "M2M") != 1 {
		t.Fatalf("err = %v; want ErrInteractionRequired saying why, and naming M2M once", err)
	}
	var urlLine string
	for _, line := range strings.Split(shown.String(), "\n") {
		if strings.HasPrefix(line, "http") {
			urlLine = line
		}
	}
	if !strings.HasPrefix(urlLine, srv.URL+"/authorize?") {
		t.Errorf("no line starting with the authorization URL in:\n%s", shown.String())
	}
}

func TestLoginTimeoutEndsTheWait(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	opts := copyCodeOptions(t, srv, &fakePrompter{}) // never answers
	opts.Timeout = 300 * 1e6
	_, err := FromOAuth(context.Background(), opts)
	if !errors.Is(err, ErrInteractionRequired) || !errors.Is(err, errLoginTimeout) || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "nobody completed the login") || strings.Contains(err.Error(), "M2M") {
		t.Fatalf("FromOAuth: %v; want a short timeout error, with no advice", err)
	}
	if _, err := Login(context.Background(), opts); !errors.Is(err, errLoginTimeout) || strings.Count(err.Error(), "M2M") != 1 {
		t.Fatalf("Login: %v; want the timeout with the advice, once", err)
	}
}

func TestDisableInteraction(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := &fakePrompter{}
	opts := copyCodeOptions(t, srv, p)
	opts.DisableInteraction = true
	_, err := FromOAuth(context.Background(), opts)
	if !errors.Is(err, ErrInteractionRequired) {
		t.Fatalf("err = %v", err)
	}
	if len(p.shown) != 0 || srv.Count(cartotest.EndpointAuthorize) != 0 {
		t.Errorf("a login was shown: %v", p.shown)
	}
}
