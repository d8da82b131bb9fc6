package carto

// What an interactive login says: its result, its hints, and the errors of a login nobody
// completed.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"github.com/carto-go/carto-auth/internal/hint"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
)

// memoryOnlyHint says that a login the cache cannot keep lasts only while this process runs,
// and at most until its token expires ("" when it is kept).
func memoryOnlyHint(e *entry, lock cache.Lock) string {
	why := lock.MemoryOnly()
	if why == "" {
		return ""
	}
	return fmt.Sprintf("This login is kept in this process's memory only, until %s at most: other cells and processes will not see it (%s).",
		e.Expiry.Local().Format("Jan 2 15:04 MST"), why)
}

func joinHints(hints ...string) string {
	return strings.TrimSpace(strings.Join(hints, " "))
}

// noRefreshHint says when a login that asked for a refresh token but got none will have to be
// made again ("" when there is nothing to say): without it, every expiry asks again with no
// word why.
func noRefreshHint(e *entry, c *oauthConfig) string {
	if e.RefreshToken != "" || c.opts.NoOfflineAccess {
		return ""
	}
	until := e.Expiry.Local().Format("Jan 2 15:04 MST")
	c.set.log.Warn("the auth server gave no refresh token: the login lasts as long as its access token", "until", until)
	return "The auth server gave no refresh token, so you will be asked to log in again when this token expires (" + until + ")."
}

// statusLimit bounds a status update made outside a login's own time (its result, a wait for
// another process): a prompter that never returns cannot keep the login's lock.
const statusLimit = 5 * time.Second

// errLoginTimeout ends a login that nobody completed in time; errors.Is treats it as a
// context.DeadlineExceeded too.
var errLoginTimeout error = loginTimeout{}

type loginTimeout struct{}

func (loginTimeout) Error() string        { return "the login timed out" }
func (loginTimeout) Is(target error) bool { return target == context.DeadlineExceeded }

// loginError says which of the errors a person can hit while logging in needed a person
// (ErrInteractionRequired) that did not come: the timeout, or the end of the prompt's input.
func loginError(ctx context.Context, err error, timeout time.Duration) error {
	switch {
	case errors.Is(context.Cause(ctx), errLoginTimeout):
		return hint.With(fmt.Errorf("%w: %w after %s: nobody completed the login", ErrInteractionRequired, errLoginTimeout, timeout), HintLogIn, HintM2M)
	case errors.Is(err, ErrNoInput):
		return hint.With(fmt.Errorf("%w: nobody can paste the code (%v)", ErrInteractionRequired, err), HintLogIn, HintM2M)
	}
	return err
}

func loggedInText(e *entry) string {
	where := cmp.Or(e.TenantDomain, e.APIBaseURL, "CARTO")
	if who := cmp.Or(e.Email, e.Name); who != "" {
		where += " as " + who
	}
	if via := map[string]string{string(FlowCopyCode): "pasted code", string(FlowLoopback): "one-click browser login"}[e.Flow]; via != "" {
		where += " (" + via + ")"
	}
	return fmt.Sprintf("Logged in to %s · token valid until %s", where, e.Expiry.Local().Format("Jan 2 15:04 MST"))
}
