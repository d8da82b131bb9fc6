package wire

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const maxBody = 1 << 20 // answers over 1 MiB are refused

// Client makes the requests of a login: tokens, discovery, userinfo, revocation, the DW token.
// Its HTTP client follows redirects only within an origin (see SameOriginRedirects).
type Client struct {
	HC  *http.Client
	Log *slog.Logger
	// Backoff is the first wait before a retry (it doubles, with jitter); 0 means 500 ms.
	Backoff time.Duration
}

// Retry policy for idempotent calls (client credentials, refresh, discovery, DW token).
const (
	retryAttempts  = 4
	defaultBackoff = 500 * time.Millisecond
	retryMaxWait   = 20 * time.Second
)

// DefaultTimeout bounds every request of a Client.
const DefaultTimeout = 30 * time.Second

// SameOriginRedirects returns a copy of hc for the auth requests (tokens, discovery, DW token,
// revocation), which carry secrets in headers or bodies: it follows a redirect only from a GET
// to the same origin. Any other redirect answer is returned as it came, and reported.
func SameOriginRedirects(hc *http.Client) *http.Client {
	c := *hc
	next := hc.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if via[0].Method != http.MethodGet || Origin(req.URL) != Origin(via[0].URL) {
			return http.ErrUseLastResponse
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &c
}

// GetJSON GETs url (with a Bearer token when token != "") and decodes a JSON answer into v.
func (c *Client) GetJSON(ctx context.Context, endpoint, url, token string, v any) error {
	return c.Retry(ctx, endpoint, func(ctx context.Context) error {
		body, err := c.Get(ctx, endpoint, url, token)
		if err != nil {
			return err
		}
		return JSONInto(body, v, endpoint)
	})
}

// JSONInto decodes a JSON answer of endpoint into v.
func JSONInto(body []byte, v any, endpoint string) error {
	if err := json.Unmarshal(body, v); err != nil {
		return &ServerError{Endpoint: endpoint, Description: "the answer is not valid JSON", Hint: "check the server address"}
	}
	return nil
}

// Get makes one GET and returns the body of a 2xx answer, or a *ServerError.
func (c *Client) Get(ctx context.Context, endpoint, url, token string) ([]byte, error) {
	return c.do(ctx, endpoint, http.MethodGet, url, func(req *http.Request) {
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
	}, nil)
}

// do makes one request, bounded by DefaultTimeout, and returns the body of a 2xx answer, or a
// *ServerError; set adds the request's headers.
func (c *Client) do(ctx context.Context, endpoint, method, url string, set func(*http.Request), body io.Reader) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, DefaultTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", endpoint, err)
	}
	set(req)
	resp, err := c.HC.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s endpoint: %w", endpoint, RedactURLError(err))
	}
	defer resp.Body.Close()
	answer, err := ReadLimited(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s endpoint: %w", endpoint, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, AnswerError(endpoint, resp, answer)
	}
	return answer, nil
}

// ReadLimited reads an answer of at most 1 MiB.
func ReadLimited(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if len(body) > maxBody {
		return nil, errors.New("the answer is larger than 1 MiB")
	}
	return body, nil
}

// AnswerError turns a non-2xx answer into a *ServerError with the server's error fields.
func AnswerError(endpoint string, resp *http.Response, body []byte) error {
	se := &ServerError{Endpoint: endpoint, Status: resp.StatusCode}
	var fields struct {
		Error       any    `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
	}
	if json.Unmarshal(body, &fields) == nil {
		se.Code = FieldText(fields.Error)
		se.Description = cmp.Or(fields.Description, fields.Message)
	}
	se.Description = Clip(se.Description)
	se.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"))
	if resp.StatusCode == http.StatusUnauthorized {
		se.Hint = "the token was refused; log in again"
	}
	return se
}

// FieldText renders an "error" field that may be a string or an object.
func FieldText(v any) string {
	switch e := v.(type) {
	case string:
		return e
	case nil:
		return ""
	case map[string]any:
		if m, ok := e["message"].(string); ok {
			return m
		}
	}
	b, _ := json.Marshal(v)
	return Clip(string(b))
}

// Clip trims s and cuts it to 300 bytes, for error text taken from an answer.
func Clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// Retry runs call until it succeeds, fails for good, or the attempts run out. Connection
// errors, 429 and 5xx are retried with exponential backoff and jitter, honouring Retry-After.
func (c *Client) Retry(ctx context.Context, endpoint string, call func(context.Context) error) error {
	return c.RetryIf(ctx, endpoint, Retryable, call)
}

// Unsent is the retry policy for calls that must not run twice (a rotating refresh token):
// only failures that prove the server did not act on the request — no connection made, 429,
// 503 — are retried.
func Unsent(err error) (time.Duration, bool) {
	var se *ServerError
	if errors.As(err, &se) {
		return se.retryAfter, se.Status == http.StatusTooManyRequests || se.Status == http.StatusServiceUnavailable
	}
	var oe *net.OpError
	return 0, errors.As(err, &oe) && oe.Op == "dial"
}

// Never is the retry policy of a call that may run once only (a single-use code).
func Never(error) (time.Duration, bool) { return 0, false }

// RetryIf is Retry with the policy given: which errors are worth another try, and how long
// the server asked to wait.
func (c *Client) RetryIf(ctx context.Context, endpoint string, retryable func(error) (time.Duration, bool), call func(context.Context) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		if err = call(ctx); err == nil || attempt == retryAttempts || ctx.Err() != nil {
			return err
		}
		wait, ok := retryable(err)
		if !ok {
			return err
		}
		if wait == 0 {
			backoff := cmp.Or(c.Backoff, defaultBackoff) << (attempt - 1)
			wait = backoff/2 + rand.N(backoff)
		}
		if wait > retryMaxWait {
			return fmt.Errorf("%w (the server asks to wait %s; try again later)", err, wait.Round(time.Second))
		}
		c.Log.Warn("retrying", "endpoint", endpoint, "attempt", attempt, "wait", wait, "error", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (gave up waiting to retry: %w)", err, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// Retryable says whether err is worth another try, and how long the server asked to wait.
func Retryable(err error) (time.Duration, bool) {
	var se *ServerError
	if errors.As(err, &se) {
		return se.retryAfter, se.Status == http.StatusTooManyRequests || se.Status >= 500
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return 0, false
	}
	var oe *net.OpError
	return 0, errors.As(err, &oe) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
