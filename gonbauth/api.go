package gonbauth

import (
	"context"

	"github.com/carto-go/carto-auth/carto"
)

// The engine's types (see package carto).
type (
	// Auth is a logged-in CARTO identity; see carto.Auth.
	Auth = carto.Auth
	// OAuthOptions configures an interactive login; see carto.OAuthOptions.
	OAuthOptions = carto.OAuthOptions
	// M2MOptions configures a machine-to-machine login; see carto.M2MOptions.
	M2MOptions = carto.M2MOptions
	// Common holds the options both logins share; see carto.Common.
	Common = carto.Common
	// M2MCredentials are a machine-to-machine application's values; see carto.M2MCredentials.
	M2MCredentials = carto.M2MCredentials
	// Info describes a login without any secret in it; see carto.Info.
	Info = carto.Info
	// Flow selects how an interactive login hands the code back; see carto.Flow.
	Flow = carto.Flow
	// Prompter shows a login and reads the pasted code; see carto.Prompter.
	Prompter = carto.Prompter
	// CredentialsError reports a bad M2M credentials file or value; see carto.CredentialsError.
	CredentialsError = carto.CredentialsError
	// ServerError is a non-success answer from CARTO or Auth0; see carto.ServerError.
	ServerError = carto.ServerError
	// QueryOptions configures Auth.Query and QueryInto; see carto.QueryOptions.
	QueryOptions = carto.QueryOptions
	// QueryResult is the answer of a SQL query; see carto.QueryResult.
	QueryResult = carto.QueryResult
	// Hint is what a user can do about an error; see carto.Hint.
	Hint = carto.Hint
)

// Flows, sources, environment variables and defaults (see package carto).
const (
	FlowAuto     = carto.FlowAuto
	FlowCopyCode = carto.FlowCopyCode
	FlowLoopback = carto.FlowLoopback

	SourceCache       = carto.SourceCache
	SourceInteractive = carto.SourceInteractive
	SourceM2M         = carto.SourceM2M
	SourceEnvironment = carto.SourceEnvironment
	SourceCartoCLI    = carto.SourceCartoCLI
	KindAPIToken      = carto.KindAPIToken

	EnvAuthServer      = carto.EnvAuthServer
	EnvCacheDir        = carto.EnvCacheDir
	EnvFlow            = carto.EnvFlow
	EnvCredentialsFile = carto.EnvCredentialsFile
	EnvCredentials     = carto.EnvCredentials
	EnvLoopbackHost    = carto.EnvLoopbackHost
	EnvProfile         = carto.EnvProfile
	EnvAPIToken        = carto.EnvAPIToken
	EnvAPIBaseURL      = carto.EnvAPIBaseURL

	DefaultLoginTimeout  = carto.DefaultLoginTimeout
	DefaultLoopbackPort  = carto.DefaultLoopbackPort
	DefaultProfileName   = carto.DefaultProfileName
	PendingLoginLifetime = carto.PendingLoginLifetime
	PublicClientID       = carto.PublicClientID
	Audience             = carto.Audience
)

// The engine's errors, for errors.Is (see package carto).
var (
	ErrInteractionRequired = carto.ErrInteractionRequired
	ErrAccessDenied        = carto.ErrAccessDenied
	ErrStateMismatch       = carto.ErrStateMismatch
	ErrLoginLinkReused     = carto.ErrLoginLinkReused
	ErrInsecureURL         = carto.ErrInsecureURL
	ErrLoginInProgress     = carto.ErrLoginInProgress
	ErrNoAPIBaseURL        = carto.ErrNoAPIBaseURL
	ErrRevocationFailed    = carto.ErrRevocationFailed
	ErrNoPendingLogin      = carto.ErrNoPendingLogin
	ErrUnsafeCacheDir      = carto.ErrUnsafeCacheDir
)

// FromM2M logs in with a machine-to-machine credentials file; see carto.FromM2M.
func FromM2M(ctx context.Context, credentialsFile string, opts *M2MOptions) (*Auth, error) {
	return carto.FromM2M(ctx, credentialsFile, opts)
}

// FromM2MCredentials logs in with machine-to-machine credentials given as values; see
// carto.FromM2MCredentials.
func FromM2MCredentials(ctx context.Context, creds M2MCredentials, opts *M2MOptions) (*Auth, error) {
	return carto.FromM2MCredentials(ctx, creds, opts)
}

// CachedLogins lists the logins kept in a cache folder; see carto.CachedLogins.
func CachedLogins(dir string) ([]Info, error) { return carto.CachedLogins(dir) }

// ForgetCachedLogins removes cached logins, revoking their refresh tokens; see
// carto.ForgetCachedLogins.
func ForgetCachedLogins(ctx context.Context, c *Common, profiles ...string) (int, error) {
	return carto.ForgetCachedLogins(ctx, c, profiles...)
}

// CacheDir returns the token cache folder that dir names; see carto.CacheDir.
func CacheDir(dir string) (string, error) { return carto.CacheDir(dir) }

// CheckCacheDir reports whether a cache folder can hold tokens; see carto.CheckCacheDir.
func CheckCacheDir(dir string) error { return carto.CheckCacheDir(dir) }

// DefaultProfile returns the profile chosen with SetDefaultProfile; see carto.DefaultProfile.
func DefaultProfile(dir string) (string, error) { return carto.DefaultProfile(dir) }

// SetDefaultProfile chooses the profile used when none is named; see carto.SetDefaultProfile.
func SetDefaultProfile(dir, profile string) error { return carto.SetDefaultProfile(dir, profile) }

// IsInvalidGrant reports whether err is an invalid_grant answer; see carto.IsInvalidGrant.
func IsInvalidGrant(err error) bool { return carto.IsInvalidGrant(err) }
