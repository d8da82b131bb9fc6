package carto

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"time"

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
		_, err = a.cache.update(ctx, lockWait{mayPrompt: true, notice: a.onLockWait, limit: a.waitLimit}, nil,
			func(ctx context.Context, _ *entry) (*entry, error) { return l.login(ctx) })
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
		if err := l.discoverInto(ctx, a.cache.current()); err != nil {
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
	if err := validateFlow(opts.Flow, os.Getenv(EnvFlow)); err != nil {
		return nil, err
	}
	profile, err := resolveProfile(opts.Profile, set.cacheDir, set.warn)
	if err != nil {
		return nil, err
	}
	clientID := cmp.Or(opts.ClientID, PublicClientID)
	a := newAuth(set, identity{Kind: kindOAuth, AuthServer: set.ep.Server, ClientID: clientID,
		Organization: opts.Organization, APIBaseURL: base, Profile: profile})
	l := &oauthLogin{opts: opts, set: set, auth: a, cfg: oauth2.Config{
		ClientID: clientID,
		Endpoint: oauth2.Endpoint{AuthURL: set.ep.Authorize, TokenURL: set.ep.Token, AuthStyle: oauth2.AuthStyleInParams},
	}}
	l.cfg.Scopes = []string{"openid", "email", "profile"} // the account's name and email, shown
	if !opts.NoOfflineAccess {
		l.cfg.Scopes = append(l.cfg.Scopes, "offline_access")
	}
	a.obtain, a.revoke, a.onLockWait, a.onAdopt = l.obtain, set.revoker(a.id), l.lockWait, l.adopted
	a.mayPrompt = !opts.DisableInteraction
	// Waiting for another process's login makes sense as long as a login of our own would.
	a.waitLimit = cmp.Or(opts.Timeout, DefaultLoginTimeout) + time.Minute
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
	// noPrompt keeps a login from prompting even without DisableInteraction (Login's first,
	// cache-only try); promptLogin asks the login page to offer another account; loggedIn
	// says a login completed.
	noPrompt, promptLogin, loggedIn bool
}

func (l *oauthLogin) obtain(ctx context.Context, last *entry, ahead bool) (*entry, error) {
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
	return l.login(ctx)
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
	e := newEntry(l.auth.id, t, time.Now())
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
	_, err = l.auth.cache.update(ctx, lockWait{}, nil, func(_ context.Context, newest *entry) (*entry, error) {
		if newest == nil {
			newest = e
		}
		updated := *newest
		updated.TenantDomain, updated.APIBaseURL = tenant, base
		return &updated, nil
	})
	return err
}

// revoker returns the function that revokes id's refresh tokens at its auth server.
func (s *settings) revoker(id identity) func(ctx context.Context, refreshToken string) error {
	return func(ctx context.Context, refreshToken string) error {
		ep, err := wire.NewEndpoints(id.AuthServer)
		if err != nil {
			return err
		}
		return s.client.Revoke(ctx, ep, id.ClientID, refreshToken)
	}
}

// lockWait tells the user that another process is logging this identity in.
func (l *oauthLogin) lockWait(holder lockHolder) {
	msg := fmt.Sprintf("Another login for this CARTO account is in progress in %s; waiting for it to finish instead of opening a second login.", holder)
	l.set.log.Info(msg)
	if l.opts.DisableInteraction {
		return // nothing is shown when nothing may be asked
	}
	l.waited = true
	l.getPrompter().SetStatus(context.Background(), Status{State: StateWaiting, Text: msg})
}

// adopted ends the status shown while waiting for another process's login, whose token this
// one now uses.
func (l *oauthLogin) adopted(e *entry) {
	if l.waited {
		l.getPrompter().SetStatus(context.Background(), Status{State: StateDone,
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
