package cartotest

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Login plays the user's browser on authURL (an /authorize URL of this server): it approves
// at once, or, when Config.LoginPage is set, submits the login form as TestUser. It returns
// the redirect's Location (carrying code and state, or error and error_description) without
// following it. An error means the server did not redirect (for example an unknown
// redirect_uri, which Auth0 shows as an error page).
func (s *Server) Login(authURL string) (*url.URL, error) {
	return s.LoginContext(context.Background(), authURL)
}

// LoginContext is Login with a context.
func (s *Server) LoginContext(ctx context.Context, authURL string) (*url.URL, error) {
	return s.LoginAs(ctx, authURL, TestUser)
}

// LoginAs is LoginContext as the account email (TestUser or SecondTestUser): it submits the
// login form as that account, or, without a login page, approves as the account named by a
// login_hint it adds to authURL.
func (s *Server) LoginAs(ctx context.Context, authURL, email string) (*url.URL, error) {
	if !s.cfg.LoginPage {
		if u, err := url.Parse(authURL); err == nil {
			q := u.Query()
			q.Set("login_hint", email)
			u.RawQuery = q.Encode()
			authURL = u.String()
		}
	}
	c := &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
	if err != nil {
		return nil, fmt.Errorf("cartotest: login: %w", err)
	}
	loc, page, err := redirectOrPage(c, req)
	if loc != nil || err != nil {
		return loc, err
	}
	reqID, ok := loginRequestID(page)
	if !ok {
		return nil, fmt.Errorf("cartotest: login: /authorize answered a page without a login form")
	}
	form := url.Values{"req": {reqID}, "username": {email}, "password": {TestPassword},
		"action": {"login"}}
	u, err := req.URL.Parse("/authorize/login")
	if err != nil {
		return nil, fmt.Errorf("cartotest: login: %w", err)
	}
	post, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(),
		strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("cartotest: login: %w", err)
	}
	post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	loc, page, err = redirectOrPage(c, post)
	if loc == nil && err == nil {
		err = fmt.Errorf("cartotest: login form was not accepted: %s", pageError(page))
	}
	return loc, err
}

// redirectOrPage sends req and returns the redirect Location, or the body of a 200 page.
func redirectOrPage(c *http.Client, req *http.Request) (*url.URL, string, error) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("cartotest: login: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, "", fmt.Errorf("cartotest: login: reading %s: %w", req.URL.Path, err)
	}
	switch resp.StatusCode {
	case http.StatusFound, http.StatusSeeOther:
		loc, err := resp.Location()
		if err != nil {
			return nil, "", fmt.Errorf("cartotest: login: bad redirect: %w", err)
		}
		return loc, "", nil
	case http.StatusOK:
		return nil, string(b), nil
	}
	return nil, "", fmt.Errorf("cartotest: login: %s answered %d: %s", req.URL.Path,
		resp.StatusCode, pageError(string(b)))
}

// pageError extracts the error text of a page, or a short prefix of it.
func pageError(page string) string {
	if _, rest, ok := strings.Cut(page, `id="error">`); ok {
		if text, _, ok := strings.Cut(rest, "<"); ok {
			return html.UnescapeString(text)
		}
	}
	if len(page) > 200 {
		page = page[:200] + "..."
	}
	return strings.TrimSpace(page)
}

// loginRequestID finds the login form's hidden request id: the first non-empty value of
// name="req" value="...".
func loginRequestID(page string) (string, bool) {
	const field = `name="req" value="`
	for {
		_, rest, ok := strings.Cut(page, field)
		if !ok {
			return "", false
		}
		if id, _, ok := strings.Cut(rest, `"`); ok && id != "" {
			return id, true
		}
		page = rest
	}
}
