package wire

import (
	"errors"
	"fmt"
	"time"
)

// ServerError is a non-success answer from a CARTO or Auth0 endpoint. It carries the
// server's RFC 6749 error fields, never the request's secrets.
type ServerError struct {
	Endpoint    string // what was called, e.g. "token", "accounts"
	Status      int    // HTTP status; 0 when the body, not the status, was wrong
	Code        string // the server's "error" field, e.g. "invalid_grant"
	Description string // the server's "error_description"
	Hint        string // what to do next: advice, which a front end words (not in Error)

	retryAfter time.Duration
}

func (e *ServerError) Error() string {
	msg := e.Endpoint + " endpoint"
	if e.Status != 0 {
		msg += fmt.Sprintf(" answered %d", e.Status)
	}
	if e.Code != "" {
		msg += ": " + e.Code
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// IsInvalidGrant reports whether err is an invalid_grant answer (a rejected, expired or
// already used code or refresh token).
func IsInvalidGrant(err error) bool {
	var se *ServerError
	return errors.As(err, &se) && se.Code == "invalid_grant"
}
