package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/carto-go/carto-auth/carto"
)

const loginAbout = `
Logs in to CARTO and keeps the login in the token cache that gonbauth, GoNB notebooks and
'cartoauth token' share. A cached login that is still valid (or can be refreshed) is reused
without a prompt unless --force is given.

Interactive logins show a link on stderr. With the copy-code flow (the default without a
graphical display, over SSH, in containers) open it anywhere, log in, and paste the code the
CARTO page shows. With the loopback flow the browser hands the login back to
http://localhost:10000/callback/ by itself.

With --m2m FILE (or CARTO_CREDENTIALS_FILE / CARTO_CREDENTIALS set) it logs in with
machine-to-machine credentials instead; nothing is asked.

Prints a one-line summary on stderr (where, which flow, until when); never a token.

For agents and scripts, --json prints one JSON object per line on stdout instead (the login
link, the page that shows the code, progress, then logged_in with the login or error with its
hints and exit code) and reads the code as one line on stdin; it never opens a browser.
--start shows a copy-code login and exits; --finish CODE completes it later (within 10
minutes), from another process.`

// runLogin is "cartoauth login".
func runLogin(ctx context.Context, e *env, args []string) (err error) {
	fs := newFlagSet("login", "cartoauth login [--profile NAME] [--m2m FILE] [--org ORG] [--api-base-url URL] [--flow copy-code|loopback] [--no-browser] [--timeout D] [--force] [--json] [--start | --finish CODE]", loginAbout)
	var af authFlags
	af.register(fs, true)
	var flow flowValue
	fs.Var(&flow, "flow", "interactive login `flow`: copy-code or loopback (default: picked from where this runs, or $CARTO_AUTH_FLOW)")
	noBrowser := fs.Bool("no-browser", false, "loopback flow: do not open a browser, only show the link")
	timeout := positiveDuration{carto.DefaultLoginTimeout}
	fs.Var(&timeout, "timeout", "give up an interactive login after this `duration`")
	force := fs.Bool("force", false, "log in again even if a cached login is still usable")
	asJSON := fs.Bool("json", false, "for agents and scripts: one JSON object per line on stdout (the login link, the code page, progress, then logged_in or error), the code read as one line from stdin; never a token (docs/cli.md)")
	start := fs.Bool("start", false, "start a copy-code login, show it and exit; finish it with --finish CODE within 10 minutes")
	finish := fs.String("finish", "", "finish the login --start began with the `CODE` (or the whole redirect URL) the login page showed")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	out := &loginOutput{e: e}
	if *asJSON {
		out.events = newEventWriter(e.stdout)
		defer func() { out.failed(err) }()
	}
	if *start || *finish != "" {
		if *start && *finish != "" || *force || af.useM2M() || flow.f != "" {
			return usageErrorf("login: --start and --finish go one at a time, without --force, --flow or M2M").with("run 'cartoauth login --start', then 'cartoauth login --finish CODE'")
		}
		return loginTwoStep(ctx, out, af, *start, *finish)
	}
	if err := af.check("login"); err != nil {
		return err
	}
	if err := carto.CheckCacheDir(""); err != nil {
		return failure(err, "a login kept in memory only would be lost when this command ends")
	}
	if af.useM2M() {
		if flow.f != "" || *noBrowser {
			return usageErrorf("login: --flow and --no-browser apply to interactive logins, not M2M").with("drop them, or unset --m2m / CARTO_CREDENTIALS_FILE / CARTO_CREDENTIALS")
		}
		return loginM2M(ctx, out, af, *force)
	}
	opts := oauthOptions(af)
	opts.DisableInteraction = true
	a, err := carto.FromOAuth(ctx, opts)
	switch {
	case err == nil && !*force:
		return out.already(a)
	case err == nil:
		if err := a.Logout(ctx); err != nil {
			return failure(fmt.Errorf("forgetting the cached login: %w", err), "run 'cartoauth logout', then log in again")
		}
		opts.ForceLogin = true // the login page offers another account
	case !errors.Is(err, carto.ErrInteractionRequired):
		return err
	}
	opts.DisableInteraction = false
	opts.Flow, opts.NoBrowser, opts.Timeout = flow.f, *noBrowser || *asJSON, timeout.d
	opts.Prompter = out.prompter()
	if a, err = carto.FromOAuth(ctx, opts); err != nil {
		if errors.Is(err, carto.ErrInteractionRequired) {
			return &cliError{code: exitInteraction, err: err,
				hint: "run 'cartoauth login' again in a terminal and complete the login, or use --m2m FILE for unattended runs"}
		}
		return err
	}
	return out.loggedIn(a)
}

func loginM2M(ctx context.Context, out *loginOutput, af authFlags, force bool) error {
	a, err := openM2M(ctx, af)
	if err != nil {
		return err
	}
	if force {
		if err := a.Logout(ctx); err != nil {
			return failure(fmt.Errorf("forgetting the cached login: %w", err), "run 'cartoauth logout', then log in again")
		}
		if a, err = openM2M(ctx, af); err != nil {
			return err
		}
	}
	return out.loggedIn(a)
}
