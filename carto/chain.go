package carto

import (
	"context"

	"errors"
	"fmt"
	"github.com/carto-go/carto-auth/internal/hint"
	"strings"
)

// Login logs in the way that fits where it runs, so one notebook works on a laptop and in CI:
//
//  1. machine-to-machine credentials from the environment (CARTO_CREDENTIALS_FILE or
//     CARTO_CREDENTIALS), with opts' APIBaseURL and Common options; options that choose an
//     interactive login's account (Profile, Organization, ClientID, Flow, ForceLogin) are
//     then refused rather than ignored, since the M2M client would log in instead;
//     else a token from the environment, used as it is (CARTO_API_TOKEN, with
//     CARTO_API_BASE_URL or opts.APIBaseURL), with the same refusals;
//  2. the cached login of the profile, renewed without a prompt when needed;
//     else the login of CARTO's own CLI (`carto auth login`), read from
//     $HOME/.carto_credentials.json and never changed: the CLI's current profile for the
//     default profile, the CLI profile of the same name for a named one; passed over (Info's
//     PassedOver says why) when its token expired, the file is not a regular file of the user
//     that others cannot write, or opts' APIBaseURL, Organization or ClientID differ;
//  3. an interactive login (as FromOAuth) where someone can answer: opts.Prompter (the notebook
//     card, from package gonbauth), or a terminal on standard input;
//  4. otherwise an error wrapping ErrInteractionRequired that names both ways out.
//
// Info().Source says which was used. Pass nil for the defaults.
func Login(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	a, err := login(ctx, opts)
	if opts != nil && opts.HintWords != nil {
		return a, WordHints(err, opts.HintWords)
	}
	return a, Advise(err)
}

func login(ctx context.Context, opts *OAuthOptions) (*Auth, error) {
	if opts == nil {
		opts = &OAuthOptions{}
	}
	f := readFacts()
	if f.getenv(EnvCredentialsFile) != "" || f.getenv(EnvCredentials) != "" {
		if ignored := m2mIgnores(opts); ignored != "" {
			return nil, fmt.Errorf("M2M credentials are set in the environment (%s or %s), so Login would log in as that M2M client and ignore %s; unset them for an interactive login, or drop these options",
				EnvCredentialsFile, EnvCredentials, ignored)
		}
		a, err := fromM2M(ctx, "", &M2MOptions{APIBaseURL: opts.APIBaseURL, Common: opts.Common}, f)
		if err != nil {
			return nil, fmt.Errorf("M2M credentials from the environment: %w", err)
		}
		a.source = SourceEnvironment
		return a, nil
	}
	if f.getenv(EnvAPIToken) != "" {
		if ignored := m2mIgnores(opts); ignored != "" {
			return nil, fmt.Errorf("%s is set, so Login would use that token and ignore %s; unset it for an interactive login, or drop these options", EnvAPIToken, ignored)
		}
		return fromEnvToken(ctx, opts, f)
	}
	l, err := newOAuthLogin(opts, f, true)
	if err != nil {
		return nil, err
	}
	if !opts.ForceLogin {
		a, err := l.open(ctx, true)
		if err == nil || !errors.Is(err, ErrInteractionRequired) || errors.Is(err, ErrLoginInProgress) {
			return a, err // ErrLoginInProgress names the other process, which says more
		}
		cli, passed := cartoCLIStep(ctx, l.cfg, f)
		if cli != nil {
			return cli, nil
		}
		l.auth.passedOver = passed
	}
	if ans := l.cfg.answer; !ans.can() {
		return nil, hint.With(fmt.Errorf("%w: no cached login%s, and nobody can answer a login here (%s)", ErrInteractionRequired, passedOverText(l.auth.passedOver), ans.nobody),
			HintLogIn, HintM2M)
	}
	return l.open(ctx, false)
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

// passedOverText is the sources Login passed over, for an error ("" for none).
func passedOverText(passed []string) string {
	if len(passed) == 0 {
		return ""
	}
	return " (passed over: " + strings.Join(passed, "; ") + ")"
}
