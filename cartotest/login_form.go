package cartotest

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
)

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
		writeLoginForm(w, http.StatusOK, id, "Wrong email or password.")
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
