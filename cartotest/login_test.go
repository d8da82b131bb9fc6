package cartotest

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// formReqID reads the hidden request id of a login page.
func formReqID(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`name="req" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no login form in page:\n%s", page)
	}
	return m[1]
}

// noRedirect is a client that returns redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

func submit(t *testing.T, s *Server, form url.Values) *http.Response {
	t.Helper()
	resp, err := noRedirect.PostForm(s.URL+"/authorize/login", form)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestLoginPageWrongThenRightPassword(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{LoginPage: true})
	_, c := pkce("f")
	page := get(t, authURL(s, c, nil), "")
	for _, want := range []string{`id="username"`, `id="password"`, `id="login"`, TestUser, TestPassword} {
		if !strings.Contains(page.body, want) {
			t.Errorf("login page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "<script src") || strings.Contains(page.body, `rel="stylesheet"`) {
		t.Error("login page loads external resources")
	}
	id := formReqID(t, page.body)

	resp := submit(t, s, url.Values{"req": {id}, "username": {TestUser}, "password": {"wrong"}})
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Location") != "" ||
		!strings.Contains(body, "Wrong email or password") || formReqID(t, body) != id {
		t.Fatalf("wrong password: %d %q, want the form again with an error", resp.StatusCode, resp.Header.Get("Location"))
	}
	if len(s.IssuedCodes()) != 0 {
		t.Fatal("a code was issued for a wrong password")
	}

	resp = submit(t, s, url.Values{"req": {id}, "username": {TestUser}, "password": {TestPassword}})
	loc, err := resp.Location()
	if resp.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("right password: %d %v", resp.StatusCode, err)
	}
	if q := loc.Query(); q.Get("code") != s.IssuedCodes()[0] || q.Get("state") != "st-123" {
		t.Errorf("redirect query %v", q)
	}

	// The request is finished: submitting it again is an error page.
	resp = submit(t, s, url.Values{"req": {id}, "username": {TestUser}, "password": {TestPassword}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("replayed form: %d, want 400", resp.StatusCode)
	}
	if got := s.Count(EndpointLogin); got != 3 {
		t.Errorf("Count(login) = %d, want 3", got)
	}
}

func TestLoginPageDenyAndLogin(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{LoginPage: true})
	_, c := pkce("g")
	id := formReqID(t, get(t, authURL(s, c, nil), "").body)
	resp := submit(t, s, url.Values{"req": {id}, "action": {"deny"}})
	loc, err := resp.Location()
	if err != nil || loc.Query().Get("error") != "access_denied" {
		t.Fatalf("deny: %d %v %v", resp.StatusCode, loc, err)
	}

	// Login submits the form as TestUser.
	loc, err = s.Login(authURL(s, c, map[string]string{"state": "s2"}))
	if err != nil {
		t.Fatal(err)
	}
	if q := loc.Query(); q.Get("code") == "" || q.Get("state") != "s2" {
		t.Errorf("Login redirect query %v", q)
	}
	if s.Count(EndpointAuthorize) != 2 || s.Count(EndpointLogin) != 2 {
		t.Errorf("counts authorize=%d login=%d, want 2 and 2", s.Count(EndpointAuthorize), s.Count(EndpointLogin))
	}
}

func TestLoginFormMustBeForm(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{LoginPage: true})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/authorize/login", strings.NewReader(`{"req":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	if r := do(t, req); r.status != http.StatusBadRequest {
		t.Errorf("JSON login post: %d, want 400", r.status)
	}
}

func TestCodePage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tests := []struct {
		name, query string
		status      int
		want        []string
	}{
		{"code", "?code=abc%3C123", 200, []string{`<code id="code">abc&lt;123</code>`,
			"copy this code and paste it in your notebook", `id="copy"`}},
		{"code with state", "?code=abc123&state=x", 400, []string{"state parameter", "send no state"}},
		{"error", "?error=access_denied&error_description=User+did+not+authorize", 200,
			[]string{"access_denied", "User did not authorize"}},
		{"nothing", "", 400, []string{"needs a code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, s.CodePageURL()+tt.query, "")
			if r.status != tt.status {
				t.Errorf("status %d, want %d", r.status, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(strings.ToLower(r.body), strings.ToLower(w)) {
					t.Errorf("page lacks %q:\n%s", w, r.body)
				}
			}
			if tt.status != 200 || tt.name == "error" {
				if strings.Contains(r.body, `id="code"`) {
					t.Error("an error page shows a code box")
				}
			}
		})
	}
	// A real login through the code page redirect shows the issued code.
	_, c := pkce("h")
	loc, err := s.Login(authURL(s, c, map[string]string{"redirect_uri": s.CodePageURL(), "state": ""}))
	if err != nil {
		t.Fatal(err)
	}
	if r := get(t, loc.String(), ""); !strings.Contains(r.body, `<code id="code">`+loc.Query().Get("code")+`</code>`) {
		t.Errorf("code page does not show the code:\n%s", r.body)
	}
}
