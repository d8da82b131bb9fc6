package cartotest

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

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

// handleRevoke revokes a refresh token and its family (RFC 7009). Like Auth0 it takes a
// form or a JSON body with client_id and token (and client_secret for M2M clients).
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
		Token        string `json:"token"`
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/json" {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body); err != nil {
			oauthError(w, http.StatusBadRequest, "invalid_request", "malformed JSON body")
			return
		}
	} else if bad := parseBodyForm(r); bad != "" {
		oauthError(w, http.StatusBadRequest, "invalid_request",
			"Content-Type must be application/x-www-form-urlencoded or application/json")
		return
	} else {
		body.ClientID, body.ClientSecret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		body.Token = r.PostForm.Get("token")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	secret, known := s.st.clients[body.ClientID]
	switch {
	case body.ClientID == "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: client_id")
	case !known || subtle.ConstantTimeCompare([]byte(body.ClientSecret), []byte(secret)) != 1:
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
	case body.Token == "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: token")
	default:
		if rt := s.st.refresh[body.Token]; rt != nil && rt.clientID == body.ClientID {
			s.st.revoked[rt.family] = true
		}
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
	}
}

// idToken returns an unsigned (alg "none") ID token for g: enough for code that reads the
// account's email, not for code that verifies signatures.
func (s *Server) idToken(iss string, g grant, life time.Duration) string {
	now, u := s.now(), userBySubject(g.subject)
	claims := map[string]any{
		"iss": iss, "sub": g.subject, "aud": g.clientID,
		"iat": now.Unix(), "exp": now.Add(life).Unix(),
	}
	if !s.cfg.ClaimsAtUserinfo {
		claims["email"], claims["email_verified"], claims["name"] = u.email, true, u.name
	}
	if g.org != "" {
		claims["org_id"] = g.org
	}
	payload, _ := json.Marshal(claims) // plain values: cannot fail
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + "."
}
