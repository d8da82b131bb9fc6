package gonbauth

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"github.com/carto-go/carto-auth/display"
)

// Login logs in the way that fits where it runs, so one notebook works on a laptop and in CI:
//
//  1. machine-to-machine credentials from the environment (CARTO_CREDENTIALS_FILE or
//     CARTO_CREDENTIALS), with opts' APIBaseURL and Common options;
//  2. the cached login of the profile, renewed without a prompt when needed;
//  3. an interactive login (as FromOAuth) where someone can answer: a notebook cell that is not
//     run unattended, a terminal, or opts.Prompter;
//  4. otherwise an error wrapping ErrInteractionRequired that names both ways out.
//
// Info().Source says which was used. Pass nil for the defaults.
func Login(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	if opts == nil {
		opts = &OAuthOptions{}
	}
	if os.Getenv(EnvCredentialsFile) != "" || os.Getenv(EnvCredentials) != "" {
		a, err := FromM2M(ctx, "", &M2MOptions{APIBaseURL: opts.APIBaseURL, Common: opts.Common})
		if err != nil {
			return nil, fmt.Errorf("M2M credentials from the environment: %w", err)
		}
		a.source = SourceEnvironment
		return a, nil
	}
	l, err := newOAuthLogin(opts)
	if err != nil {
		return nil, err
	}
	canAsk := !opts.DisableInteraction && someoneCanAnswer(opts)
	l.auth.mayPrompt = canAsk // a wait for another process's login is worth it only then
	if !opts.ForceLogin {
		l.noPrompt = true
		a, err := l.open(ctx)
		l.noPrompt = false
		if err == nil || !errors.Is(err, ErrInteractionRequired) {
			return a, err
		}
	}
	if !canAsk {
		return nil, fmt.Errorf("%w: no cached login, and nobody can answer a login here; set %s (or %s) to M2M credentials, or run `cartoauth login` once where you can answer",
			ErrInteractionRequired, EnvCredentialsFile, EnvCredentials)
	}
	return l.open(ctx)
}

// someoneCanAnswer reports whether an interactive login can be answered: the caller's prompter,
// a notebook cell that is not run unattended, or a terminal on standard input.
func someoneCanAnswer(opts *OAuthOptions) bool {
	switch {
	case opts.Prompter != nil:
		return true
	case display.InNotebook():
		return unattendedNotebook(true, os.Getenv) == "" // not CI, nbconvert, papermill
	}
	return term.IsTerminal(int(os.Stdin.Fd())) // /dev/null, a pipe or a file: nobody types there
}
