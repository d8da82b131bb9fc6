package carto

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/flow"

	"golang.org/x/oauth2"
)

// login runs an interactive login under the cache's lock, bounded by the login timeout, and
// discovers the API base URL unless the caller gave one.
func (l *oauthLogin) login(ctx context.Context, lock cache.Lock) (*entry, error) {
	timeout := cmp.Or(l.opts.Timeout, DefaultLoginTimeout)
	attemptCtx, cancel := context.WithTimeoutCause(ctx, timeout, errLoginTimeout)
	defer cancel()
	p := l.getPrompter()
	prober, _ := p.(Prober)
	inBrowser := prober != nil && prober.Probes() // the card, in the person's own browser
	choice, err := flow.Choose(l.opts.Flow, os.Getenv, flow.FileExists)
	if err != nil {
		return nil, err
	}
	lock.Interactive() // callers waiting for this login that may not prompt give up
	at := flow.New(l.attempt(p))
	t, fl, err := at.Run(attemptCtx, flow.Plan{Choice: choice, Browser: !inBrowser && !l.opts.NoBrowser,
		OneClick: inBrowser && l.opts.Flow == FlowAuto && os.Getenv(EnvFlow) == "" && !choice.Remote})
	if err != nil {
		err = loginError(attemptCtx, err, timeout)
		statusCtx, cancel := context.WithTimeout(ctx, statusLimit) // shown even after the timeout
		defer cancel()
		at.Status(statusCtx, StateFailed, flow.Capitalize(err.Error()), "")
		return nil, err
	}
	return l.finish(ctx, at, t, fl, lock)
}

// finish builds the entry of a completed login, discovers the API base URL unless the caller
// gave one, and reports the result in the status line.
func (l *oauthLogin) finish(ctx context.Context, at *flow.Attempt, t *oauth2.Token, fl Flow, lock cache.Lock) (*entry, error) {
	e := newEntry(l.auth.id, t, l.set.now())
	e.Flow, e.APIBaseURL = string(fl), l.auth.id.APIBaseURL
	if e.APIBaseURL == "" {
		var err error
		if e.TenantDomain, e.APIBaseURL, err = l.set.client.Discover(ctx, l.set.ep, e.AccessToken); err != nil {
			// The login stands and is cached; FromOAuth retries discovery and reports.
			l.set.log.Warn("logged in, but discovery failed", "error", err)
		}
	}
	l.set.fillAccount(ctx, e)
	l.loggedIn = true
	statusCtx, cancel := context.WithTimeout(ctx, statusLimit)
	defer cancel()
	at.Status(statusCtx, StateDone, loggedInText(e), joinHints(l.noRefreshHint(e), memoryOnlyHint(e, lock)))
	return e, nil
}

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
func (l *oauthLogin) noRefreshHint(e *entry) string {
	if e.RefreshToken != "" || l.opts.NoOfflineAccess {
		return ""
	}
	until := e.Expiry.Local().Format("Jan 2 15:04 MST")
	l.set.log.Warn("the auth server gave no refresh token: the login lasts as long as its access token", "until", until)
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
		return fmt.Errorf("%w: %w after %s: nobody completed the login", ErrInteractionRequired, errLoginTimeout, timeout)
	case errors.Is(err, ErrNoInput):
		return fmt.Errorf("%w: nobody can paste the code (%v)", ErrInteractionRequired, err)
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
