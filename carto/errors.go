package carto

import (
	"errors"
	"fmt"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/flow"
	"github.com/carto-go/carto-auth/internal/hint"
	"github.com/carto-go/carto-auth/internal/wire"
)

var (
	// ErrInteractionRequired means a login needs the user but interaction was disabled or
	// nobody can answer (an unattended run). Use M2M credentials for unattended jobs.
	ErrInteractionRequired = errors.New("interactive login required")
	// ErrAccessDenied means the user or the authorization server refused the login.
	ErrAccessDenied = flow.ErrAccessDenied
	// ErrStateMismatch means a pasted URL or a callback belongs to another login attempt.
	ErrStateMismatch = flow.ErrStateMismatch
	// ErrLoginLinkReused means the loopback login's one-time start link was loaded twice, and
	// the login stopped: another program on this machine may have loaded it first.
	ErrLoginLinkReused = flow.ErrLoginLinkReused
	// ErrInsecureURL means an endpoint uses http:// on a host that is not loopback.
	ErrInsecureURL = wire.ErrInsecureURL
	// ErrLoginInProgress means another process holds this login's cache lock for an
	// interactive login, and the caller may not wait for a person (it comes with
	// ErrInteractionRequired).
	ErrLoginInProgress = errors.New("another process is logging in")
	// ErrNoAPIBaseURL means no API base URL is known for this login.
	ErrNoAPIBaseURL = errors.New("no API base URL")
	// ErrRevocationFailed means a logout forgot the login here but the auth server did not
	// revoke its refresh token, which stays usable there until it expires.
	ErrRevocationFailed = errors.New("logged out here, but the auth server did not revoke the refresh token")
)

// cacheError turns a wait for the cache's lock that ended on a person (another process's, or
// this one's, interactive login) into the engine's errors.
func cacheError(err error) error {
	var ie *cache.InteractiveError
	if errors.As(err, &ie) {
		return hint.With(fmt.Errorf("%w: %w: %v, and this call may not prompt",
			ErrInteractionRequired, ErrLoginInProgress, ie), hint.WaitForLogin)
	}
	return err
}

// errRefreshRefused marks a failed renewal whose refresh token the server refused: the entry
// returned with it, without that token, is kept all the same.
var errRefreshRefused = errors.New("the auth server refused the refresh token")

// CredentialsError reports a bad machine-to-machine credentials file or value.
type CredentialsError struct {
	Path  string // the file, or the environment variable the JSON came from
	Field string // the offending key, when one is to blame
	Err   error
}

func (e *CredentialsError) Error() string {
	where := e.Path
	if where == "" {
		where = "M2M credentials"
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %q: %v", where, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", where, e.Err)
}

func (e *CredentialsError) Unwrap() error { return e.Err }

// Hints says what helps with bad credentials.
func (e *CredentialsError) Hints() []hint.Hint { return []hint.Hint{hint.Credentials} }

// ServerError is a non-success answer from a CARTO or Auth0 endpoint. It carries the
// server's RFC 6749 error fields (Endpoint, Status, Code, Description) and a Hint, never the
// request's secrets.
type ServerError = wire.ServerError

// IsInvalidGrant reports whether err is an invalid_grant answer (a rejected, expired or
// already used code or refresh token).
func IsInvalidGrant(err error) bool { return wire.IsInvalidGrant(err) }
