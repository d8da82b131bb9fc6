package main

import (
	"errors"
	"fmt"
	"strings"
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

// withoutAdvice keeps an error's text up to its first "; " (where the engine's advice for Go
// callers starts), keeping it matchable with errors.Is.
func withoutAdvice(err error) error {
	msg := err.Error()
	i := strings.Index(msg, "; ")
	if i < 0 {
		return err
	}
	return &trimmedError{msg: msg[:i], err: err}
}

// trimmedError shows a shorter text for err.
type trimmedError struct {
	msg string
	err error
}

func (e *trimmedError) Error() string { return e.msg }
func (e *trimmedError) Unwrap() error { return e.err }
