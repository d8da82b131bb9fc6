package gonbauth

import (
	"context"
	"errors"
	"fmt"
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
	o, why := here(opts)
	a, err := carto.Login(ctx, o)
	return a, unattendedError(err, why)
}

// FromOAuth logs in interactively, or reuses the cached login, as carto.FromOAuth, with the
// card in a notebook cell. Pass nil for the defaults.
func FromOAuth(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	o, why := here(opts)
	a, err := carto.FromOAuth(ctx, o)
	if why != "" {
		return a, unattendedError(err, why)
	}
	return a, carto.Advise(err) // a notebook's user reads it in the cell
}

// StartLogin begins a two-cell login, as carto.StartLogin, showing the card in a notebook
// cell. Pass the code to FinishLogin in a later cell.
func StartLogin(ctx context.Context, opts *OAuthOptions) error {
	return carto.StartLogin(ctx, withPrompter(opts))
}

// FinishLogin completes the login StartLogin began, as carto.FinishLogin.
func FinishLogin(ctx context.Context, pasted string, opts *OAuthOptions) (*Auth, error) {
	return carto.FinishLogin(ctx, pasted, withPrompter(opts))
}

// here returns opts with the prompter for where the program runs (see withPrompter); in a
// notebook run unattended it disables interaction instead and says why.
func here(opts *OAuthOptions) (*OAuthOptions, string) {
	if (opts == nil || opts.Prompter == nil) && display.InNotebook() {
		if why := unattendedNotebook(os.Getenv); why != "" {
			var o OAuthOptions
			if opts != nil {
				o = *opts
			}
			o.DisableInteraction = true
			return &o, why
		}
	}
	return withPrompter(opts), ""
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

// unattendedError says, for a login that needed a person in a notebook run unattended, why
// nobody was asked, and what to do.
func unattendedError(err error, why string) error {
	if why == "" || !errors.Is(err, ErrInteractionRequired) || errors.Is(err, ErrLoginInProgress) {
		return err
	}
	return carto.Advise(fmt.Errorf("%w: this notebook runs unattended (%s), so nobody can answer a login box", ErrInteractionRequired, why))
}
