package carto

import (
	"cmp"
	"os"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/carto-go/carto-auth/internal/flow"
	"github.com/carto-go/carto-auth/internal/wire"
)

// oauthConfig is an interactive login's options resolved once, against the environment and the
// machine's facts: everything else reads it, and tests may build it directly.
type oauthConfig struct {
	opts *OAuthOptions // the caller's, for what it supplies: Prompter, OpenBrowser
	set  *settings
	id   identity
	// oauth is the client: its id, endpoints and scopes.
	oauth oauth2.Config
	// choice is the flow to use, and why; oneClick, that a card may offer one click besides
	// (the flow was not forced, and the browser may be on this machine).
	choice   flow.Choice
	oneClick bool
	// loopbackHost and loopbackPort are where the loopback listener binds.
	loopbackHost string
	loopbackPort int
	timeout      time.Duration
	// browser and runtimeDir are $BROWSER and $XDG_RUNTIME_DIR, for the loopback flow.
	browser, runtimeDir string
	// prompter is the caller's Prompter, else one for this process's terminal.
	prompter func() Prompter
	// answer says who can answer a login here, or why nobody can.
	answer answer
}

// resolveOAuth resolves opts (nil for the defaults) against f. For Login (chain), a login with
// no Prompter and no terminal has nobody to answer it; FromOAuth reads standard input anyway.
func resolveOAuth(opts *OAuthOptions, f *facts, chain bool) (*oauthConfig, error) {
	if opts == nil {
		opts = &OAuthOptions{}
	}
	set, err := opts.resolve(f)
	if err != nil {
		return nil, err
	}
	base, err := wire.NormalizeBaseURL(opts.APIBaseURL)
	if err != nil {
		return nil, err
	}
	if err := flow.Validate(opts.Flow, f.getenv(EnvFlow)); err != nil {
		return nil, err
	}
	choice, err := flow.Choose(opts.Flow, f.getenv, f.exists)
	if err != nil {
		return nil, err
	}
	profile, err := resolveProfile(opts.Profile, f.getenv(EnvProfile), set.cacheDir, set.warn)
	if err != nil {
		return nil, err
	}
	clientID := cmp.Or(opts.ClientID, PublicClientID)
	c := &oauthConfig{opts: opts, set: set,
		id: identity{Kind: kindOAuth, AuthServer: set.ep.Server, ClientID: clientID,
			Organization: opts.Organization, APIBaseURL: base, Profile: profile},
		oauth: oauth2.Config{ClientID: clientID, Scopes: []string{"openid", "email", "profile"}, // the account's name and email, shown
			Endpoint: oauth2.Endpoint{AuthURL: set.ep.Authorize, TokenURL: set.ep.Token, AuthStyle: oauth2.AuthStyleInParams}},
		choice:       choice,
		oneClick:     opts.Flow == FlowAuto && f.getenv(EnvFlow) == "" && !choice.Remote,
		loopbackHost: cmp.Or(opts.LoopbackHost, f.getenv(EnvLoopbackHost), "localhost"),
		loopbackPort: cmp.Or(opts.LoopbackPort, DefaultLoopbackPort),
		timeout:      cmp.Or(opts.Timeout, DefaultLoginTimeout),
		browser:      f.getenv("BROWSER"),
		runtimeDir:   f.getenv("XDG_RUNTIME_DIR"),
		prompter:     prompterOf(opts),
		answer:       whoCanAnswer(opts, f, chain),
	}
	if !opts.NoOfflineAccess {
		c.oauth.Scopes = append(c.oauth.Scopes, "offline_access")
	}
	return c, nil
}

// answer is who can answer an interactive login, or why nobody can.
type answer struct {
	who    string // for people: "the notebook card", "this terminal", ...
	nobody string // why nobody can; "" when someone can
}

// can reports whether someone can answer.
func (a answer) can() bool { return a.nobody == "" }

// whoCanAnswer decides, for every entry point, who can answer an interactive login here:
//   - nobody when the caller disabled interaction;
//   - a card shown in the person's browser (a Prober: the notebook's), unless the notebook runs
//     unattended (CI, or a runner such as papermill, which would leave a box unanswered until
//     the timeout);
//   - the caller's Prompter: the CLI's, which an agent may drive through pipes, or the caller's own;
//   - this process's terminal, when standard input is one;
//   - otherwise, for Login, nobody (it fails at once, naming the ways out); for FromOAuth,
//     standard input, which a pipe may answer.
func whoCanAnswer(opts *OAuthOptions, f *facts, chain bool) answer {
	_, card := opts.Prompter.(Prober)
	switch {
	case opts.DisableInteraction:
		return answer{nobody: "interaction is disabled"}
	case card:
		if why := f.unattended(); why != "" {
			return answer{nobody: "this notebook runs unattended (" + why + "), so nobody can answer a login box"}
		}
		return answer{who: "the notebook card"}
	case opts.Prompter != nil:
		return answer{who: "the caller's prompter"}
	case f.stdinTerminal:
		return answer{who: "this terminal"}
	case chain:
		return answer{nobody: "no Prompter was given, and standard input is not a terminal"}
	}
	return answer{who: "standard input"}
}

// prompterOf is opts' Prompter, else one for this process's terminal, made on first use.
func prompterOf(opts *OAuthOptions) func() Prompter {
	return sync.OnceValue(func() Prompter {
		if opts.Prompter != nil {
			return opts.Prompter
		}
		return NewTerminal(os.Stdin, os.Stderr)
	})
}
