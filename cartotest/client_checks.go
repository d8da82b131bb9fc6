package cartotest

import (
	"net/http"
	"net/url"
)

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
