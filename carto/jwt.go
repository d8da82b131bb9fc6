package carto

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/internal/wire"
)

// jwtClaims are what this package reads in a JWT-shaped access token it was given rather than
// issued (CARTO_API_TOKEN, the CARTO CLI's login), without verifying it: the token is used as
// it is and the API judges it. They say until when to use it, who issued it, for which
// audience, and the account, for display.
type jwtClaims struct {
	Exp   time.Time // zero when the token has no exp
	Iss   string
	Aud   []string
	Azp   string // the client it was issued to
	Email string
}

// readJWT reads the claims of tok, or reports that it is not a JWT with a JSON payload.
func readJWT(tok string) (jwtClaims, bool) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return jwtClaims{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return jwtClaims{}, false
	}
	var raw struct {
		Exp   json.Number     `json:"exp"`
		Iss   string          `json:"iss"`
		Aud   json.RawMessage `json:"aud"`
		Azp   string          `json:"azp"`
		Email string          `json:"email"`
	}
	if json.Unmarshal(payload, &raw) != nil {
		return jwtClaims{}, false
	}
	c := jwtClaims{Iss: raw.Iss, Azp: wire.Displayable(raw.Azp), Email: wire.Displayable(raw.Email)}
	if exp, err := raw.Exp.Float64(); err == nil && exp > 0 && exp < 1e11 {
		c.Exp = time.Unix(int64(exp), 0)
	}
	var one string
	if json.Unmarshal(raw.Aud, &one) == nil {
		c.Aud = []string{one}
	} else {
		_ = json.Unmarshal(raw.Aud, &c.Aud) // no audience, or not one this package reads
	}
	return c, true
}

// forCartoAPI reports whether the token was issued by an OAuth server for CARTO's API (its
// audience, the one every login of this package asks for): a user's or an M2M client's access
// token, rather than an API access token.
func (c jwtClaims) forCartoAPI() bool { return slices.Contains(c.Aud, Audience) }
