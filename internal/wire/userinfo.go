package wire

import (
	"context"
	"encoding/json"
	"errors"
)

// Account asks the userinfo endpoint for the email and name of token's user, for display:
// one request, not retried.
func (c *Client) Account(ctx context.Context, ep Endpoints, token string) (email, name string, err error) {
	body, err := c.Get(ctx, "userinfo", ep.Userinfo, token)
	if err != nil {
		return "", "", err
	}
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if json.Unmarshal(body, &claims) != nil {
		return "", "", errors.New("the userinfo answer is not JSON")
	}
	return Displayable(claims.Email), Displayable(claims.Name), nil
}
