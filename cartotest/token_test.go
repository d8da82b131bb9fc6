package cartotest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestCodeExchange(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{TokenLifetime: 90 * time.Minute})
	r := loginTokens(t, s)
	if !strings.HasPrefix(r.str("access_token"), accessPrefix) || r.str("token_type") != "Bearer" ||
		r.json["expires_in"] != float64(5400) || r.str("scope") != "offline_access" ||
		!strings.HasPrefix(r.str("refresh_token"), refreshPrefix) || r.json["id_token"] != nil {
		t.Errorf("token response: %s", r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", r.header.Get("Cache-Control"))
	}
	if !s.ValidAccessToken(r.str("access_token")) || s.ValidAccessToken(r.str("refresh_token")) {
		t.Error("ValidAccessToken disagrees with the issued tokens")
	}
	if s.Count(EndpointToken) != 1 || s.Count(EndpointTokenCode) != 1 || s.Count(EndpointTokenRT) != 0 {
		t.Errorf("counts token=%d code=%d rt=%d", s.Count(EndpointToken), s.Count(EndpointTokenCode), s.Count(EndpointTokenRT))
	}
}

func TestCodeExchangeRejects(t *testing.T) {
	t.Parallel()
	s, clock := newClockServer(t, Config{RedirectURIs: []string{"http://localhost:10000/callback"}})
	v, c := pkce("i")
	tests := []struct {
		name   string
		edit   func(f url.Values)
		status int
		err    string
	}{
		{"wrong verifier", func(f url.Values) { f.Set("code_verifier", strings.Repeat("x", 43)) }, 400, "invalid_grant"},
		{"challenge as verifier", func(f url.Values) { f.Set("code_verifier", c) }, 400, "invalid_grant"},
		{"short verifier", func(f url.Values) { f.Set("code_verifier", v[:42]) }, 400, "invalid_grant"},
		{"no verifier", func(f url.Values) { f.Del("code_verifier") }, 400, "invalid_request"},
		{"other allowed redirect", func(f url.Values) { f.Set("redirect_uri", "http://localhost:10000/callback") }, 400, "invalid_grant"},
		{"no redirect", func(f url.Values) { f.Del("redirect_uri") }, 400, "invalid_request"},
		{"no audience", func(f url.Values) { f.Del("audience") }, 400, "invalid_request"},
		{"other audience", func(f url.Values) { f.Set("audience", "x") }, 403, "access_denied"},
		{"no client", func(f url.Values) { f.Del("client_id") }, 401, "invalid_client"},
		{"unknown client", func(f url.Values) { f.Set("client_id", "x") }, 401, "invalid_client"},
		{"unknown code", func(f url.Values) { f.Set("code", "nope") }, 400, "invalid_grant"},
		{"no grant type", func(f url.Values) { f.Del("grant_type") }, 400, "invalid_request"},
		{"password grant", func(f url.Values) { f.Set("grant_type", "password") }, 400, "unsupported_grant_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := exchangeForm(loginCode(t, s, c, nil), v)
			tt.edit(f)
			wantOAuthError(t, postForm(t, s.TokenURL(), f), tt.status, tt.err)
		})
	}
	t.Run("single use", func(t *testing.T) {
		f := exchangeForm(loginCode(t, s, c, nil), v)
		if r := postForm(t, s.TokenURL(), f); r.status != 200 {
			t.Fatalf("first use: %d %s", r.status, r.body)
		}
		wantOAuthError(t, postForm(t, s.TokenURL(), f), 400, "invalid_grant")
	})
	t.Run("spent by a failed attempt", func(t *testing.T) {
		f := exchangeForm(loginCode(t, s, c, nil), v)
		f.Set("code_verifier", strings.Repeat("y", 50))
		wantOAuthError(t, postForm(t, s.TokenURL(), f), 400, "invalid_grant")
		f.Set("code_verifier", v)
		wantOAuthError(t, postForm(t, s.TokenURL(), f), 400, "invalid_grant")
	})
	t.Run("expired after 5 minutes", func(t *testing.T) {
		fresh := exchangeForm(loginCode(t, s, c, nil), v)
		old := exchangeForm(loginCode(t, s, c, nil), v)
		clock.advance(4*time.Minute + 59*time.Second)
		if r := postForm(t, s.TokenURL(), fresh); r.status != 200 {
			t.Errorf("code at 4m59s: %d %s", r.status, r.body)
		}
		clock.advance(time.Second)
		wantOAuthError(t, postForm(t, s.TokenURL(), old), 400, "invalid_grant")
	})
	t.Run("JSON body", func(t *testing.T) {
		b, _ := json.Marshal(map[string]string{"grant_type": "authorization_code",
			"client_id": ClientID, "code": loginCode(t, s, c, nil), "code_verifier": v,
			"redirect_uri": LoopbackRedirectURI, "audience": Audience})
		req, _ := http.NewRequest(http.MethodPost, s.TokenURL(), strings.NewReader(string(b)))
		req.Header.Set("Content-Type", "application/json")
		wantOAuthError(t, do(t, req), 400, "invalid_request")
	})
	t.Run("GET", func(t *testing.T) {
		if r := get(t, s.TokenURL(), ""); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "POST" {
			t.Errorf("GET token: %d Allow=%q", r.status, r.header.Get("Allow"))
		}
	})
}

func TestScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, scope    string
		cfg            Config
		wantRT, wantID bool
		wantScope      string
	}{
		{"none", "", Config{}, false, false, ""},
		{"offline", "offline_access", Config{}, true, false, "offline_access"},
		{"offline refused", "openid offline_access", Config{NoRefreshToken: true}, false, true, "openid"},
		{"openid", "openid profile email offline_access", Config{}, true, true, "openid profile email offline_access"},
		{"python literal None", "None", Config{}, false, false, "None"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t, tt.cfg)
			v, c := pkce("j")
			code := loginCode(t, s, c, map[string]string{"scope": tt.scope, "organization": ""})
			r := postForm(t, s.TokenURL(), exchangeForm(code, v))
			if r.status != 200 || (r.str("refresh_token") != "") != tt.wantRT ||
				(r.str("id_token") != "") != tt.wantID || r.str("scope") != tt.wantScope {
				t.Fatalf("response %d %s", r.status, r.body)
			}
			if tt.wantID {
				parts := strings.Split(r.str("id_token"), ".")
				payload, err := base64.RawURLEncoding.DecodeString(parts[1])
				var claims map[string]any
				if err != nil || json.Unmarshal(payload, &claims) != nil || claims["email"] != TestUser ||
					claims["aud"] != ClientID || claims["iss"] != s.URL+"/" {
					t.Errorf("id_token claims %s (%v)", payload, err)
				}
			}
		})
	}
}

func TestEachAccountGetsItsOwnIDToken(t *testing.T) {
	t.Parallel()
	for _, page := range []bool{false, true} {
		s := newTestServer(t, Config{LoginPage: page})
		for email, name := range map[string]string{TestUser: "Sandbox Analyst", SecondTestUser: "Sandbox Manager"} {
			v, c := pkce("k")
			loc, err := s.LoginAs(t.Context(), authURL(s, c, map[string]string{"scope": "openid email profile", "organization": ""}), email)
			if err != nil {
				t.Fatal(err)
			}
			r := postForm(t, s.TokenURL(), exchangeForm(loc.Query().Get("code"), v))
			parts := strings.Split(r.str("id_token"), ".")
			if len(parts) != 3 {
				t.Fatalf("login page %v, %s: no ID token in %s", page, email, r.body)
			}
			payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
			var claims map[string]any
			if json.Unmarshal(payload, &claims) != nil || claims["email"] != email || claims["name"] != name {
				t.Errorf("login page %v, %s: claims %s", page, email, payload)
			}
		}
	}
}
