package cartotest

import (
	"mime"
	"net/http"
)

// isForm reports whether the request body is declared form-encoded.
func isForm(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "application/x-www-form-urlencoded"
}

// parseBodyForm parses a form-encoded body into r.PostForm, rejecting other content types
// and repeated parameters (RFC 6749 §3.2).
func parseBodyForm(r *http.Request) string {
	if !isForm(r) {
		return "Content-Type must be application/x-www-form-urlencoded"
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return "malformed form body"
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return "parameter " + k + " is included more than once"
		}
	}
	return ""
}
