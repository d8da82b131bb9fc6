package carto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/carto-go/carto-auth/internal/wire"
)

// apiRequest is the method, URL and body (JSON, or nil) of a request to one of CARTO's APIs.
type apiRequest struct {
	method, url string
	body        []byte
	// secretURL: the URL holds a secret, so no redirect is followed (the client would send
	// the URL on as the Referer).
	secretURL bool
	// cancelled, when set, is the error for a request its context ended.
	cancelled func(context.Context) error
}

// sendAPI sends req with the token, once more with a renewed one if the API refuses it (401),
// and returns a successful answer; otherwise answerErr's error for the API's answer. name
// names the API in errors.
func (a *Auth) sendAPI(ctx context.Context, q *apiRequest, name string, answerErr func(*http.Response, []byte) error) (*http.Response, error) {
	hc := a.HTTPClient()
	if q.secretURL {
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	for retried := false; ; retried = true {
		used, err := a.AccessToken(ctx)
		if err != nil {
			return nil, err
		}
		var body io.Reader
		if q.body != nil {
			body = bytes.NewReader(q.body)
		}
		req, err := http.NewRequestWithContext(ctx, q.method, q.url, body)
		if err != nil {
			return nil, err
		}
		if q.body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			switch {
			case ctx.Err() != nil && q.cancelled != nil:
				return nil, q.cancelled(ctx)
			case ctx.Err() != nil:
				return nil, fmt.Errorf("%s endpoint: %w", name, context.Cause(ctx))
			}
			if q.secretURL {
				return nil, fmt.Errorf("%s endpoint: %w", name, hideURL(err))
			}
			return nil, fmt.Errorf("%s endpoint: %w", name, wire.RedactURLError(err))
		}
		if resp.StatusCode/100 == 2 {
			return resp, nil
		}
		answer, _ := wire.ReadLimited(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusUnauthorized && !retried {
			if now, err := a.AccessToken(ctx); err == nil && now != used {
				continue // renewed: the body goes once more
			}
		}
		return nil, answerErr(resp, answer)
	}
}

// hideURL is err without the URL of its request (one that holds a secret, in any encoding).
func hideURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: "(URL hidden)", Err: ue.Err}
	}
	return err
}
