package carto

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/flow"

	"github.com/carto-go/carto-auth/internal/wire"
	"golang.org/x/oauth2"
)

// FromOAuth logs in interactively, or reuses the cached login of the same identity (auth
// server, client, organization, API base URL, profile) without any prompt. Pass nil for the
// defaults.
func FromOAuth(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	l, err := newOAuthLogin(opts)
	if err != nil {
		return nil, err
	}
	return l.open(ctx)
}

// open logs l in: from the cache, by renewing, or interactively (always, with ForceLogin).
func (l *oauthLogin) open(ctx context.Context) (*Auth, error) {
	a := l.auth
	var err error
	if l.opts.ForceLogin {
		l.promptLogin = true
		w := l.wait(ctx)
		w.MayPrompt = true
		_, _, err = a.cache.Update(ctx, w, forcedLogin{l})
		err = cacheError(err)
	} else {
		_, err = a.AccessToken(ctx)
	}
	if err != nil {
		return nil, err
	}
	a.source = SourceCache
	if l.loggedIn {
		a.source = SourceInteractive
	}
	if a.APIBaseURL() == "" { // a cached login whose discovery failed earlier
		if err := l.discoverInto(ctx, a.cache.Current()); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// newOAuthLogin checks the options and builds the Auth of their identity, not yet logged in.
func newOAuthLogin(opts *OAuthOptions) (*oauthLogin, error) {
	if opts == nil {
		opts = &OAuthOptions{}
	}
	set, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	base, err := wire.NormalizeBaseURL(opts.APIBaseURL)
	if err != nil {
		return nil, err
	}
	if err := flow.Validate(opts.Flow, os.Getenv(EnvFlow)); err != nil {
		return nil, err
	}
	profile, err := resolveProfile(opts.Profile, set.cacheDir, set.warn)
	if err != nil {
		return nil, err
	}
	clientID := cmp.Or(opts.ClientID, PublicClientID)
	l := &oauthLogin{opts: opts, set: set, mayPrompt: !opts.DisableInteraction, cfg: oauth2.Config{
		ClientID: clientID,
		Endpoint: oauth2.Endpoint{AuthURL: set.ep.Authorize, TokenURL: set.ep.Token, AuthStyle: oauth2.AuthStyleInParams},
	}}
	l.cfg.Scopes = []string{"openid", "email", "profile"} // the account's name and email, shown
	if !opts.NoOfflineAccess {
		l.cfg.Scopes = append(l.cfg.Scopes, "offline_access")
	}
	l.auth = newAuth(set, identity{Kind: kindOAuth, AuthServer: set.ep.Server, ClientID: clientID,
		Organization: opts.Organization, APIBaseURL: base, Profile: profile}, l)
	return l, nil
}

// oauthLogin renews an interactive login: refresh token first, a new login when unavoidable.
type oauthLogin struct {
	opts     *OAuthOptions
	set      *settings
	auth     *Auth
	cfg      oauth2.Config
	prompter Prompter // set on first use
	waited   bool     // the user was told that another process is logging in
	// mayPrompt: an expired login may be renewed by an interactive login, so a wait for
	// another process's interactive login goes on instead of giving up (Login sets it from
	// whether anyone can answer). noPrompt keeps a login from prompting even so (Login's
	// first, cache-only try); promptLogin asks the login page to offer another account;
	// loggedIn says a login completed.
	mayPrompt, noPrompt, promptLogin, loggedIn bool
}

func (l *oauthLogin) obtain(ctx context.Context, last *entry, ahead bool, lock cache.Lock) (*entry, error) {
	refused := false
	if last != nil && last.RefreshToken != "" {
		e, err := l.refresh(ctx, last)
		if err == nil || !IsInvalidGrant(err) || ahead {
			return e, err // ahead of expiry the current token stands: no prompt
		}
		l.set.log.Info("the refresh token was rejected; a new login is needed", "error", err)
		refused = true
	}
	if l.opts.DisableInteraction || l.noPrompt {
		err := fmt.Errorf("%w: the cached login is missing or expired and interaction is disabled; log in first (FromOAuth, or `cartoauth login`), or use M2M credentials", ErrInteractionRequired)
		if refused {
			// Forget the refused refresh token, so that no process presents it again.
			dead := *last
			dead.RefreshToken = ""
			return &dead, fmt.Errorf("%w: %w", errRefreshRefused, err)
		}
		return nil, err
	}
	// A first login to a named profile: the browser may be logged in to CARTO as someone else.
	l.promptLogin = l.promptLogin || (last == nil && l.auth.id.Profile != "")
	return l.login(ctx, lock)
}

// wait is how a renewal of an expired login waits for another process holding the lock: when
// this one could prompt, as long as a login of its own would take, telling the person.
func (l *oauthLogin) wait(ctx context.Context) cache.Wait {
	if !l.mayPrompt {
		return cache.Wait{}
	}
	return cache.Wait{MayPrompt: true, Limit: cmp.Or(l.opts.Timeout, DefaultLoginTimeout) + time.Minute,
		Notice: func(h cache.Holder) { l.lockWait(ctx, h) }}
}

// revoke revokes a refresh token of this login at its auth server.
func (l *oauthLogin) revoke(ctx context.Context, refreshToken string) error {
	return l.set.client.Revoke(ctx, l.set.ep, l.auth.id.ClientID, refreshToken)
}

// refresh trades the refresh token for a new access token. A rotated refresh token comes back
// in the new entry, which the caller stores before anything else can use the old one.
func (l *oauthLogin) refresh(ctx context.Context, last *entry) (*entry, error) {
	t, err := l.set.client.FetchToken(ctx, wire.Unsent, func(ctx context.Context) (*oauth2.Token, error) {
		return l.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: last.RefreshToken}).Token()
	})
	if err != nil {
		return nil, fmt.Errorf("refreshing the CARTO token: %w", err)
	}
	e := newEntry(l.auth.id, t, l.set.now())
	if e.RefreshToken == "" {
		e.RefreshToken = last.RefreshToken
	}
	if e.Email == "" && e.Name == "" {
		e.Email, e.Name = last.Email, last.Name
	}
	e.APIBaseURL, e.TenantDomain, e.Flow = last.APIBaseURL, last.TenantDomain, last.Flow
	l.set.log.Info("refreshed the access token", "rotated", e.RefreshToken != last.RefreshToken)
	return e, nil
}

