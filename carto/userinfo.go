package carto

import "context"

// fillAccount sets the email and name of a new login from the userinfo endpoint when its ID
// token had neither (OpenID servers put them only there by default). For display only: one
// request, not retried; a failure leaves the account unknown and the login stands.
func (s *settings) fillAccount(ctx context.Context, e *entry) {
	if e.Email != "" || e.Name != "" {
		return
	}
	email, name, err := s.client.Account(ctx, s.ep, e.AccessToken)
	if err != nil {
		s.log.Info("the account's email and name are unknown", "error", err)
		return
	}
	e.Email, e.Name = email, name
}
