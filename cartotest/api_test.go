package cartotest

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestBearerEndpoints(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	endpoints := []string{"/accounts", "/v3/connections/carto-dw/token", "/v3/sql/carto_dw/query?q=select+1"}
	for _, p := range endpoints {
		for name, bearer := range map[string]string{"missing": "", "unknown": "sbx_at_nope", "refresh token": "sbx_rt_x"} {
			r := get(t, s.URL+p, bearer)
			if r.status != http.StatusUnauthorized || r.str("error") == "" ||
				!strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s with %s token: %d %s", p, name, r.status, r.body)
			}
		}
		if r := get(t, s.URL+p, tok); r.status != 200 {
			t.Errorf("%s with valid token: %d %s", p, r.status, r.body)
		}
	}
	s.ExpireAccessTokens()
	for _, p := range endpoints {
		if r := get(t, s.URL+p, tok); r.status != http.StatusUnauthorized {
			t.Errorf("%s with expired token: %d %s", p, r.status, r.body)
		}
	}
	if s.ValidAccessToken(tok) || !s.ValidAccessToken(s.NewAccessToken()) {
		t.Error("ExpireAccessTokens must expire old tokens only")
	}
}

func TestAccountsAndConfig(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	r := get(t, s.AccountsURL(), loginTokens(t, s).str("access_token"))
	u, _ := url.Parse(s.URL)
	if r.status != 200 || r.str("tenant_domain") != u.Host || r.json["error"] != nil {
		t.Fatalf("accounts: %d %s", r.status, r.body)
	}
	cfg := get(t, "http://"+r.str("tenant_domain")+"/config.yaml", "")
	if cfg.status != 200 || !strings.Contains(cfg.header.Get("Content-Type"), "yaml") {
		t.Fatalf("config.yaml: %d %s", cfg.status, cfg.header.Get("Content-Type"))
	}
	for _, want := range []string{"\napis:\n", "\n  baseUrl: " + s.URL + "\n", "\n  workspaceUrl: " + s.URL + "/workspace\n"} {
		if !strings.Contains(cfg.body, want) {
			t.Errorf("config.yaml lacks %q:\n%s", want, cfg.body)
		}
	}
	// A naive "first baseUrl" parser must get it wrong: another section comes first.
	if first := strings.Index(cfg.body, "baseUrl:"); strings.HasPrefix(cfg.body[first:], "baseUrl: "+s.URL+"\n") {
		t.Error("the first baseUrl in config.yaml is apis.baseUrl; a naive parser would pass")
	}
	if s.Count(EndpointAccounts) != 1 || s.Count(EndpointConfig) != 1 {
		t.Errorf("counts accounts=%d config=%d", s.Count(EndpointAccounts), s.Count(EndpointConfig))
	}
}

func TestDWToken(t *testing.T) {
	t.Parallel()
	s, clock := newClockServer(t, Config{DWTokenLifetime: 10 * time.Minute, DWProjectID: "carto-dw-ac-test"})
	r := get(t, s.URL+"/v3/connections/carto-dw/token", s.NewAccessToken())
	dw := r.str("token")
	if r.status != 200 || r.str("projectId") != "carto-dw-ac-test" || !strings.HasPrefix(dw, "ya29.") || len(r.json) != 2 {
		t.Fatalf("DW token: %d %s", r.status, r.body)
	}
	if s.DWProjectID() != "carto-dw-ac-test" || NewUnstartedServer(Config{}).DWProjectID() != DefaultDWProjectID {
		t.Error("DWProjectID")
	}
	if !s.ValidDWToken(dw) || s.ValidDWToken("ya29.other") || s.ValidAccessToken(dw) {
		t.Fatal("ValidDWToken disagrees with the issued token")
	}
	clock.advance(10*time.Minute - time.Second)
	if !s.ValidDWToken(dw) {
		t.Error("DW token expired early")
	}
	clock.advance(time.Second)
	if s.ValidDWToken(dw) {
		t.Error("DW token still valid after its lifetime")
	}
	dw2 := get(t, s.URL+"/v3/connections/carto-dw/token", s.NewAccessToken()).str("token")
	s.ExpireDWTokens()
	if s.ValidDWToken(dw2) {
		t.Error("ExpireDWTokens left a token valid")
	}
}

func TestUserinfo(t *testing.T) {
	t.Parallel()
	for _, atUserinfo := range []bool{false, true} {
		s := newTestServer(t, Config{ClaimsAtUserinfo: atUserinfo})
		v, c := pkce("verifier-")
		toks := postForm(t, s.TokenURL(), exchangeForm(loginCode(t, s, c, map[string]string{"scope": "openid email profile offline_access"}), v))
		r := get(t, s.URL+"/userinfo", toks.str("access_token"))
		if r.status != 200 || r.str("email") != TestUser || r.str("name") != "Sandbox Analyst" || r.str("sub") == "" {
			t.Errorf("userinfo (ClaimsAtUserinfo %v): %d %s", atUserinfo, r.status, r.body)
		}
		idToken := toks.str("id_token")
		parts := strings.Split(idToken, ".")
		if len(parts) != 3 {
			t.Fatalf("id_token %q is not a JWT", idToken)
		}
		payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
		if got := strings.Contains(string(payload), TestUser); got == atUserinfo {
			t.Errorf("ClaimsAtUserinfo %v: the ID token has the email: %v (%s)", atUserinfo, got, payload)
		}
		// M2M tokens have no user.
		id, secret := s.AddM2MClient()
		m2m := postForm(t, s.TokenURL(), url.Values{"grant_type": {"client_credentials"}, "client_id": {id},
			"client_secret": {secret}, "audience": {Audience}})
		if r := get(t, s.URL+"/userinfo", m2m.str("access_token")); r.status != http.StatusUnauthorized {
			t.Errorf("userinfo for an M2M token: %d %s", r.status, r.body)
		}
		if s.Count(EndpointUserinfo) != 2 {
			t.Errorf("Count(userinfo) = %d, want 2", s.Count(EndpointUserinfo))
		}
	}
}
