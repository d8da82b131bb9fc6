package cartotest

import (
	"net/http"
	"net/url"
)

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

// IssuedCodes returns the authorization codes issued so far, oldest first.
func (s *Server) IssuedCodes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.st.codeLog...)
}

// DenyNext makes the next approval (automatic or by the login form) end with
// error=access_denied on the redirect, as when the user refuses consent. Calls add up.
func (s *Server) DenyNext() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.deny++
}
