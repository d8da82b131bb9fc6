package cartotest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func refreshForm(rt string) url.Values {
	return url.Values{"grant_type": {"refresh_token"}, "client_id": {ClientID}, "refresh_token": {rt}}
}

func TestRefreshWithoutRotation(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	rt := loginTokens(t, s).str("refresh_token")
	for i := range 2 {
		r := postForm(t, s.TokenURL(), refreshForm(rt))
		if r.status != 200 || !s.ValidAccessToken(r.str("access_token")) || r.json["refresh_token"] != nil {
			t.Fatalf("refresh %d: %d %s", i, r.status, r.body)
		}
	}
	f := refreshForm(rt)
	f.Set("scope", "offline_access openid")
	wantOAuthError(t, postForm(t, s.TokenURL(), f), 400, "invalid_scope")
	f.Set("client_id", "other")
	wantOAuthError(t, postForm(t, s.TokenURL(), f), 401, "invalid_client")
	wantOAuthError(t, postForm(t, s.TokenURL(), refreshForm("sbx_rt_unknown")), 400, "invalid_grant")
	if s.Count(EndpointTokenRT) != 5 || s.ReuseDetected() != 0 {
		t.Errorf("Count(refresh)=%d ReuseDetected=%d, want 5 and 0", s.Count(EndpointTokenRT), s.ReuseDetected())
	}
}

