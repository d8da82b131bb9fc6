package flow

import "errors"

var (
	// ErrAccessDenied means the person or the authorization server refused the login.
	ErrAccessDenied = errors.New("access denied")
	// ErrStateMismatch means a pasted URL or a callback belongs to another login attempt.
	ErrStateMismatch = errors.New("state mismatch: the code belongs to another login attempt")
	// ErrLoginLinkReused means the loopback login's one-time start link was loaded twice:
	// another program on this machine may have loaded it first, to log this one in to
	// another account.
	ErrLoginLinkReused = errors.New("the login link was opened twice; another program on this machine may have opened it first")
)
