package cartodw

import (
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Transport returns an http.RoundTripper that sends requests through base
// (nil means Options.Transport) with "Authorization: Bearer <DW token>" when
// they go to the BigQuery endpoint's origin (Options.Endpoint); requests to
// any other origin, and redirects from https to http, go out without it.
//
// When the server answers 401 Unauthorized, the transport drops that token,
// fetches a new one (once, shared with concurrent requests) and sends the
// request again if its body can be replayed (http.Request.GetBody; requests
// built by Google's clients and by http.NewRequest with an in-memory body
// can). Otherwise, or if the new token is refused too, the 401 response is
// returned as it came, for the client to report.
func (s *TokenSource) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = s.base
	}
	return &transport{src: s, base: base}
}

// transport is the RoundTripper returned by TokenSource.Transport.
type transport struct {
	src  *TokenSource
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.src.tokenGoesTo(req) {
		return t.base.RoundTrip(req)
	}
	ctx := req.Context()
	tok, err := t.src.TokenContext(ctx)
	if err != nil {
		closeBody(req)
		return nil, err
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	resp, err := t.base.RoundTrip(withBearer(req, req.Body, tok.AccessToken))
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	t.src.Invalidate(tok.AccessToken)
	if !replayable {
		return resp, nil
	}
	fresh, err := t.src.TokenContext(ctx)
	if err != nil {
		// CARTO's answer says more than BigQuery's 401 (e.g. that the CARTO
		// login has expired).
		discard(resp)
		return nil, err
	}
	if fresh.AccessToken == tok.AccessToken {
		return resp, nil // CARTO handed out the refused token again
	}
	body := req.Body
	if req.GetBody != nil {
		if body, err = req.GetBody(); err != nil {
			return resp, nil
		}
	}
	discard(resp)
	resp, err = t.base.RoundTrip(withBearer(req, body, fresh.AccessToken))
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		t.src.Invalidate(fresh.AccessToken)
	}
	return resp, err
}

// withBearer returns a copy of req with the given body and bearer token; a
// RoundTripper must not modify the request it is given.
func withBearer(req *http.Request, body io.ReadCloser, token string) *http.Request {
	r := req.Clone(req.Context())
	r.Body = body
	r.Header.Set("Authorization", "Bearer "+token)
	return r
}

// discard drains (a little of) and closes a response body that will not be
// returned, so that its connection can be reused.
func discard(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 64<<10)
	_ = resp.Body.Close()
}

// closeBody closes the request body, as a RoundTripper must even on error.
func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

// tokenGoesTo reports whether req is for the BigQuery endpoint's origin (same
// scheme, host and port) and no earlier hop of its redirects was https while
// it is not.
func (s *TokenSource) tokenGoesTo(req *http.Request) bool {
	u, e := req.URL, s.endpoint
	if s.endpointErr != nil { // http to another machine: the token would travel in clear
		return false
	}
	if !strings.EqualFold(u.Scheme, e.Scheme) || !strings.EqualFold(u.Hostname(), e.Hostname()) || port(u) != port(e) {
		return false
	}
	for prev := req.Response; prev != nil && prev.Request != nil; prev = prev.Request.Response {
		if prev.Request.URL.Scheme == "https" && u.Scheme != "https" {
			return false
		}
	}
	return true
}

// port is u's port, or its scheme's default.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "http") {
		return "80"
	}
	return "443"
}
