package carto

import (
	"context"
	"encoding/json"
)

// fillAccount sets the email and name of a new login from the userinfo endpoint when its ID
// token had neither (OpenID servers put them only there by default). For display only: one
// request, not retried; a failure leaves the account unknown and the login stands.
func (s *settings) fillAccount(ctx context.Context, e *entry) {
	if e.Email != "" || e.Name != "" {
		return
	}
	body, err := s.get(ctx, "userinfo", s.ep.userinfo, e.AccessToken)
	if err != nil {
		s.log.Info("the account's email and name are unknown", "error", err)
		return
	}
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if json.Unmarshal(body, &claims) != nil {
		s.log.Info("the account's email and name are unknown: the userinfo answer is not JSON")
		return
	}
	e.Email, e.Name = displayable(claims.Email), displayable(claims.Name)
}
