package cartotest

import (
	"net/http"
	"net/url"
	"slices"
)

// authError is an /authorize error sent back to the client on the redirect.
type authError struct{ code, description string }

// allowedRedirect reports whether uri is registered for clientID, byte for byte.
func (s *Server) allowedRedirect(r *http.Request, clientID, uri string) bool {
	if clientID != ClientID {
		return false // M2M clients have no callback URLs
	}
	return uri == LoopbackRedirectURI || uri == s.base(r)+"/auth/token" ||
		slices.Contains(s.cfg.RedirectURIs, uri)
}

// parseAuthorize checks an /authorize query. A non-empty page means an error shown to the
// user without a redirect (unknown client or redirect URI); a non-nil authError is sent on
// the redirect to req.redirectURI.
func (s *Server) parseAuthorize(r *http.Request) (req *authRequest, page string, aerr *authError) {
	q := r.URL.Query()
	for k, v := range q {
		if len(v) > 1 {
			return nil, "Parameter " + k + " is included more than once.", nil
		}
	}
	req = &authRequest{clientID: q.Get("client_id"), redirectURI: q.Get("redirect_uri"),
		state: q.Get("state"), scope: q.Get("scope"), org: q.Get("organization"),
		challenge: q.Get("code_challenge"), loginHint: q.Get("login_hint")}
	s.mu.Lock()
	_, known := s.st.clients[req.clientID]
	s.mu.Unlock()
	switch {
	case req.clientID == "":
		return nil, "Missing required parameter: client_id", nil
	case !known:
		return nil, "Unknown client: " + req.clientID, nil
	case req.redirectURI == "":
		return nil, "Missing required parameter: redirect_uri", nil
	case !s.allowedRedirect(r, req.clientID, req.redirectURI):
		return nil, "Callback URL mismatch. " + req.redirectURI +
			" is not in the list of allowed callback URLs.", nil
	}
	return req, "", s.checkAuthorizeParams(q)
}

func (s *Server) checkAuthorizeParams(q url.Values) *authError {
	invalid := func(d string) *authError { return &authError{"invalid_request", d} }
	switch rt := q.Get("response_type"); {
	case rt == "":
		return invalid("Missing required parameter: response_type")
	case rt != "code":
		return &authError{"unsupported_response_type", "Unsupported response type: " + rt}
	}
	switch aud := q.Get("audience"); {
	case aud == "":
		return invalid("Missing required parameter: audience")
	case aud != Audience:
		return &authError{"access_denied", "Service not found: " + aud}
	}
	if m := q.Get("code_challenge_method"); m != "S256" {
		return invalid("code_challenge_method must be S256, got " + quoteOrEmpty(m))
	}
	if c := q.Get("code_challenge"); !isS256Challenge(c) {
		return invalid("code_challenge must be 43 characters of base64url (S256 of the verifier)")
	}
	if org := q.Get("organization"); org != "" && !slices.Contains(s.cfg.Organizations, org) {
		return invalid("parameter organization is invalid: " + org)
	}
	return nil
}

func quoteOrEmpty(s string) string {
	if s == "" {
		return "nothing"
	}
	return `"` + s + `"`
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	req, page, aerr := s.parseAuthorize(r)
	switch {
	case page != "":
		writePage(w, http.StatusBadRequest, errorPage, pageData{Title: "Invalid request", Error: page})
	case aerr != nil:
		redirectWith(w, req, url.Values{"error": {aerr.code}, "error_description": {aerr.description}})
	case s.cfg.LoginPage:
		id := randomToken("")
		s.mu.Lock()
		s.st.pending[id] = req
		s.mu.Unlock()
		writeLoginForm(w, http.StatusOK, id, "")
	default: // no login page: the login_hint's account, else TestUser
		u, ok := userByEmail(req.loginHint)
		if !ok {
			u = testUsers[0]
		}
		s.approve(w, req, u)
	}
}
