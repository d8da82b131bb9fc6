package carto

import (
	"cmp"
	"context"
	"os"

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
	l := &oauthLogin{opts: opts, set: set, prompter: prompterOf(opts), canAsk: !opts.DisableInteraction, cfg: oauth2.Config{
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
