package cartotest

import "time"

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
