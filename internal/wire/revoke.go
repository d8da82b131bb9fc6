package wire

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Revoke revokes a refresh token of clientID at the auth server, with the form body RFC 7009
// requires (Auth0 takes it too; OpenID servers refuse JSON).
func (c *Client) Revoke(ctx context.Context, ep Endpoints, clientID, refreshToken string) error {
	form := url.Values{"client_id": {clientID}, "token": {refreshToken}, "token_type_hint": {"refresh_token"}}
	ctx, cancel := context.WithTimeout(ctx, DefaultTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.Revoke, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.HC.Do(req)
	if err != nil {
		return fmt.Errorf("revoke endpoint: %w", RedactURLError(err))
	}
	defer resp.Body.Close()
	answer, _ := ReadLimited(resp.Body)
	if resp.StatusCode/100 != 2 {
		return AnswerError("revoke", resp, answer)
	}
	return nil
}
