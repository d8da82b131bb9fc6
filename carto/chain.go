package carto

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// Login logs in the way that fits where it runs, so one notebook works on a laptop and in CI:
//
//  1. machine-to-machine credentials from the environment (CARTO_CREDENTIALS_FILE or
//     CARTO_CREDENTIALS), with opts' APIBaseURL and Common options; options that choose an
//     interactive login's account (Profile, Organization, ClientID, Flow, ForceLogin) are
//     then refused rather than ignored, since the M2M client would log in instead;
//  2. the cached login of the profile, renewed without a prompt when needed;
//  3. an interactive login (as FromOAuth) where someone can answer: opts.Prompter (the notebook
//     card, from package gonbauth), or a terminal on standard input;
//  4. otherwise an error wrapping ErrInteractionRequired that names both ways out.
//
// Info().Source says which was used. Pass nil for the defaults.
func Login(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	a, err := login(ctx, opts)
	return a, Advise(err)
}

// loginAdvice is what to do when a login needs a person who is not there.
const loginAdvice = "for unattended runs set CARTO_CREDENTIALS_FILE (or CARTO_CREDENTIALS) to M2M credentials; " +
	"or log in once where someone can answer (`cartoauth login`, or a notebook cell), so that the cached login is reused"

// Advise adds to an error wrapping ErrInteractionRequired what to do about it (M2M
// credentials, or a login made once where someone can answer); other errors come back as they
// are. Login advises by itself; FromOAuth's errors are short, for callers that say it their way.
func Advise(err error) error {
	if !errors.Is(err, ErrInteractionRequired) {
		return err
	}
	return fmt.Errorf("%w; %s", err, loginAdvice)
}

func login(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	if opts == nil {
		opts = &OAuthOptions{}
	}
	if os.Getenv(EnvCredentialsFile) != "" || os.Getenv(EnvCredentials) != "" {
		if ignored := m2mIgnores(opts); ignored != "" {
			return nil, fmt.Errorf("M2M credentials are set in the environment (%s or %s), so Login would log in as that M2M client and ignore %s; unset them for an interactive login, or drop these options",
				EnvCredentialsFile, EnvCredentials, ignored)
		}
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
	why := nobodyToAnswer(opts)
	l.canAsk = l.canAsk && why == ""
	if !opts.ForceLogin {
		l.cacheOnly = true
		a, err := l.open(ctx)
		l.cacheOnly = false
		if err == nil || !errors.Is(err, ErrInteractionRequired) || errors.Is(err, ErrLoginInProgress) {
			return a, err // ErrLoginInProgress names the other process, which says more
		}
	}
	if !l.canAsk {
		if opts.DisableInteraction {
			why = "interaction is disabled"
		}
		return nil, fmt.Errorf("%w: no cached login, and nobody can answer a login here (%s)", ErrInteractionRequired, why)
	}
	return l.open(ctx)
}

// nobodyToAnswer says why an interactive login cannot be answered here, or "" when it can: the
// caller's prompter, or a terminal on standard input.
func nobodyToAnswer(opts *OAuthOptions) string {
	if opts.Prompter != nil || term.IsTerminal(int(os.Stdin.Fd())) {
		return ""
	}
	return "no Prompter was given, and standard input is not a terminal" // /dev/null, a pipe, a file
}

// m2mIgnores names the options that choose an interactive login's account, which an M2M login
// cannot honour ("" when none is set).
func m2mIgnores(opts *OAuthOptions) string {
	var set []string
	for _, o := range []struct {
		name, value string
	}{{"Profile", opts.Profile}, {"Organization", opts.Organization}, {"ClientID", opts.ClientID}, {"Flow", string(opts.Flow)}} {
		if o.value != "" {
			set = append(set, fmt.Sprintf("%s %q", o.name, o.value))
		}
	}
	if opts.ForceLogin {
		set = append(set, "ForceLogin")
	}
	return strings.Join(set, ", ")
}
