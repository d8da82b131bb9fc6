package cartotest

import (
	"net/http"
	"strings"
)

// bearerToken is the request's Bearer token, "" without one.
func bearerToken(r *http.Request) string {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// bearer checks that the request carries a valid OAuth access token. A valid API access token
// gets a 403 (it may not call this endpoint); a missing, unknown or expired token a 401.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request) bool {
	tok := bearerToken(r)
	switch {
	case tok == "":
		unauthorized(w, "Unauthorized: missing Bearer token")
	case s.ValidAccessToken(tok):
		return true
	case s.validAPIToken(tok):
		apiError(w, http.StatusForbidden, "Forbidden: this endpoint needs an OAuth access token; an API access token cannot call it")
	default:
		unauthorized(w, "Unauthorized: invalid or expired token")
	}
	return false
}

// unauthorized writes a 401 with its challenge.
func unauthorized(w http.ResponseWriter, msg string) {
	challenge := `Bearer realm="carto"`
	if !strings.Contains(msg, "missing") {
		challenge += `, error="invalid_token"`
	}
	w.Header().Set("WWW-Authenticate", challenge)
	apiError(w, http.StatusUnauthorized, msg)
}

// validAPIToken reports whether tok is an API access token this server issued, not deleted
// and not expired.
func (s *Server) validAPIToken(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.apiTokens[tok]
	return ok && !t.expired(s.now())
}
