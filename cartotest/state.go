package cartotest

import (
	"crypto/rand"
	"encoding/base64"
	"time"
)

// state is everything the server remembers; guarded by Server.mu.
type state struct {
	counts   map[string]int
	faults   map[string][]*Fault
	clients  map[string]string // client id → secret ("" for the public client)
	codes    map[string]*authCode
	codeLog  []string
	pending  map[string]*authRequest // login form requests by their hidden id
	access   map[string]*accessToken
	refresh  map[string]*refreshToken
	revoked  map[int]bool // refresh token families revoked
	families int
	dw       map[string]time.Time // Google token → expiry
	deny     int
	reuse    int
}

func (st *state) init() {
	st.counts = map[string]int{}
	st.faults = map[string][]*Fault{}
	st.clients = map[string]string{ClientID: ""}
	st.codes = map[string]*authCode{}
	st.pending = map[string]*authRequest{}
	st.access = map[string]*accessToken{}
	st.refresh = map[string]*refreshToken{}
	st.revoked = map[int]bool{}
	st.dw = map[string]time.Time{}
}

// authRequest is a validated /authorize request waiting for approval.
type authRequest struct {
	clientID, redirectURI, state, scope, org, challenge string
	loginHint                                           string // picks the user when no login page is shown
	subject                                             string // who approved it
}

// authCode is an issued authorization code.
type authCode struct {
	authRequest
	expires time.Time
	used    bool
}

// grant is who a token was issued to and for what.
type grant struct {
	clientID, subject, scope, org string
}

type accessToken struct {
	grant
	expires time.Time
}

type refreshToken struct {
	grant
	family int
	used   bool // rotated out
}

// Prefixes of the opaque values the server issues.
const (
	accessPrefix  = "sbx_at_"
	refreshPrefix = "sbx_rt_"
	dwPrefix      = "ya29.sbx_"
	codeLifetime  = 5 * time.Minute
)

// randomToken returns prefix followed by 32 random bytes in base64url.
func randomToken(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand crashes the program rather than return an error)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// randomAlnum returns n random characters from [A-Za-z0-9].
func randomAlnum(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	for len(out) < n {
		_, _ = rand.Read(buf)
		for _, b := range buf {
			if b < 248 && len(out) < n { // 248 = 4*62: no modulo bias
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// issueAccess records and returns a new access token; caller holds s.mu.
func (s *Server) issueAccess(g grant) (string, time.Duration) {
	tok := randomToken(accessPrefix)
	s.st.access[tok] = &accessToken{grant: g, expires: s.now().Add(s.cfg.TokenLifetime)}
	return tok, s.cfg.TokenLifetime
}

// issueRefresh records and returns a new refresh token in family (0: a new family);
// caller holds s.mu.
func (s *Server) issueRefresh(g grant, family int) string {
	if family == 0 {
		s.st.families++
		family = s.st.families
	}
	tok := randomToken(refreshPrefix)
	s.st.refresh[tok] = &refreshToken{grant: g, family: family}
	return tok
}

// NewAccessToken issues a valid access token for TestUser without a login, for tests of code
// that only needs a Bearer token.
func (s *Server) NewAccessToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, _ := s.issueAccess(grant{clientID: ClientID, subject: testUsers[0].subject})
	return tok
}

// ValidAccessToken reports whether tok is an access token this server issued that has not
// expired.
func (s *Server) ValidAccessToken(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.st.access[tok]
	return ok && s.now().Before(at.expires)
}

// ValidDWToken reports whether tok is a Google token from the DW endpoint that has not
// expired.
func (s *Server) ValidDWToken(tok string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.st.dw[tok]
	return ok && s.now().Before(exp)
}

// ExpireAccessTokens makes every access token issued so far expired now. Refresh tokens and
// tokens issued later are not affected.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, at := range s.st.access {
		at.expires = now
	}
}

// ExpireDWTokens makes every DW (Google) token issued so far expired now.
func (s *Server) ExpireDWTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for tok := range s.st.dw {
		s.st.dw[tok] = now
	}
}

// ReuseDetected returns how many times a rotated-out refresh token was presented again (each
// time its whole family was revoked).
func (s *Server) ReuseDetected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.reuse
}

// IssuedCodes returns the authorization codes issued so far, oldest first.
func (s *Server) IssuedCodes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.st.codeLog...)
}

// DenyNext makes the next approval (automatic or by the login form) end with
// error=access_denied on the redirect, as when the user refuses consent. Calls add up.
func (s *Server) DenyNext() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.deny++
}
