package cartotest

import "net/http"

// handleCodePage is CARTO's copy-code page (the redirect URI of remote notebooks).
func (s *Server) handleCodePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("error") != "":
		writePage(w, http.StatusOK, errorPage, pageData{Title: "Login failed",
			Error: q.Get("error"), Description: q.Get("error_description")})
	case q.Get("code") == "":
		writePage(w, http.StatusBadRequest, errorPage, pageData{Title: "No code",
			Error: "This page needs a code parameter. Start the login again from your notebook."})
	case q.Has("state"):
		// CARTO's code page may be an Auth0 single-page app, which takes code+state in its URL
		// for its own login callback; the copy-code login must not send state.
		writePage(w, http.StatusBadRequest, errorPage, pageData{Title: "Unexpected state",
			Error: "The login request carried a state parameter; CARTO's code page may treat it as its own login callback and show no code. Copy-code logins send no state (PKCE binds the code)."})
	default:
		writePage(w, http.StatusOK, codePage, pageData{Title: "Access code", Code: q.Get("code")})
	}
}
