package main

import (
	"errors"
	"fmt"
)

// errHelped means a command printed its help because of -h/--help: exit 0, nothing more.
var errHelped = errors.New("help shown")

// cliError is an error with the exit code it maps to and what the user should do next.
type cliError struct {
	code int
	err  error
	hint string
}

func (e *cliError) Error() string { return e.err.Error() }
func (e *cliError) Unwrap() error { return e.err }

// with returns e with hint as what to do next.
func (e *cliError) with(hint string) *cliError {
	e.hint = hint
	return e
}

func usageErrorf(format string, args ...any) *cliError {
	return &cliError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// failure wraps err as a failure (exit 1) with a hint.
func failure(err error, hint string) *cliError {
	return &cliError{code: exitFailure, err: err, hint: hint}
}
