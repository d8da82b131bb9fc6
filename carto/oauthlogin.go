package carto

import (
	"cmp"
	"os"

	"github.com/carto-go/carto-auth/internal/flow"
	"golang.org/x/oauth2"
)

// oauthLogin renews an interactive login: refresh token first, a new login when unavoidable.
type oauthLogin struct {
	opts     *OAuthOptions
	set      *settings
	auth     *Auth
	cfg      oauth2.Config
	prompter Prompter // set on first use
	waited   bool     // the user was told that another process is logging in
	// canAsk: someone can answer a login here (not DisableInteraction; for Login, also a
	// prompter or a terminal), so an expired login may be renewed by one, and a wait for
	// another process's interactive login goes on instead of giving up. cacheOnly keeps this
	// call from asking even so (Login's first try); promptLogin asks the login page to offer
	// another account; loggedIn says a login completed.
	canAsk, cacheOnly, promptLogin, loggedIn bool
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

// attempt is an interactive login of l, shown by p.
func (l *oauthLogin) attempt(p Prompter) flow.Attempt {
	return flow.Attempt{OAuth: l.cfg, Client: l.set.client, CopyCodeURI: l.set.ep.CopyCode, Prompter: p,
		OpenBrowser: l.opts.OpenBrowser, Organization: l.opts.Organization, PromptLogin: l.promptLogin,
		LoopbackHost: cmp.Or(l.opts.LoopbackHost, os.Getenv(EnvLoopbackHost), "localhost"),
		LoopbackPort: cmp.Or(l.opts.LoopbackPort, DefaultLoopbackPort), Log: l.set.log}
}
