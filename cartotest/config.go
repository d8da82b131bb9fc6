package cartotest

import "time"

// Config sets up a Server. The zero value is a working CARTO tenant with defaults.
type Config struct {
	// TokenLifetime is the access token lifetime (expires_in); default 24h.
	TokenLifetime time.Duration
	// DWTokenLifetime is the lifetime of Google tokens from the DW endpoint; default 1h.
	DWTokenLifetime time.Duration
	// NoRefreshToken: never issue refresh tokens, even when offline_access is requested.
	NoRefreshToken bool
	// RotateRefreshTokens: each refresh returns a new refresh token, and reusing a rotated-out
	// one revokes its whole family (Auth0 reuse detection).
	RotateRefreshTokens bool
	// ClaimsAtUserinfo leaves the email and name out of ID tokens, as OpenID servers do by
	// default when an access token is issued: only /userinfo has them.
	ClaimsAtUserinfo bool
	// LoginPage: /authorize shows an HTML login form instead of approving at once.
	LoginPage bool
	// RedirectURIs are extra redirect URIs allowed for ClientID. LoopbackRedirectURI and
	// URL+"/auth/token" are always allowed. Compared byte for byte, like Auth0.
	RedirectURIs []string
	// Organizations are the known SSO organizations (for example "org_123").
	Organizations []string
	// DWProjectID overrides DefaultDWProjectID.
	DWProjectID string
	// Logf, when set, receives one line per request (method, path, endpoint, status; never
	// query strings, bodies or tokens).
	Logf func(format string, args ...any)
}
