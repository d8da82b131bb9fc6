package main

import (
	"fmt"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// already reports a usable login that was there.
func (o *loginOutput) already(a *carto.Auth) error {
	if o.events != nil {
		in := a.Info()
		return o.events.emit(loginEvent{Event: "logged_in", Cached: true, Login: &in})
	}
	fmt.Fprintln(o.e.stderr, "Already logged in: "+summary(a.Info())+" (use --force to log in again)")
	return nil
}

// loggedIn reports a login that was just made (see loggedIn).
func (o *loginOutput) loggedIn(a *carto.Auth) error {
	if err := loggedIn(o.e, a); err != nil || o.events == nil {
		return err
	}
	in := a.Info()
	return o.events.emit(loginEvent{Event: "logged_in", Login: &in})
}

// loggedIn reports a login that was just made: kept in the cache, or, when it could not be
// kept there, a failure saying why (a login in this command's memory ends with it).
func loggedIn(e *env, a *carto.Auth) error {
	in := a.Info()
	if in.MemoryOnly != "" {
		return failure(fmt.Errorf("logged in (%s), but the login could not be kept, so it ended with this command: %s", summary(in), in.MemoryOnly),
			"set CARTO_AUTH_CACHE_DIR to a folder on a local disk and log in again")
	}
	fmt.Fprintln(e.stderr, "Logged in: "+summary(in))
	return nil
}

// summary is the one-line description of a login printed by login: where, how, until when.
func summary(in carto.Info) string {
	where := in.TenantDomain
	if where == "" {
		where = in.APIBaseURL
	} else if in.APIBaseURL != "" {
		where += " (" + in.APIBaseURL + ")"
	}
	if where == "" {
		where = "CARTO (API base URL unknown)"
	}
	how := in.Kind
	if in.Flow != "" && in.Flow != in.Kind {
		how += ", " + in.Flow
	}
	if who := in.Account(); who != "" {
		where = who + " at " + where
	}
	if in.Profile != "" {
		how += ", profile " + in.Profile
	}
	s := fmt.Sprintf("%s [%s]; access token valid until %s", where, how, expiryText(in.Expiry, time.Now()))
	if in.HasRefreshToken {
		s += "; refresh token held"
	}
	return s
}
