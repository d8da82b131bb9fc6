package carto

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/carto-go/carto-auth/internal/hint"
	"github.com/carto-go/carto-auth/internal/wire"
)

// Environment variables of a token given as it is (as CARTO's own CLI honours them).
const (
	// EnvAPIToken is an access token Login uses as it is, after M2M credentials and before the
	// cache: an API access token, or an OAuth access token. Nothing renews it.
	EnvAPIToken = "CARTO_API_TOKEN"
	// EnvAPIBaseURL is the API base URL of EnvAPIToken's token (required with it, unless
	// OAuthOptions.APIBaseURL gives one).
	EnvAPIBaseURL = "CARTO_API_BASE_URL"
)

// envToken is CARTO_API_TOKEN resolved: the token, its API base URL, and what it says of
// itself when it is a JWT.
type envToken struct {
	token, base string
	claims      jwtClaims
}

// apiToken reports whether the token is an API access token: anything but a JWT issued for
// CARTO's API audience (an OAuth access token).
func (t envToken) apiToken() bool { return !t.claims.forCartoAPI() }

// envAPIToken reads CARTO_API_TOKEN and its API base URL from f, for a login against
// authServer at now, and checks them and opts. Its errors never hold the token.
func envAPIToken(f *facts, opts *OAuthOptions, now time.Time, authServer string) (envToken, error) {
	tok := strings.TrimSpace(f.getenv(EnvAPIToken))
	if tok == "" {
		return envToken{}, fmt.Errorf("%s is empty", EnvAPIToken)
	}
	if strings.ContainsFunc(tok, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' }) {
		return envToken{}, fmt.Errorf("%s holds characters a token cannot have (spaces, control or non-ASCII characters; its value is not shown)", EnvAPIToken)
	}
	raw := cmp.Or(opts.APIBaseURL, f.getenv(EnvAPIBaseURL))
	if raw == "" {
		return envToken{}, hint.With(fmt.Errorf("%w: %s is set but %s is not: a token carries no API base URL", ErrNoAPIBaseURL, EnvAPIToken, EnvAPIBaseURL), HintAPIBaseURL)
	}
	base, err := wire.NormalizeBaseURL(raw)
	if err == nil && wire.IsCartoAuthServer(authServer) {
		err = wire.CheckCartoAPIBaseURL(base) // as discovery checks one: the token goes there
	}
	if err != nil {
		return envToken{}, hint.With(fmt.Errorf("%s: %w", EnvAPIBaseURL, err), HintAPIBaseURL)
	}
	t := envToken{token: tok, base: base}
	t.claims, _ = readJWT(tok)
	if exp := t.claims.Exp; !exp.IsZero() && !now.Before(exp) {
		return envToken{}, fmt.Errorf("the token in %s expired at %s; set a new one", EnvAPIToken, exp.Local().Format(time.DateTime))
	}
	return t, nil
}

// fromEnvToken is Login's step for CARTO_API_TOKEN: the token used as it is, kept in memory.
func fromEnvToken(ctx context.Context, opts *OAuthOptions, f *facts) (*Auth, error) {
	set, err := opts.resolve(f)
	if err != nil {
		return nil, err
	}
	t, err := envAPIToken(f, opts, set.now(), set.ep.Server)
	if err != nil {
		return nil, err
	}
	id := identity{Kind: kindOAuth, AuthServer: set.ep.Server, ClientID: t.claims.Azp, APIBaseURL: t.base}
	e := staticEntry(id, t.token, t.claims.Exp, set.now())
	e.Email, e.Flow = t.claims.Email, "environment"
	s := &staticLogin{apiToken: t.apiToken(), noExpiry: t.claims.Exp.IsZero(),
		spent: fmt.Errorf("the token in %s expired or was refused, and nothing here can renew it; set a new one", EnvAPIToken)}
	return newStaticAuth(ctx, set, e, s, SourceEnvironment)
}

// errAPITokenCannot is the error of what needs an OAuth access token, asked of an API access
// token: what names it ("the CARTO Data Warehouse token endpoint").
func errAPITokenCannot(what string) error {
	return hint.With(fmt.Errorf("%w: %s needs an OAuth access token (a user's login, or M2M credentials), and this login holds an API access token (from %s)",
		ErrAPITokenCannot, what, EnvAPIToken), HintOAuthToken)
}

// ErrAPITokenCannot means a call needs an OAuth access token, and the login holds an API access
// token (CARTO_API_TOKEN), which CARTO refuses for it: the Tokens API, the CARTO Data
// Warehouse token endpoint.
var ErrAPITokenCannot = errors.New("an API access token cannot do this")
