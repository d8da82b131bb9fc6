package gonbauth

import (
	"net/http"
	"net/url"
)

// HTTPClient returns a client for CARTO's APIs: it adds "Authorization: Bearer <token>" to
// requests for the API base URL's origin (and the origins in Common.TokenOrigins), renewing the
// token with each request's context when needed. Requests to any other origin, and redirects
// from https to http, go out without the token, so the client can also fetch public data.
// It has no overall timeout (SQL queries and downloads may run long): bound requests with
// their context, or give Common.HTTPClient a Timeout.
func (a *Auth) HTTPClient() *http.Client {
	var timeout = a.set.hc.Timeout
	if !a.set.callerHC {
		timeout = 0
	}
	return &http.Client{Transport: &bearerTransport{auth: a, base: a.set.hc.Transport}, Timeout: timeout}
}

type bearerTransport struct {
	auth *Auth
	base http.RoundTripper
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	if !t.auth.tokenGoesTo(req) {
		return base.RoundTrip(req)
	}
	tok, err := t.auth.AccessToken(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	resp, err := base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		t.auth.set.log.Info("CARTO refused the access token; it will be renewed")
		t.auth.cache.refuse(tok)
	}
	return resp, err
}

// tokenGoesTo reports whether req may carry the CARTO token: its origin is the API base URL's
// or one the caller allowed, and no earlier hop of its redirects was https while it is not.
func (a *Auth) tokenGoesTo(req *http.Request) bool {
	o := origin(req.URL)
	if o == "" || !a.trusts(o) {
		return false
	}
	for prev := req.Response; prev != nil && prev.Request != nil; prev = prev.Request.Response {
		if prev.Request.URL.Scheme == "https" && req.URL.Scheme != "https" {
			return false
		}
	}
	return true
}

func (a *Auth) trusts(o string) bool {
	if base, err := url.Parse(a.APIBaseURL()); err == nil && origin(base) == o {
		return true
	}
	for _, t := range a.set.tokenOrigins {
		if t == o {
			return true
		}
	}
	return false
}
