package cartotest

import (
	"net/http"
	"strings"
)

// bearer checks the request's Bearer token. On failure it writes a 401 and returns false.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request) bool {
	scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	tok = strings.TrimSpace(tok)
	switch {
	case !strings.EqualFold(scheme, "Bearer") || tok == "":
		w.Header().Set("WWW-Authenticate", `Bearer realm="carto"`)
		writeJSON(w, http.StatusUnauthorized, map[string]any{
			"error": "Unauthorized: missing Bearer token", "status": http.StatusUnauthorized})
	case !s.ValidAccessToken(tok):
		w.Header().Set("WWW-Authenticate", `Bearer realm="carto", error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, map[string]any{
			"error": "Unauthorized: invalid or expired token", "status": http.StatusUnauthorized})
	default:
		return true
	}
	return false
}
