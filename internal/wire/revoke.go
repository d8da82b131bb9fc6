package wire

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Revoke revokes a refresh token of clientID at the auth server, with the form body RFC 7009
// requires (Auth0 takes it too; OpenID servers refuse JSON).
func (c *Client) Revoke(ctx context.Context, ep Endpoints, clientID, refreshToken string) error {
	form := url.Values{"client_id": {clientID}, "token": {refreshToken}, "token_type_hint": {"refresh_token"}}
	_, err := c.do(ctx, "revoke", http.MethodPost, ep.Revoke, func(req *http.Request) {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}, strings.NewReader(form.Encode()))
	return err
}
