package carto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const maxBody = 1 << 20 // answers over 1 MiB are refused

// Retry policy for idempotent calls (client credentials, refresh, discovery, DW token).
var (
	retryAttempts = 4
	retryBase     = 500 * time.Millisecond
	retryMaxWait  = 20 * time.Second
)

// sameOriginRedirects returns a copy of hc for the auth requests (tokens, discovery, DW token,
// revocation), which carry secrets in headers or bodies: it follows a redirect only from a GET
// to the same origin. Any other redirect answer is returned as it came, and reported.
func sameOriginRedirects(hc *http.Client) *http.Client {
	c := *hc
	next := hc.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if via[0].Method != http.MethodGet || origin(req.URL) != origin(via[0].URL) {
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

// getJSON GETs url (with a Bearer token when token != "") and decodes a JSON answer into v.
func (s *settings) getJSON(ctx context.Context, endpoint, url, token string, v any) error {
	return s.retry(ctx, endpoint, func(ctx context.Context) error {
		body, err := s.get(ctx, endpoint, url, token)
		if err != nil {
			return err
		}
		return jsonInto(body, v, endpoint)
	})
}

func jsonInto(body []byte, v any, endpoint string) error {
	if err := json.Unmarshal(body, v); err != nil {
		return &ServerError{Endpoint: endpoint, Description: "the answer is not valid JSON", Hint: "check the server address"}
	}
	return nil
}

// get makes one GET and returns the body of a 2xx answer, or a *ServerError.
func (s *settings) get(ctx context.Context, endpoint, url, token string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, defaultHTTPTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", endpoint, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s endpoint: %w", endpoint, redactURLError(err))
	}
	defer resp.Body.Close()
	body, err := readLimited(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%s endpoint: %w", endpoint, err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, answerError(endpoint, resp, body)
	}
	return body, nil
}

func readLimited(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if len(body) > maxBody {
		return nil, errors.New("the answer is larger than 1 MiB")
	}
	return body, nil
}

// answerError turns a non-2xx answer into a *ServerError with the server's error fields.
func answerError(endpoint string, resp *http.Response, body []byte) error {
	se := &ServerError{Endpoint: endpoint, Status: resp.StatusCode}
	var fields struct {
		Error       any    `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
	}
	if json.Unmarshal(body, &fields) == nil {
		se.Code = fieldText(fields.Error)
		se.Description = firstNonEmpty(fields.Description, fields.Message)
	}
	se.Description = clip(se.Description)
	se.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"))
	if resp.StatusCode == http.StatusUnauthorized {
		se.Hint = "the token was refused; log in again"
	}
	return se
}

// fieldText renders an "error" field that may be a string or an object.
func fieldText(v any) string {
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
	return clip(string(b))
}

func clip(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
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

// retry runs call until it succeeds, fails for good, or the attempts run out. Connection
// errors, 429 and 5xx are retried with exponential backoff and jitter, honouring Retry-After.
func (s *settings) retry(ctx context.Context, endpoint string, call func(context.Context) error) error {
	return s.retryIf(ctx, endpoint, retryable, call)
}

// unsent is the retry policy for calls that must not run twice (a rotating refresh token):
// only failures that prove the server did not act on the request — no connection made, 429,
// 503 — are retried.
func unsent(err error) (time.Duration, bool) {
	var se *ServerError
	if errors.As(err, &se) {
		return se.retryAfter, se.Status == http.StatusTooManyRequests || se.Status == http.StatusServiceUnavailable
	}
	var oe *net.OpError
	return 0, errors.As(err, &oe) && oe.Op == "dial"
}

func (s *settings) retryIf(ctx context.Context, endpoint string, retryable func(error) (time.Duration, bool), call func(context.Context) error) error {
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
			backoff := retryBase << (attempt - 1)
			wait = backoff/2 + rand.N(backoff)
		}
		if wait > retryMaxWait {
			return fmt.Errorf("%w (the server asks to wait %s; try again later)", err, wait.Round(time.Second))
		}
		s.log.Warn("retrying", "endpoint", endpoint, "attempt", attempt, "wait", wait, "error", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (gave up waiting to retry: %w)", err, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// retryable says whether err is worth another try, and how long the server asked to wait.
func retryable(err error) (time.Duration, bool) {
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
