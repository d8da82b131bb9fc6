package cartotest

import (
	"crypto/subtle"
	"encoding/json"
	"mime"
	"net/http"
)

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
