package carto

import (
	"context"
	"fmt"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/flow"
	"github.com/carto-go/carto-auth/internal/hint"
	"github.com/carto-go/carto-auth/internal/wire"
	"golang.org/x/oauth2"
)

// oauthLogin is an interactive login. It opens its Auth (from the cache, by renewing, or by
// asking a person), logs in under the cache's lock, and renews the Auth's tokens (the renewer
// methods, below). Its fields are set once; what one call decides (may it
// ask, must the login page offer another account) is passed to it, and what it learns (did a
// person log in) is returned.
type oauthLogin struct {
	cfg  *oauthConfig
	auth *Auth
}

// FromOAuth logs in interactively, or reuses the cached login of the same identity (auth
// server, client, organization, API base URL, profile) without any prompt. Pass nil for the
// defaults.
func FromOAuth(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	l, err := newOAuthLogin(opts, readFacts(), false)
	if err != nil {
		return nil, err
	}
	return l.open(ctx, false)
}

// newOAuthLogin resolves opts against f (see resolveOAuth) and builds the Auth of their
// identity, not yet logged in.
func newOAuthLogin(opts *OAuthOptions, f *facts, chain bool) (*oauthLogin, error) {
	cfg, err := resolveOAuth(opts, f, chain)
	if err != nil {
		return nil, err
	}
	l := &oauthLogin{cfg: cfg}
	l.auth = newAuth(cfg.set, cfg.id, l)
	return l, nil
}

