package cartotest

import (
	"net/http"
	"strings"
)

// corsMaxAge is how long, in seconds, a browser may reuse a preflight's answer.
const corsMaxAge = "600"

// corsPath reports whether path is one of the data APIs a web page calls across origins
// (the Maps API, as @deck.gl/carto does from a notebook page, and the SQL API).
func corsPath(path string) bool {
	return strings.HasPrefix(path, "/v3/maps/") || strings.HasPrefix(path, "/v3/sql/")
}

// corsOrigin is the request's Origin when it is an http(s) page's, else "".
func corsOrigin(r *http.Request) string {
	o := r.Header.Get("Origin")
	if o == "" || originOf(o) == "" {
		return ""
	}
	return o
}

// allowOrigin lets the page that sent r read the answer, whatever its status (so that it
// can read a 401 or 403's error too), by echoing its origin.
func allowOrigin(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Origin")
	if o := corsOrigin(r); o != "" {
		w.Header().Set("Access-Control-Allow-Origin", o)
	}
}

// preflight answers a CORS preflight (OPTIONS) from any http(s) page: GET and POST with the
// Authorization and Content-Type headers; 204, or 403 for a request without such an
// origin. Tokens are checked on the requests themselves, never on a preflight (which
// carries none).
func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Add("Vary", "Origin")
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	o := corsOrigin(r)
	if o == "" {
		apiError(w, http.StatusForbidden, "Forbidden: a CORS preflight needs the Origin of an http(s) page")
		return
	}
	h.Set("Access-Control-Allow-Origin", o)
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
	h.Set("Access-Control-Max-Age", corsMaxAge)
	w.WriteHeader(http.StatusNoContent)
}
