// Package flow runs one interactive login — an Attempt — in the way a Plan says: copy-code
// (the person pastes the code CARTO's page shows), loopback (the browser comes back to a
// listener on this machine), one-click (copy-code, plus a loopback link once the person's
// browser proves it can reach the listener), or the two halves of a two-cell login. Each flow
// is a file; dispatch.go chooses. It shows the login through a prompt.Prompter, always with
// the caller's context, and returns the token answer: storing it is the engine's business.
package flow

import (
	"context"
	"log/slog"

	"golang.org/x/oauth2"

	"github.com/carto-go/carto-auth/internal/prompt"
	"github.com/carto-go/carto-auth/internal/wire"
)

// Attempt is one interactive login: the OAuth client and how to reach the person, and its own
// PKCE verifier and state, shared by both ways the code may come back (pasted, or through the
// loopback listener). Build it with New.
type Attempt struct {
	// OAuth is the client: id, endpoints, scopes (the redirect URI is set per flow).
	OAuth oauth2.Config
	// Client makes the code exchange.
	Client *wire.Client
	// CopyCodeURI is the copy-code redirect URI (CARTO's code page).
	CopyCodeURI string
	// Prompter shows the login to the person.
	Prompter prompt.Prompter
	// OpenBrowser opens a URL; nil means Browser, else the system's opener.
	OpenBrowser func(url string) error
	// Browser is the opener command the environment names ($BROWSER), or "".
	Browser string
	// RuntimeDir is the user's runtime folder ($XDG_RUNTIME_DIR), or "": see openFileParent.
	RuntimeDir string
	// Organization is the SSO organization sent on authorize, if any.
	Organization string
	// PromptLogin asks the login page to offer another account (prompt=login).
	PromptLogin bool
	// LoopbackHost and LoopbackPort are where the loopback listener binds ("localhost" is
	// both 127.0.0.1 and ::1).
	LoopbackHost string
	LoopbackPort int
	Log          *slog.Logger

	state, verifier string
}

// New returns a with a fresh state and PKCE verifier.
func New(a Attempt) *Attempt {
	a.state, a.verifier = randomString(24), oauth2.GenerateVerifier()
	return &a
}

// Verifier is the attempt's PKCE verifier (a two-cell login keeps it between cells).
func (a *Attempt) Verifier() string { return a.verifier }

// Status sets the prompt's status line.
func (a *Attempt) Status(ctx context.Context, state prompt.State, text, hint string) {
	a.Prompter.SetStatus(ctx, prompt.Status{State: state, Text: text, Hint: hint})
}

// show shows a login, logging a prompter that could not.
func (a *Attempt) show(ctx context.Context, l prompt.Login) {
	l.Title = prompt.DefaultTitle
	if err := a.Prompter.Show(ctx, l); err != nil {
		a.Log.Warn("showing the login failed", "error", err)
	}
}

// authURL is the authorization URL for one redirect URI, with state unless it is "" (the
// copy-code flow, see copyCode).
func (a *Attempt) authURL(redirectURI, state string) string {
	cfg := a.OAuth
	cfg.RedirectURL = redirectURI
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(a.verifier), oauth2.SetAuthURLParam("audience", wire.Audience)}
	if a.Organization != "" {
		opts = append(opts, oauth2.SetAuthURLParam("organization", a.Organization))
	}
	if a.PromptLogin {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "login"))
	}
	return cfg.AuthCodeURL(state, opts...)
}

// exchange trades a code for tokens. It is not retried: a code is single-use.
func (a *Attempt) exchange(ctx context.Context, code, redirectURI string) (*oauth2.Token, error) {
	cfg := a.OAuth
	cfg.RedirectURL = redirectURI
	return a.Client.FetchToken(ctx, wire.Never, func(ctx context.Context) (*oauth2.Token, error) {
		return cfg.Exchange(ctx, code, oauth2.VerifierOption(a.verifier), oauth2.SetAuthURLParam("audience", wire.Audience))
	})
}

// Capitalize makes a message start with a capital letter, for a status line.
func Capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
