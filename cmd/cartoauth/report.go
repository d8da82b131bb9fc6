package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/carto-go/carto-auth/carto"
)

// report writes err as one line on w and returns its exit code; nil is success. The line is
// err's text, then after a dash what to do: the engine's hints that hintWords words, and the
// command's advice (or, when there is no other, a pointer to help).
func report(w io.Writer, err error) int {
	if err == nil || errors.Is(err, errHelped) {
		return exitOK
	}
	msg := "cartoauth: " + oneLine(err.Error())
	code, advice := adviceFor(err, msg)
	if advice != "" {
		msg += " — " + advice
	}
	fmt.Fprintln(w, msg)
	return code
}

// adviceFor is err's exit code and what to do about it, in words: the engine's hints that
// hintWords words, and the command's advice (or, when there is no other, a pointer to help);
// advice that said already (an error worded by Login) is not repeated.
func adviceFor(err error, said string) (int, string) {
	code, hint := classify(err)
	var advice []string
	words := hintWords()
	for _, h := range carto.Hints(err) {
		if s := words[h]; s != "" && !strings.Contains(said, s) {
			advice = append(advice, s)
		}
	}
	if hint != "" && !strings.Contains(said, hint) && (hint != seeHelp || len(advice) == 0) {
		advice = append(advice, hint)
	}
	return code, strings.Join(advice, "; ")
}

// seeHelp is the advice when there is no better.
const seeHelp = "see 'cartoauth help'"

// classify picks the exit code and the advice for err: the command's own when it gave one,
// else one derived from the engine's error.
func classify(err error) (int, string) {
	var ce *cliError
	code, hint := exitFailure, ""
	if errors.As(err, &ce) {
		code, hint = ce.code, ce.hint
	}
	var credErr *carto.CredentialsError
	var srvErr *carto.ServerError
	var netErr net.Error
	switch {
	case errors.Is(err, carto.ErrInteractionRequired):
		code = exitInteraction
		if hint == "" {
			hint = "run 'cartoauth login' first, or use M2M credentials (--m2m FILE) for unattended runs"
		}
	case hint != "":
	case errors.Is(err, context.Canceled):
		hint = "interrupted; run the command again"
	case errors.As(err, &credErr):
		hint = "check the M2M credentials file (CARTO Workspace → Developers → Machine to Machine)"
	case errors.Is(err, carto.ErrAccessDenied):
		hint = "log in with an account that has access, or ask your CARTO admin"
	case errors.Is(err, carto.ErrInsecureURL):
		hint = "use an https:// URL (http:// is only allowed for localhost)"
	case errors.As(err, &srvErr) && srvErr.Hint != "":
		hint = srvErr.Hint
	case errors.As(err, &srvErr), errors.As(err, &netErr):
		hint = "check your network and CARTO_AUTH_SERVER / --api-base-url, then try again"
	default:
		hint = seeHelp
	}
	return code, hint
}

// oneLine folds every run of white space (line breaks included) into one space.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
