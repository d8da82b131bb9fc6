package wire

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// TokenContext carries the HTTP client to x/oauth2 and bounds one token request.
func (c *Client) TokenContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, DefaultTimeout)
	return context.WithValue(ctx, oauth2.HTTPClient, c.HC), cancel
}

// FetchToken makes a token request through x/oauth2, retried under the given policy, with
// its errors made ours.
func (c *Client) FetchToken(ctx context.Context, policy func(error) (time.Duration, bool), get func(context.Context) (*oauth2.Token, error)) (*oauth2.Token, error) {
	var t *oauth2.Token
	err := c.RetryIf(ctx, "token", policy, func(ctx context.Context) error {
		tctx, cancel := c.TokenContext(ctx)
		defer cancel()
		sent := time.Now()
		var err error
		if t, err = get(tctx); err != nil {
			return TokenError(err)
		}
		CountFromSend(t, sent)
		return nil
	})
	return t, err
}

// TokenError turns x/oauth2's errors into ours: a *ServerError with the RFC 6749 fields, and
// no request parameter (code, verifier, secret) anywhere in the text.
func TokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		se := &ServerError{Endpoint: "token", Code: re.ErrorCode, Description: Clip(re.ErrorDescription)}
		if re.Response != nil {
			se.Status = re.Response.StatusCode
			se.retryAfter = parseRetryAfter(re.Response.Header.Get("Retry-After"))
		}
		if se.Code == "" && se.Status/100 == 2 {
			se.Status = 0
		}
		se.Hint = tokenHint(se)
		return se
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("token endpoint: %w", RedactURLError(err))
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "oauth2: cannot parse") || strings.Contains(msg, "missing access_token") {
		return &ServerError{Endpoint: "token", Description: "the answer is not a valid token response", Hint: "check the auth server address"}
	}
	return fmt.Errorf("token endpoint: %w", RedactURLError(err))
}

func tokenHint(se *ServerError) string {
	switch {
	case se.Code == "invalid_client" || se.Status == http.StatusUnauthorized:
		return "check the client id and secret"
	case se.Code == "access_denied":
		return "the account may not have access; ask your CARTO admin"
	case se.Status == http.StatusTooManyRequests || se.Status >= 500:
		return "the server is busy or down; try again later"
	}
	return ""
}

// CountFromSend makes a token answer's expiry count from when its request was sent rather than
// from when the answer arrived (as x/oauth2 counts it): an answer held up on its way would
// otherwise make the token look valid for longer than the server issued it for.
func CountFromSend(t *oauth2.Token, sent time.Time) {
	if !t.Expiry.IsZero() {
		t.Expiry = t.Expiry.Add(-time.Since(sent))
	}
}
