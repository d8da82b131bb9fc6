package provider

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"
)

// Person plays a user and their browser at the provider's pages: it follows redirects with a
// cookie jar (so a second login in the same browser finds the provider's session), fills in the
// login form, and consents or cancels. It records which pages it was shown.
type Person struct {
	// Login is the account name typed into the login form (any password works there).
	Login string
	// Deny makes the person cancel on the consent page instead of continuing.
	Deny bool

	c    *http.Client
	mu   sync.Mutex
	seen []string
}

// NewPerson returns a person with a fresh browser (no cookies).
func NewPerson(login string) *Person {
	jar, _ := cookiejar.New(nil)
	return &Person{Login: login, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// Seen returns the provider pages shown so far ("login", "consent"), in order.
func (p *Person) Seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...)
}

// Page is where the browser ended up: the last URL of the redirects and its body.
type Page struct {
	URL    *url.URL
	Status int
	Body   string
}

// String names the page by status and path only: its query and body may hold a code or state.
func (pg *Page) String() string {
	return fmt.Sprintf("status %d at %s%s", pg.Status, pg.URL.Host, pg.URL.Path)
}

var (
	formAction   = regexp.MustCompile(`<form[^>]*action="([^"]+)"[^>]*method="post"`)
	promptField  = regexp.MustCompile(`<input type="hidden" name="prompt" value="(login|consent)"`)
	abortLink    = regexp.MustCompile(`<a href="([^"]*/abort)"`)
	autoSubmit   = regexp.MustCompile(`(?s)document\.forms\[0\]\.submit\(\).*?<form method="post" action="([^"]+)">(.*?)</form>`)
	hiddenField  = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"/?>`)
	codeOnPage   = regexp.MustCompile(`<code id="code">([^<]+)</code>`)
	errorOnPage  = regexp.MustCompile(`<p id="error">([^<]+)</p>`)
	fileLink     = regexp.MustCompile(`<a href="([^"]+)"`)
	maxPageSteps = 8
)

// Open visits a URL (an authorization URL, or a login's start page) and goes through the
// provider's pages until the browser leaves them, returning the page it lands on. A file: URL
// (the private page the loopback login gives its opener) is read from disk and its link is
// followed, as a browser does when the page redirects it to the login's start link.
func (p *Person) Open(ctx context.Context, u string) (*Page, error) {
	if pu, err := url.Parse(u); err == nil && pu.Scheme == "file" {
		if u, err = fileTarget(pu); err != nil {
			return nil, err
		}
	}
	page, err := p.do(ctx, http.MethodGet, u, nil)
	for step := 0; err == nil; step++ {
		if auto := autoSubmit.FindStringSubmatch(page.Body); auto != nil && step < maxPageSteps {
			// A page a browser submits by itself (the provider ending another account's
			// session before a new login).
			page, err = p.submitHidden(ctx, page, auto[1], auto[2])
			continue
		}
		kind := promptField.FindStringSubmatch(page.Body)
		if kind == nil {
			return page, nil
		}
		if step == maxPageSteps {
			return nil, fmt.Errorf("still on the provider's %s page after %d steps", kind[1], step)
		}
		p.mu.Lock()
		p.seen = append(p.seen, kind[1])
		p.mu.Unlock()
		action := formAction.FindStringSubmatch(page.Body)
		if action == nil {
			return nil, fmt.Errorf("the %s page has no form", kind[1])
		}
		next, rerr := page.resolve(action[1])
		if rerr != nil {
			return nil, rerr
		}
		switch {
		case kind[1] == "login":
			page, err = p.do(ctx, http.MethodPost, next.String(), url.Values{"prompt": {"login"}, "login": {p.Login}, "password": {"any password"}})
		case p.Deny:
			abort := abortLink.FindStringSubmatch(page.Body)
			if abort == nil {
				return nil, errors.New("the consent page has no cancel link")
			}
			u, rerr := page.resolve(abort[1])
			if rerr != nil {
				return nil, rerr
			}
			page, err = p.do(ctx, http.MethodGet, u.String(), nil)
		default:
			page, err = p.do(ctx, http.MethodPost, next.String(), url.Values{"prompt": {"consent"}})
		}
	}
	return nil, err
}

// fileTarget reads a local page given as a file: URL and returns where its link leads.
func fileTarget(u *url.URL) (string, error) {
	path := filepath.FromSlash(u.Path)
	if runtime.GOOS == "windows" {
		path = strings.TrimPrefix(path, `\`) // /C:/… on Windows
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("opening the local page: %w", err)
	}
	m := fileLink.FindSubmatch(b)
	if m == nil {
		return "", fmt.Errorf("the local page %s has no link", path)
	}
	return html.UnescapeString(string(m[1])), nil
}

// submitHidden posts a form's hidden fields to its action.
func (p *Person) submitHidden(ctx context.Context, page *Page, action, fields string) (*Page, error) {
	u, err := page.resolve(action)
	if err != nil {
		return nil, err
	}
	form := url.Values{}
	for _, f := range hiddenField.FindAllStringSubmatch(fields, -1) {
		form.Set(html.UnescapeString(f[1]), html.UnescapeString(f[2]))
	}
	return p.do(ctx, http.MethodPost, u.String(), form)
}

// resolve resolves a link of the page (an HTML attribute value).
func (pg *Page) resolve(attr string) (*url.URL, error) {
	ref, err := url.Parse(html.UnescapeString(attr))
	if err != nil {
		return nil, fmt.Errorf("a link on the provider's page: %w", err)
	}
	return pg.URL.ResolveReference(ref), nil
}

// CopyCode logs in through a copy-code link and returns the code the copy-code page shows.
func (p *Person) CopyCode(ctx context.Context, authURL string) (string, error) {
	page, err := p.Open(ctx, authURL)
	if err != nil {
		return "", err
	}
	if m := codeOnPage.FindStringSubmatch(page.Body); m != nil {
		return html.UnescapeString(m[1]), nil
	}
	if m := errorOnPage.FindStringSubmatch(page.Body); m != nil {
		return "", fmt.Errorf("the code page shows an error: %s", html.UnescapeString(m[1]))
	}
	return "", fmt.Errorf("landed on %v with no code", page)
}

func (p *Person) do(ctx context.Context, method, u string, form url.Values) (*Page, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := p.c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	return &Page{URL: resp.Request.URL, Status: resp.StatusCode, Body: string(b)}, nil
}