func TestRefreshRotationReuseRevokesFamily(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{RotateRefreshTokens: true})
	rt1 := loginTokens(t, s).str("refresh_token")
	other := loginTokens(t, s).str("refresh_token") // another family, unaffected

	r := postForm(t, s.TokenURL(), refreshForm(rt1))
	rt2 := r.str("refresh_token")
	if r.status != 200 || rt2 == "" || rt2 == rt1 {
		t.Fatalf("first refresh: %d %s", r.status, r.body)
	}
	r = postForm(t, s.TokenURL(), refreshForm(rt2))
	rt3 := r.str("refresh_token")
	if r.status != 200 || rt3 == "" || rt3 == rt2 {
		t.Fatalf("second refresh: %d %s", r.status, r.body)
	}
	// rt1 was rotated out: presenting it again is reuse and revokes rt3 too.
	wantOAuthError(t, postForm(t, s.TokenURL(), refreshForm(rt1)), 400, "invalid_grant")
	if s.ReuseDetected() != 1 {
		t.Fatalf("ReuseDetected = %d, want 1", s.ReuseDetected())
	}
	wantOAuthError(t, postForm(t, s.TokenURL(), refreshForm(rt3)), 400, "invalid_grant")
	if r := postForm(t, s.TokenURL(), refreshForm(other)); r.status != 200 {
		t.Errorf("other family: %d %s", r.status, r.body)
	}
	if s.ReuseDetected() != 1 {
		t.Errorf("ReuseDetected = %d after a revoked (not reused) token, want 1", s.ReuseDetected())
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{RotateRefreshTokens: true})
	json := func(body string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, s.RevokeURL(), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	rt1 := loginTokens(t, s).str("refresh_token")
	rt2 := postForm(t, s.TokenURL(), refreshForm(rt1)).str("refresh_token")
	if r := do(t, json(`{"client_id":"`+ClientID+`","token":"`+rt2+`"}`)); r.status != 200 {
		t.Fatalf("JSON revoke: %d %s", r.status, r.body)
	}
	wantOAuthError(t, postForm(t, s.TokenURL(), refreshForm(rt2)), 400, "invalid_grant")

	rt := loginTokens(t, s).str("refresh_token")
	tests := []struct {
		name   string
		req    *http.Request
		status int
	}{
		{"unknown token", json(`{"client_id":"` + ClientID + `","token":"whatever"}`), 200},
		{"no client", json(`{"token":"` + rt + `"}`), 400},
		{"unknown client", json(`{"client_id":"x","token":"` + rt + `"}`), 401},
		{"bad JSON", json(`{"client_id":`), 400},
	}
	for _, tt := range tests {
		if r := do(t, tt.req); r.status != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, r.status, r.body, tt.status)
		}
	}
	if r := postForm(t, s.TokenURL(), refreshForm(rt)); r.status != 200 {
		t.Fatalf("refresh before form revoke: %d", r.status)
	}
	if r := postForm(t, s.RevokeURL(), url.Values{"client_id": {ClientID}, "token": {rt}}); r.status != 200 {
		t.Fatalf("form revoke: %d", r.status)
	}
	if s.Count(EndpointRevoke) != 6 {
		t.Errorf("Count(revoke) = %d, want 6", s.Count(EndpointRevoke))
	}
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{NoRefreshToken: true})
	id, secret := s.AddM2MClient()
	if len(id) != 32 || len(secret) != 64 {
		t.Fatalf("client id %d chars, secret %d chars; want 32 and 64", len(id), len(secret))
	}
	form := func(edit func(url.Values)) url.Values {
		f := url.Values{"grant_type": {"client_credentials"}, "client_id": {id},
			"client_secret": {secret}, "audience": {Audience}}
		if edit != nil {
			edit(f)
		}
		return f
	}
	r := postForm(t, s.TokenURL(), form(nil))
	if r.status != 200 || !s.ValidAccessToken(r.str("access_token")) || r.json["refresh_token"] != nil ||
		r.json["expires_in"] != float64(86400) {
		t.Fatalf("good secret: %d %s", r.status, r.body)
	}
	tests := []struct {
		name   string
		edit   func(url.Values)
		status int
		err    string
	}{
		{"bad secret", func(f url.Values) { f.Set("client_secret", secret[:63]+map[bool]string{true: "y", false: "x"}[secret[63] == 'x']) }, 401, "invalid_client"},
		{"unknown client", func(f url.Values) { f.Set("client_id", strings.Repeat("a", 32)) }, 401, "invalid_client"},
		{"no secret", func(f url.Values) { f.Del("client_secret") }, 401, "invalid_client"},
		{"public client", func(f url.Values) { f.Set("client_id", ClientID) }, 403, "unauthorized_client"},
		{"no audience", func(f url.Values) { f.Del("audience") }, 400, "invalid_request"},
		{"other audience", func(f url.Values) { f.Set("audience", "x") }, 403, "access_denied"},
	}
	for _, tt := range tests {
		wantOAuthError(t, postForm(t, s.TokenURL(), form(tt.edit)), tt.status, tt.err)
	}
	// HTTP Basic is not how CARTO clients authenticate.
	req, _ := http.NewRequest(http.MethodPost, s.TokenURL(), strings.NewReader(
		url.Values{"grant_type": {"client_credentials"}, "audience": {Audience}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	basic := do(t, req)
	wantOAuthError(t, basic, 401, "invalid_client")
	if !strings.Contains(basic.str("error_description"), "Basic") {
		t.Errorf("Basic rejection does not say why: %s", basic.body)
	}
	// An M2M client may not use the code grant.
	wantOAuthError(t, postForm(t, s.TokenURL(), url.Values{"grant_type": {"authorization_code"},
		"client_id": {id}, "code": {"x"}}), 403, "unauthorized_client")
	if s.Count(EndpointTokenCC) != 8 {
		t.Errorf("Count(client_credentials) = %d, want 8", s.Count(EndpointTokenCC))
	}
}

func TestWriteCredentialsFile(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	path := filepath.Join(t.TempDir(), "creds.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteCredentialsFile(path); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v (%v), want 0600", info.Mode(), err)
	}
	b, _ := os.ReadFile(path)
	var c Credentials
	if err := json.Unmarshal(b, &c); err != nil || c.APIBaseURL != s.URL || len(c.ClientID) != 32 || len(c.ClientSecret) != 64 {
		t.Fatalf("credentials %+v (%v)", c, err)
	}
	r := postForm(t, s.TokenURL(), url.Values{"grant_type": {"client_credentials"},
		"client_id": {c.ClientID}, "client_secret": {c.ClientSecret}, "audience": {Audience}})
	if r.status != 200 {
		t.Errorf("credentials from the file do not work: %d %s", r.status, r.body)
	}
	if err := s.WriteCredentialsFile(filepath.Join(t.TempDir(), "no", "such", "dir")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}
