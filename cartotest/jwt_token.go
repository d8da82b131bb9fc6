package cartotest

import (
	"encoding/base64"
	"encoding/json"
	"time"
)

// NewJWTAccessToken issues a valid access token for TestUser without a login, shaped like the
// tokens CARTO's auth server issues (and CARTO's own CLI keeps): an unsigned JWT whose payload
// says who issued it (this server, URL+"/"), for whom (sub, the API audience, email) and until
// when (exp, life from now). It is enough for code that reads exp, not for code that verifies
// signatures.
func (s *Server) NewJWTAccessToken(life time.Duration) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now, u := s.now(), testUsers[0]
	claims := map[string]any{
		"iss": s.URL + "/", "sub": u.subject, "aud": []string{Audience, s.URL + "/userinfo"},
		"azp": ClientID, "iat": now.Unix(), "exp": now.Add(life).Unix(), "email": u.email,
		"jti": randomAlnum(16), // two tokens of one second differ
	}
	payload, _ := json.Marshal(claims) // plain values: cannot fail
	enc := base64.RawURLEncoding.EncodeToString
	tok := enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + "."
	s.st.access[tok] = &accessToken{grant: grant{clientID: ClientID, subject: u.subject}, expires: now.Add(life)}
	return tok
}