// discoverInto finds the API base URL for e's token and stores it in the newest entry, through
// the cache writer, so that a refresh token another process rotated meanwhile is kept.
func (l *oauthLogin) discoverInto(ctx context.Context, e *entry) error {
	tenant, base, err := l.set.client.Discover(ctx, l.set.ep, e.AccessToken)
	if err != nil {
		return err
	}
	_, _, err = l.auth.cache.Update(ctx, cache.Wait{}, discovered{e, tenant, base})
	return cacheError(err)
}

// lockWait tells the user that another process is logging this identity in.
func (l *oauthLogin) lockWait(ctx context.Context, holder cache.Holder) {
	msg := fmt.Sprintf("Another login for this CARTO account is in progress in %s; waiting for it to finish instead of opening a second login.", holder)
	l.set.log.Info(msg)
	if l.opts.DisableInteraction {
		return // nothing is shown when nothing may be asked
	}
	l.waited = true
	l.getPrompter().SetStatus(ctx, Status{State: StateWaiting, Text: msg})
}

// adopted ends the status shown while waiting for another process's login, whose token this
// one now uses.
func (l *oauthLogin) adopted(ctx context.Context, e *entry) {
	if l.waited {
		l.getPrompter().SetStatus(ctx, Status{State: StateDone,
			Text: loggedInText(e), Hint: "Logged in by the other login, whose token this cell now uses."})
	}
}

func (l *oauthLogin) getPrompter() Prompter {
	if l.prompter == nil {
		l.prompter = l.opts.Prompter
		if l.prompter == nil {
			l.prompter = NewTerminal(os.Stdin, os.Stderr)
		}
	}
	return l.prompter
}
