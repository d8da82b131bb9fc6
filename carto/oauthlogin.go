package carto

import (
	"cmp"
	"os"
	"sync"

	"github.com/carto-go/carto-auth/internal/flow"
	"golang.org/x/oauth2"
)

// oauthLogin renews an interactive login: refresh token first, a new login when unavoidable.
type oauthLogin struct {
	opts     *OAuthOptions
	set      *settings
	auth     *Auth
	cfg      oauth2.Config
	prompter func() Prompter // the caller's, else a terminal's made on first use
	// canAsk: someone can answer a login here (not DisableInteraction; for Login, also a
	// prompter or a terminal), so an expired login may be renewed by one, and a wait for
	// another process's interactive login goes on instead of giving up. cacheOnly keeps this
	// call from asking even so (Login's first try); promptLogin asks the login page to offer
	// another account; loggedIn says a login completed.
	canAsk, cacheOnly, promptLogin, loggedIn bool
}

func (l *oauthLogin) getPrompter() Prompter { return l.prompter() }

// prompterOf is opts' Prompter, else one for this process's terminal, made on first use.
func prompterOf(opts *OAuthOptions) func() Prompter {
	return sync.OnceValue(func() Prompter {
		if opts.Prompter != nil {
			return opts.Prompter
		}
		return NewTerminal(os.Stdin, os.Stderr)
	})
}

// attempt is an interactive login of l, shown by p.
func (l *oauthLogin) attempt(p Prompter) flow.Attempt {
	return flow.Attempt{OAuth: l.cfg, Client: l.set.client, CopyCodeURI: l.set.ep.CopyCode, Prompter: p,
		OpenBrowser: l.opts.OpenBrowser, Organization: l.opts.Organization, PromptLogin: l.promptLogin,
		LoopbackHost: cmp.Or(l.opts.LoopbackHost, os.Getenv(EnvLoopbackHost), "localhost"),
		LoopbackPort: cmp.Or(l.opts.LoopbackPort, DefaultLoopbackPort), Log: l.set.log}
}
