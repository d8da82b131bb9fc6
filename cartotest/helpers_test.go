package cartotest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// newTestServer starts a server closed at the end of the test.
func newTestServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	s := NewServer(cfg)
	if err := s.Err(); err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// fakeClock is a settable clock for s.now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newClockServer starts an unstarted server with a fake clock.
func newClockServer(t *testing.T, cfg Config) (*Server, *fakeClock) {
	t.Helper()
	s := NewUnstartedServer(cfg)
	c := &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	s.now = c.now
	s.Start()
	if err := s.Err(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(s.Close)
	return s, c
}

// pkce returns a fixed verifier with its S256 challenge.
func pkce(seed string) (verifier, challenge string) {
	verifier = strings.Repeat(seed, 43/len(seed)+1)[:43]
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authURL builds an authorize URL with valid defaults, overridden by set ("" deletes).
func authURL(s *Server, challenge string, set map[string]string) string {
	q := url.Values{
		"client_id": {ClientID}, "response_type": {"code"}, "audience": {Audience},
		"redirect_uri": {LoopbackRedirectURI}, "code_challenge_method": {"S256"},
		"code_challenge": {challenge}, "state": {"st-123"}, "scope": {"offline_access"},
	}
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return s.AuthorizeURL() + "?" + q.Encode()
}

// loginCode runs Login and returns the code from the redirect.
func loginCode(t *testing.T, s *Server, challenge string, set map[string]string) string {
	t.Helper()
	loc, err := s.Login(authURL(s, challenge, set))
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	code := loc.Query().Get("code")
	if code == "" {
		t.Fatalf("no code in redirect %s", loc.Redacted())
	}
	return code
}

// response is a decoded HTTP answer.
type response struct {
	status int
	header http.Header
	body   string
	json   map[string]any
}

func (r response) str(key string) string {
	v, _ := r.json[key].(string)
	return v
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, body: string(b)}
	_ = json.Unmarshal(b, &out.json)
	return out
}

func postForm(t *testing.T, u string, form url.Values) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

func get(t *testing.T, u, bearer string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return do(t, req)
}

// exchangeForm is a valid code exchange for code and verifier.
func exchangeForm(code, verifier string) url.Values {
	return url.Values{"grant_type": {"authorization_code"}, "client_id": {ClientID},
		"audience": {Audience}, "code": {code}, "redirect_uri": {LoopbackRedirectURI},
		"code_verifier": {verifier}}
}

// loginTokens logs in with offline_access and returns the token response.
func loginTokens(t *testing.T, s *Server) response {
	t.Helper()
	v, c := pkce("verifier-")
	r := postForm(t, s.TokenURL(), exchangeForm(loginCode(t, s, c, nil), v))
	if r.status != http.StatusOK {
		t.Fatalf("exchange: %d %s", r.status, r.body)
	}
	return r
}

// wantOAuthError checks an RFC 6749 §5.2 error answer.
func wantOAuthError(t *testing.T, r response, status int, code string) {
	t.Helper()
	if r.status != status || r.str("error") != code || r.str("error_description") == "" {
		t.Errorf("got %d %s, want %d with error %q and a description", r.status, r.body, status, code)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
