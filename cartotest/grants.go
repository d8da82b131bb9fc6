package cartotest

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

// grantCode is grant_type=authorization_code: a code from /authorize, its PKCE verifier.
func (s *Server) grantCode(w http.ResponseWriter, r *http.Request, f url.Values) {
	if !s.publicClient(w, f, "authorization_code") || !checkAudience(w, f.Get("audience")) {
		return
	}
	for _, p := range []string{"code", "redirect_uri", "code_verifier"} {
		if f.Get(p) == "" {
			oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: "+p)
			return
		}
	}
	iss := s.base(r) + "/" // before locking: base takes s.mu
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.st.codes[f.Get("code")]
	if c == nil || c.used || !s.now().Before(c.expires) || c.clientID != f.Get("client_id") {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code")
		return
	}
	c.used = true // spent by any attempt, successful or not
	if f.Get("redirect_uri") != c.redirectURI {
		oauthError(w, http.StatusBadRequest, "invalid_grant",
			"redirect_uri does not match the one used on authorize")
		return
	}
	if !verifierMatches(f.Get("code_verifier"), c.challenge) {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Failed to verify code verifier")
		return
	}
	g := grant{clientID: c.clientID, subject: c.subject, scope: c.scope, org: c.org}
	if s.cfg.NoRefreshToken {
		g.scope = withoutScope(g.scope, "offline_access")
	}
	resp := s.tokenFor(iss, g)
	if hasScope(g.scope, "offline_access") {
		resp.RefreshToken = s.issueRefresh(g, 0)
	}
	writeJSON(w, http.StatusOK, resp)
}

// grantRefresh is grant_type=refresh_token, with Auth0's rotation and reuse detection when
// Config.RotateRefreshTokens is set.
func (s *Server) grantRefresh(w http.ResponseWriter, r *http.Request, f url.Values) {
	if !s.publicClient(w, f, "refresh_token") {
		return
	}
	if f.Get("refresh_token") == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: refresh_token")
		return
	}
	iss := s.base(r) + "/" // before locking: base takes s.mu
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.st.refresh[f.Get("refresh_token")]
	if rt == nil || s.st.revoked[rt.family] || rt.clientID != f.Get("client_id") {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Unknown or invalid refresh token.")
		return
	}
	if rt.used {
		s.st.reuse++
		s.st.revoked[rt.family] = true
		oauthError(w, http.StatusBadRequest, "invalid_grant", "Unknown or invalid refresh token.")
		return
	}
	g := rt.grant
	if sc := f.Get("scope"); sc != "" {
		for _, want := range strings.Fields(sc) {
			if !hasScope(rt.scope, want) {
				oauthError(w, http.StatusBadRequest, "invalid_scope", "Scope not granted: "+want)
				return
			}
		}
		g.scope = sc
	}
	resp := s.tokenFor(iss, g)
	if s.cfg.RotateRefreshTokens {
		rt.used = true
		resp.RefreshToken = s.issueRefresh(rt.grant, rt.family)
	}
	writeJSON(w, http.StatusOK, resp)
}

// grantClientCredentials is grant_type=client_credentials, for clients from AddM2MClient
// (secret in the form body only).
func (s *Server) grantClientCredentials(w http.ResponseWriter, r *http.Request, f url.Values) {
	id, secret := f.Get("client_id"), f.Get("client_secret")
	if id == "" || secret == "" {
		desc := "client_id and client_secret are required in the request body"
		if _, _, basic := r.BasicAuth(); basic {
			desc = "HTTP Basic client authentication is not accepted; send client_id and client_secret in the form body"
		}
		oauthError(w, http.StatusUnauthorized, "invalid_client", desc)
		return
	}
	iss := s.base(r) + "/" // before locking: base takes s.mu
	s.mu.Lock()
	defer s.mu.Unlock()
	want, known := s.st.clients[id]
	switch {
	case !known:
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
		return
	case want == "":
		oauthError(w, http.StatusForbidden, "unauthorized_client",
			"Grant type 'client_credentials' not allowed for the client.")
		return
	case subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1:
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
		return
	}
	if !checkAudience(w, f.Get("audience")) {
		return
	}
	writeJSON(w, http.StatusOK, s.tokenFor(iss, grant{clientID: id, subject: id + "@clients"}))
}