// open logs l in: from the cache, by renewing, or interactively (always, with ForceLogin);
// never interactively when cacheOnly.
func (l *oauthLogin) open(ctx context.Context, cacheOnly bool) (*Auth, error) {
	a := l.auth
	var interactive bool
	var err error
	if l.cfg.opts.ForceLogin {
		w := l.wait(ctx)
		w.MayPrompt = true
		_, _, err = a.cache.Update(ctx, w, forcedLogin{l})
		interactive, err = true, cacheError(err)
	} else {
		_, interactive, err = a.tokenFor(ctx, cacheOnly)
	}
	if err != nil {
		return nil, err
	}
	a.source = SourceCache
	if interactive {
		a.source = SourceInteractive
	}
	if a.APIBaseURL() == "" { // a cached login whose discovery failed earlier
		if err := l.discoverInto(ctx, a.cache.Current()); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// forcedLogin is the Change of ForceLogin: an interactive login whatever the cache holds, on a
// login page that offers another account.
type forcedLogin struct{ l *oauthLogin }

func (forcedLogin) Satisfied(*entry) bool { return false }
func (f forcedLogin) Apply(ctx context.Context, _ *entry, lock cache.Lock) (*entry, error) {
	return f.l.login(ctx, lock, true)
}

// login runs an interactive login under the cache's lock, bounded by the login timeout, and
// discovers the API base URL unless the caller gave one. promptLogin asks the login page to
// offer another account.
func (l *oauthLogin) login(ctx context.Context, lock cache.Lock, promptLogin bool) (*entry, error) {
	attemptCtx, cancel := context.WithTimeoutCause(ctx, l.cfg.timeout, errLoginTimeout)
	defer cancel()
	p := l.prompter()
	prober, _ := p.(Prober)
	inBrowser := prober != nil && prober.Probes() // the card, in the person's own browser
	lock.Interactive()                            // callers waiting for this login that may not prompt give up
	at := flow.New(l.attempt(p, promptLogin))
	t, fl, err := at.Run(attemptCtx, flow.Plan{Choice: l.cfg.choice, Browser: !inBrowser && !l.cfg.opts.NoBrowser,
		OneClick: inBrowser && l.cfg.oneClick})
	if err != nil {
		err = loginError(attemptCtx, err, l.cfg.timeout)
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
	set := l.cfg.set
	e := newEntry(l.auth.id, t, set.now())
	e.Flow, e.APIBaseURL = string(fl), l.auth.id.APIBaseURL
	if e.APIBaseURL == "" {
		var err error
		if e.TenantDomain, e.APIBaseURL, err = set.client.Discover(ctx, set.ep, e.AccessToken); err != nil {
			// The login stands and is cached; open (or FinishLogin) retries discovery and reports.
			set.log.Warn("logged in, but discovery failed", "error", err)
		}
	}
	set.fillAccount(ctx, e)
	statusCtx, cancel := context.WithTimeout(ctx, statusLimit)
	defer cancel()
	at.Status(statusCtx, StateDone, loggedInText(e), joinHints(noRefreshHint(e, l.cfg), memoryOnlyHint(e, lock)))
	return e, nil
}

// discoverInto finds the API base URL for e's token and stores it in the newest entry, through
// the cache writer, so that a refresh token another process rotated meanwhile is kept.
func (l *oauthLogin) discoverInto(ctx context.Context, e *entry) error {
	tenant, base, err := l.cfg.set.client.Discover(ctx, l.cfg.set.ep, e.AccessToken)
	if err != nil {
		return err
	}
	_, _, err = l.auth.cache.Update(ctx, cache.Wait{}, discovered{e, tenant, base})
	return cacheError(err)
}

// attempt is an interactive login of l, shown by p.
func (l *oauthLogin) attempt(p Prompter, promptLogin bool) flow.Attempt {
	c := l.cfg
	return flow.Attempt{OAuth: c.oauth, Client: c.set.client, CopyCodeURI: c.set.ep.CopyCode, Prompter: p,
		OpenBrowser: c.opts.OpenBrowser, Browser: c.browser, RuntimeDir: c.runtimeDir, Organization: c.opts.Organization,
		PromptLogin: promptLogin, LoopbackHost: c.loopbackHost, LoopbackPort: c.loopbackPort, Log: c.set.log}
}

// prompter is what shows l's login and status lines.
func (l *oauthLogin) prompter() Prompter { return l.cfg.prompter() }

// The OAuth side of an Auth's renewals (see renewer): refresh tokens first, a new login when
// unavoidable and someone can answer it.

func (l *oauthLogin) obtain(ctx context.Context, last *entry, req renewRequest, lock cache.Lock) (*entry, bool, error) {
	refused := false
	if last != nil && last.RefreshToken != "" {
		e, err := l.refresh(ctx, last)
		if err == nil || !IsInvalidGrant(err) || req.ahead {
			return e, false, err // ahead of expiry the current token stands: no prompt
		}
		l.cfg.set.log.Info("the refresh token was rejected; a new login is needed", "error", err)
		refused = true
	}
	if why := l.whyNotAsk(req); why != "" {
		err := hint.With(fmt.Errorf("%w: the cached login is missing or expired, and %s", ErrInteractionRequired, why), HintLogIn, HintM2M)
		if refused {
			// Forget the refused refresh token, so that no process presents it again.
			return last.WithoutRefreshToken(), false, fmt.Errorf("%w: %w", errRefreshRefused, err)
		}
		return nil, false, err
	}
	// A first login to a named profile: the browser may be logged in to CARTO as someone else.
	e, err := l.login(ctx, lock, last == nil && l.auth.id.Profile != "")
	return e, err == nil, err
}

// whyNotAsk says why a renewal may not ask a person, or "" when it may.
func (l *oauthLogin) whyNotAsk(req renewRequest) string {
	switch {
	case !l.cfg.answer.can():
		return l.cfg.answer.nobody
	case req.cacheOnly:
		return "this call only uses the cache"
	case req.ahead:
		return "the current token is still valid" // with no refresh token: used to its end
	}
	return ""
}

// wait is how a renewal of an expired login waits for another process holding the lock: when
// this one could prompt, as long as a login of its own would take, telling the person.
func (l *oauthLogin) wait(ctx context.Context) cache.Wait {
	if !l.cfg.answer.can() {
		return cache.Wait{}
	}
	return cache.Wait{MayPrompt: true, Limit: l.cfg.timeout + time.Minute,
		Notice: func(h cache.Holder) { l.lockWait(ctx, h) }}
}

// revoke revokes a refresh token of this login at its auth server.
func (l *oauthLogin) revoke(ctx context.Context, refreshToken string) error {
	return l.cfg.set.client.Revoke(ctx, l.cfg.set.ep, l.auth.id.ClientID, refreshToken)
}

// refresh trades the refresh token for a new access token. A rotated refresh token comes back
// in the new entry, which the caller stores before anything else can use the old one.
func (l *oauthLogin) refresh(ctx context.Context, last *entry) (*entry, error) {
	set := l.cfg.set
	t, err := set.client.FetchToken(ctx, wire.Unsent, func(ctx context.Context) (*oauth2.Token, error) {
		return l.cfg.oauth.TokenSource(ctx, &oauth2.Token{RefreshToken: last.RefreshToken}).Token()
	})
	if err != nil {
		return nil, fmt.Errorf("refreshing the CARTO token: %w", err)
	}
	e := newEntry(l.auth.id, t, set.now())
	if e.RefreshToken == "" {
		e.RefreshToken = last.RefreshToken
	}
	if e.Email == "" && e.Name == "" {
		e.Email, e.Name = last.Email, last.Name
	}
	e.APIBaseURL, e.TenantDomain, e.Flow = last.APIBaseURL, last.TenantDomain, last.Flow
	set.log.Info("refreshed the access token", "rotated", e.RefreshToken != last.RefreshToken)
	return e, nil
}

// lockWait tells the user that another process is logging this identity in.
func (l *oauthLogin) lockWait(ctx context.Context, holder cache.Holder) {
	msg := fmt.Sprintf("Another login for this CARTO account is in progress in %s; waiting for it to finish instead of opening a second login.", holder)
	l.cfg.set.log.Info(msg)
	l.setStatus(ctx, Status{State: StateWaiting, Text: msg})
}

// adopted ends the status shown while waiting for another process's login, whose token this
// one now uses.
func (l *oauthLogin) adopted(ctx context.Context, e *entry) {
	l.setStatus(ctx, Status{State: StateDone,
		Text: loggedInText(e), Hint: "Logged in by the other login, whose token this cell now uses."})
}

// setStatus updates the status line outside a login's own time, for at most statusLimit.
func (l *oauthLogin) setStatus(ctx context.Context, s Status) {
	ctx, cancel := context.WithTimeout(ctx, statusLimit)
	defer cancel()
	l.prompter().SetStatus(ctx, s)
}
