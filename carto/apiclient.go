package carto

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/carto-go/carto-auth/internal/wire"
)

// HTTPClient returns a client for CARTO's APIs: it adds "Authorization: Bearer <token>" to
// requests for the API base URL's origin (and the origins in Common.TokenOrigins), renewing the
// token with each request's context when needed. Requests to any other origin go out without
// the token, so the client can also fetch public data; so does a request that a redirect
// brought from another origin (or from https to http), and a 307 or 308 redirect from another
// origin into a trusted one, which would resend the caller's body there, is refused.
// It has no overall timeout (SQL queries and downloads may run long): bound requests with
// their context, or give Common.HTTPClient a Timeout.
func (a *Auth) HTTPClient() *http.Client {
	var timeout = a.set.hc.Timeout
	if !a.set.callerHC {
		timeout = 0
	}
	return &http.Client{Transport: &bearerTransport{auth: a, base: a.set.hc.Transport}, Timeout: timeout,
		CheckRedirect: a.checkAPIRedirect}
}

// checkAPIRedirect refuses a 307/308 redirect from an origin without the token into one with
// it: the request would replay the caller's method and body against CARTO's API on a third
// party's say-so. Other redirects are followed (up to 10); the transport decides on the token.
func (a *Auth) checkAPIRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	code := req.Response.StatusCode
	from := via[len(via)-1].URL
	if (code == http.StatusTemporaryRedirect || code == http.StatusPermanentRedirect) && a.trusts(wire.Origin(req.URL)) && !a.trusts(wire.Origin(from)) {
		return fmt.Errorf("refusing a %d redirect from %s into the CARTO API at %s: it would resend your request there", code, wire.Origin(from), wire.Origin(req.URL))
	}
	return nil
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
		t.auth.refused(tok)
	}
	return resp, err
}

// tokenGoesTo reports whether req may carry the CARTO token: its origin is the API base URL's
// or one the caller allowed, and so was every earlier hop of its redirects (no third party can
// make the client call the API with the token), with no step down from https.
func (a *Auth) tokenGoesTo(req *http.Request) bool {
	if !a.trusts(wire.Origin(req.URL)) {
		return false
	}
	for prev := req.Response; prev != nil && prev.Request != nil; prev = prev.Request.Response {
		hop := prev.Request.URL
		if !a.trusts(wire.Origin(hop)) || (hop.Scheme == "https" && req.URL.Scheme != "https") {
			return false
		}
	}
	return true
}

func (a *Auth) trusts(o string) bool {
	if o == "" {
		return false
	}
	if base, err := url.Parse(a.APIBaseURL()); err == nil && wire.Origin(base) == o {
		return true
	}
	return slices.Contains(a.set.tokenOrigins, o)
}

// refused tells the cache that an API refused tok, and logs what follows.
func (a *Auth) refused(tok string) {
	if a.cache.Refuse(tok) {
		a.set.log.Info("CARTO refused the access token; it will be renewed")
		return
	}
	a.set.log.Info("CARTO refused the access token again; keeping it: it was renewed for a refusal within the last minute, or that renewal is failing (the request may be at fault)")
}
