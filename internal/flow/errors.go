package flow

import "errors"

var (
	// ErrAccessDenied means the person or the authorization server refused the login.
	ErrAccessDenied = errors.New("access denied")
	// ErrStateMismatch means a pasted URL or a callback belongs to another login attempt.
	ErrStateMismatch = errors.New("state mismatch: the code belongs to another login attempt")
)
