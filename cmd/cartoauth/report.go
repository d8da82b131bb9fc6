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
// err's text, the engine's hints that hintWords words, then the command's advice.
func report(w io.Writer, err error) int {
	if err == nil || errors.Is(err, errHelped) {
		return exitOK
	}
	code, hint := classify(err)
	msg := oneLine(carto.WordHints(err, hintWords()).Error())
	msg = strings.Replace(msg, " ("+hint+")", "", 1) // a ServerError's own hint, moved after the dash
	if hint != "" && !strings.Contains(msg, hint) {
		msg += " — " + hint
	}
	fmt.Fprintln(w, "cartoauth: "+msg)
	return code
}

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
		hint = "see 'cartoauth help'"
	}
	return code, hint
}

// oneLine folds every run of white space (line breaks included) into one space.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
