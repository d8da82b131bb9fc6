package cartotest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuthorizeRejectsWithPage(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{RedirectURIs: []string{"https://nb.example.com/cb"}})
	_, c := pkce("a")
	tests := []struct {
		name string
		set  map[string]string
		want string
	}{
		{"no trailing slash", map[string]string{"redirect_uri": "http://localhost:10000/callback"}, "Callback URL mismatch"},
		{"other port", map[string]string{"redirect_uri": "http://localhost:10001/callback/"}, "Callback URL mismatch"},
		{"127.0.0.1 for localhost", map[string]string{"redirect_uri": "http://127.0.0.1:10000/callback/"}, "Callback URL mismatch"},
		{"extra URI with slash", map[string]string{"redirect_uri": "https://nb.example.com/cb/"}, "Callback URL mismatch"},
		{"missing redirect", map[string]string{"redirect_uri": ""}, "redirect_uri"},
		{"unknown client", map[string]string{"client_id": "nope"}, "Unknown client"},
		{"missing client", map[string]string{"client_id": ""}, "client_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, authURL(s, c, tt.set), "")
			if r.status != http.StatusBadRequest || r.header.Get("Location") != "" ||
				!strings.Contains(r.header.Get("Content-Type"), "text/html") {
				t.Fatalf("got %d Location=%q; want 400 HTML page without redirect", r.status, r.header.Get("Location"))
			}
			if !strings.Contains(r.body, tt.want) {
				t.Errorf("page lacks %q:\n%s", tt.want, r.body)
			}
			if _, err := s.Login(authURL(s, c, tt.set)); err == nil || !strings.Contains(err.Error(), "400") {
				t.Errorf("Login error = %v, want a 400 error", err)
			}
		})
	}
}

func TestAuthorizeRedirectsErrors(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Organizations: []string{"org_123"}})
	_, c := pkce("b")
	tests := []struct {
		name, wantErr string
		set           map[string]string
	}{
		{"no response_type", "invalid_request", map[string]string{"response_type": ""}},
		{"implicit", "unsupported_response_type", map[string]string{"response_type": "token"}},
		{"no audience", "invalid_request", map[string]string{"audience": ""}},
		{"other audience", "access_denied", map[string]string{"audience": "https://api.example.com"}},
		{"plain method", "invalid_request", map[string]string{"code_challenge_method": "plain"}},
		{"no method", "invalid_request", map[string]string{"code_challenge_method": ""}},
		{"short challenge", "invalid_request", map[string]string{"code_challenge": c[:42]}},
		{"padded challenge", "invalid_request", map[string]string{"code_challenge": c[:42] + "="}},
		{"no challenge", "invalid_request", map[string]string{"code_challenge": ""}},
		{"unknown org", "invalid_request", map[string]string{"organization": "org_999"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			loc, err := s.Login(authURL(s, c, tt.set))
			if err != nil {
				t.Fatal(err)
			}
			q := loc.Query()
			if q.Get("error") != tt.wantErr || q.Get("error_description") == "" ||
				q.Get("state") != "st-123" || q.Get("code") != "" {
				t.Errorf("redirect query %v, want error=%s with description and state", q, tt.wantErr)
			}
			if got := loc.Scheme + "://" + loc.Host + loc.Path; got != LoopbackRedirectURI {
				t.Errorf("redirected to %s", got)
			}
		})
	}
}

func TestAuthorizeApproves(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{Organizations: []string{"org_123"},
		RedirectURIs: []string{"https://nb.example.com/cb?x=1"}})
	_, c := pkce("c")
	tests := []struct {
		name, redirect, state string
		set                   map[string]string
	}{
		{"loopback", LoopbackRedirectURI, "st-123", nil},
		{"code page", s.CodePageURL(), "st-123", map[string]string{"redirect_uri": s.CodePageURL()}},
		{"extra with query", "https://nb.example.com/cb", "st-123", map[string]string{"redirect_uri": "https://nb.example.com/cb?x=1"}},
		{"known org, no state", LoopbackRedirectURI, "", map[string]string{"organization": "org_123", "state": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			loc, err := s.Login(authURL(s, c, tt.set))
			if err != nil {
				t.Fatal(err)
			}
			if got := loc.Scheme + "://" + loc.Host + loc.Path; got != tt.redirect {
				t.Errorf("redirected to %s, want %s", got, tt.redirect)
			}
			q := loc.Query()
			if len(q.Get("code")) < 40 || q.Get("error") != "" {
				t.Errorf("redirect query %v, want a code", q)
			}
			if q.Get("state") != tt.state || (tt.state == "" && q.Has("state")) {
				t.Errorf("state = %q, want %q", q.Get("state"), tt.state)
			}
			if tt.name == "extra with query" && q.Get("x") != "1" {
				t.Errorf("redirect lost the registered query: %v", q)
			}
		})
	}
}

func TestAuthorizeDuplicateParameter(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	_, c := pkce("d")
	r := get(t, authURL(s, c, nil)+"&redirect_uri="+url.QueryEscape(LoopbackRedirectURI), "")
	if r.status != http.StatusBadRequest || !strings.Contains(r.body, "more than once") {
		t.Errorf("got %d %s", r.status, r.body)
	}
}

func TestDenyNext(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	_, c := pkce("e")
	s.DenyNext()
	loc, err := s.Login(authURL(s, c, nil))
	if err != nil {
		t.Fatal(err)
	}
	if q := loc.Query(); q.Get("error") != "access_denied" || q.Get("error_description") == "" ||
		q.Get("state") != "st-123" || q.Has("code") {
		t.Errorf("denied redirect query = %v", q)
	}
	if code := loginCode(t, s, c, nil); code == "" {
		t.Error("second login should be approved")
	}
	if got := len(s.IssuedCodes()); got != 1 {
		t.Errorf("IssuedCodes has %d codes, want 1", got)
	}
}
