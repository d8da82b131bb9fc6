package cartotest

import (
	"net/http"
	"slices"
)

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
