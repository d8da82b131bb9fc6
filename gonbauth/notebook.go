package gonbauth

import (
	"context"
	"os"

	"golang.org/x/term"

	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/display"
)

// Login logs in the way that fits where it runs, as carto.Login: M2M credentials from the
// environment, else the cached login, else an interactive login where someone can answer —
// in a notebook cell, the card — else an error wrapping ErrInteractionRequired that names both
// ways out. A notebook run unattended (CI set, jupyter nbconvert, papermill) never shows a
// card: it fails at once unless M2M credentials or a cached login serve. Pass nil for the
// defaults.
func Login(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	o := withPrompter(opts)
	if o.HintWords == nil {
		o.HintWords = cellWords()
	}
	return carto.Login(ctx, o)
}

// FromOAuth logs in interactively, or reuses the cached login, as carto.FromOAuth, with the
// card in a notebook cell. Pass nil for the defaults.
func FromOAuth(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	a, err := carto.FromOAuth(ctx, withPrompter(opts))
	return a, carto.WordHints(err, cellWords()) // a notebook's user reads it in the cell
}

// cellWords are the hints of an error as a notebook cell's user acts on them (a function: only
// a cell that fails builds the map).
func cellWords() map[carto.Hint]string {
	return map[carto.Hint]string{
		carto.HintLogIn:        "log in once in a cell of a notebook you run yourself (gonbauth.Login), or with `cartoauth login` in a terminal, so that the cached login is reused",
		carto.HintM2M:          "for unattended runs set CARTO_CREDENTIALS_FILE (or CARTO_CREDENTIALS) to M2M credentials in the kernel's environment",
		carto.HintWaitForLogin: "finish (or stop) that login, then run this cell again",
		carto.HintStartLogin:   "run gonbauth.StartLogin in a cell again, then gonbauth.FinishLogin with the code",
		carto.HintCacheDir:     "set CARTO_AUTH_CACHE_DIR in the kernel's environment to a folder of your own, or remove this one so that it is made anew with mode 0700",
		carto.HintAPIBaseURL:   "give it: OAuthOptions{APIBaseURL: \"https://gcp-us-east1.api.carto.com\"} (your region's)",
		carto.HintCredentials:  "check the M2M credentials (CARTO Workspace → Developers → Machine to Machine)",
		carto.HintOAuthToken:   "log in (gonbauth.Login) or use M2M credentials: an API access token cannot do this",
	}
}

// StartLogin begins a two-cell login, as carto.StartLogin, showing the card in a notebook
// cell. Pass the code to FinishLogin in a later cell.
func StartLogin(ctx context.Context, opts *OAuthOptions) error {
	return carto.StartLogin(ctx, withPrompter(opts))
}

// FinishLogin completes the login StartLogin began, as carto.FinishLogin.
func FinishLogin(ctx context.Context, pasted string, opts *OAuthOptions) (*Auth, error) {
	a, err := carto.FinishLogin(ctx, pasted, withPrompter(opts))
	return a, carto.WordHints(err, cellWords())
}

// withPrompter returns a copy of opts with the prompter for where the program runs: the
// caller's when given, else the card in a notebook cell, a terminal with a QR code on an
// interactive terminal, and none otherwise (nobody can answer).
func withPrompter(opts *OAuthOptions) *OAuthOptions {
	var o OAuthOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Prompter != nil:
	case display.InNotebook():
		o.Prompter = display.NewNotebook()
	case term.IsTerminal(int(os.Stdin.Fd())):
		o.Prompter = display.NewTerminal(os.Stdin, os.Stderr)
	}
	return &o
}
