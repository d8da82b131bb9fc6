package cartotest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// tokenResponse is the token endpoint's success body (RFC 6749 §5.1).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// oauthError writes an RFC 6749 §5.2 error body.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": description})
}

// isForm reports whether the request body is declared form-encoded.
func isForm(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// parseBodyForm parses a form-encoded body into r.PostForm, rejecting other content types
// and repeated parameters (RFC 6749 §3.2).
func parseBodyForm(r *http.Request) string {
	if !isForm(r) {
		return "Content-Type must be application/x-www-form-urlencoded"
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return "malformed form body"
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return "parameter " + k + " is included more than once"
		}
	}
	return ""
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	bad := parseBodyForm(r)
	gt := r.PostForm.Get("grant_type")
	endpoints := []string{EndpointToken}
	if slices.Contains([]string{"authorization_code", "refresh_token", "client_credentials"}, gt) {
		s.count("token:" + gt)
		endpoints = []string{"token:" + gt, EndpointToken}
	}
	if s.fault(w, r, endpoints...) {
		return
	}
	f := r.PostForm
	switch {
	case bad != "":
		oauthError(w, http.StatusBadRequest, "invalid_request", bad)
	case gt == "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: grant_type")
	case gt == "authorization_code":
		s.grantCode(w, r, f)
	case gt == "refresh_token":
		s.grantRefresh(w, r, f)
	case gt == "client_credentials":
		s.grantClientCredentials(w, r, f)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type: "+gt)
	}
}

// checkAudience writes an error and returns false unless aud is Audience.
func checkAudience(w http.ResponseWriter, aud string) bool {
	switch aud {
	case Audience:
		return true
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "Missing required parameter: audience")
	default:
		oauthError(w, http.StatusForbidden, "access_denied", "Service not found: "+aud)
	}
	return false
}

// publicClient checks the client_id of a public-client grant; on failure it writes the error.
func (s *Server) publicClient(w http.ResponseWriter, f url.Values, grantType string) bool {
	id := f.Get("client_id")
	s.mu.Lock()
	secret, known := s.st.clients[id]
	s.mu.Unlock()
	switch {
	case id == "":
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Missing required parameter: client_id")
	case !known:
		oauthError(w, http.StatusUnauthorized, "invalid_client", "Unknown client.")
	case secret != "":
		oauthError(w, http.StatusForbidden, "unauthorized_client",
			"Grant type '"+grantType+"' not allowed for the client.")
	default:
		return true
	}
	return false
}

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

// tokenFor issues an access token (and an ID token, issued by iss, when openid is in
// scope); caller holds s.mu.
func (s *Server) tokenFor(iss string, g grant) tokenResponse {
	tok, life := s.issueAccess(g)
	resp := tokenResponse{AccessToken: tok, TokenType: "Bearer", Scope: g.scope,
		ExpiresIn: int64((life + time.Second - 1) / time.Second)}
	if hasScope(g.scope, "openid") {
		resp.IDToken = s.idToken(iss, g, life)
	}
	return resp
}

// verifierMatches checks an RFC 7636 code_verifier against an S256 challenge.
func verifierMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	for _, ch := range verifier {
		if !isBase64URL(ch) && ch != '.' && ch != '~' {
			return false
		}
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

func hasScope(scope, want string) bool { return slices.Contains(strings.Fields(scope), want) }

func withoutScope(scope, drop string) string {
	var kept []string
	for _, sc := range strings.Fields(scope) {
		if sc != drop {
			kept = append(kept, sc)
		}
	}
	return strings.Join(kept, " ")
}
