package cartotest

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// tokenResponse is the token endpoint's success body (RFC 6749 §5.1).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int64  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// tokenFor issues an access token (and an ID token, issued by iss, when openid is in
// scope); caller holds s.mu.
func (s *Server) tokenFor(iss string, g grant) tokenResponse {
	tok, life := s.issueAccess(g)
	resp := tokenResponse{AccessToken: tok, TokenType: "Bearer", Scope: g.scope,
		ExpiresIn: int64((life + time.Second - 1) / time.Second)}
	if hasScope(g.scope, "openid") {
		resp.IDToken = s.idToken(iss, g, life)
	}
	return resp
}

// idToken returns an unsigned (alg "none") ID token for g: enough for code that reads the
// account's email, not for code that verifies signatures.
func (s *Server) idToken(iss string, g grant, life time.Duration) string {
	now, u := s.now(), userBySubject(g.subject)
	claims := map[string]any{
		"iss": iss, "sub": g.subject, "aud": g.clientID,
		"iat": now.Unix(), "exp": now.Add(life).Unix(),
	}
	if !s.cfg.ClaimsAtUserinfo {
		claims["email"], claims["email_verified"], claims["name"] = u.email, true, u.name
	}
	if g.org != "" {
		claims["org_id"] = g.org
	}
	payload, _ := json.Marshal(claims) // plain values: cannot fail
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + "."
}

func hasScope(scope, want string) bool { return slices.Contains(strings.Fields(scope), want) }

func withoutScope(scope, drop string) string {
	var kept []string
	for _, sc := range strings.Fields(scope) {
		if sc != drop {
			kept = append(kept, sc)
		}
	}
	return strings.Join(kept, " ")
}
