package cartotest

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"slices"
	"strings"
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

// isS256Challenge reports whether c looks like an unpadded base64url SHA-256 digest.
func isS256Challenge(c string) bool {
	if len(c) != 43 {
		return false
	}
	for _, ch := range c {
		if !isBase64URL(ch) {
			return false
		}
	}
	return true
}

func isBase64URL(ch rune) bool {
	return ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' ||
		ch == '-' || ch == '_'
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
		s.writeLoginForm(w, http.StatusOK, id, "")
	default: // no login page: the login_hint's account, else TestUser
		u, ok := userByEmail(req.loginHint)
		if !ok {
			u = testUsers[0]
		}
		s.approve(w, req, u)
	}
}

// handleLogin receives the login form.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if !isForm(r) || r.ParseForm() != nil {
		writePage(w, http.StatusBadRequest, errorPage, pageData{Title: "Invalid request",
			Error: "The login form must be posted as application/x-www-form-urlencoded."})
		return
	}
	id := r.PostForm.Get("req")
	s.mu.Lock()
	req := s.st.pending[id]
	s.mu.Unlock()
	if req == nil {
		writePage(w, http.StatusBadRequest, errorPage, pageData{Title: "Invalid request",
			Error: "This login request is unknown or already finished. Start the login again."})
		return
	}
	if r.PostForm.Get("action") == "deny" {
		s.finishPending(id)
		redirectWith(w, req, url.Values{"error": {"access_denied"},
			"error_description": {"User did not authorize the request"}})
		return
	}
	user := strings.TrimSpace(r.PostForm.Get("username"))
	pass := r.PostForm.Get("password")
	u, known := userByEmail(user)
	if !known || subtle.ConstantTimeCompare([]byte(pass), []byte(TestPassword)) != 1 {
		s.writeLoginForm(w, http.StatusOK, id, "Wrong email or password.")
		return
	}
	s.finishPending(id)
	s.approve(w, req, u)
}

func (s *Server) finishPending(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.st.pending, id)
}

// approve ends an authorize request: a code on the redirect, or access_denied after DenyNext.
func (s *Server) approve(w http.ResponseWriter, req *authRequest, u testUser) {
	s.mu.Lock()
	if s.st.deny > 0 {
		s.st.deny--
		s.mu.Unlock()
		redirectWith(w, req, url.Values{"error": {"access_denied"},
			"error_description": {"User did not authorize the request"}})
		return
	}
	code := randomToken("")
	approved := *req
	approved.subject = u.subject
	s.st.codes[code] = &authCode{authRequest: approved, expires: s.now().Add(codeLifetime)}
	s.st.codeLog = append(s.st.codeLog, code)
	s.mu.Unlock()
	redirectWith(w, req, url.Values{"code": {code}})
}

// redirectWith sends a 302 to req.redirectURI with params (and state, when the request had
// one) added to its query.
func redirectWith(w http.ResponseWriter, req *authRequest, params url.Values) {
	u, err := url.Parse(req.redirectURI)
	if err != nil {
		writePage(w, http.StatusBadRequest, errorPage, pageData{Title: "Invalid request",
			Error: "redirect_uri is not a valid URL."})
		return
	}
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	if req.state != "" {
		q.Set("state", req.state)
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Location", u.String())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusFound)
}
