package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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

Prints a one-line summary on stderr (where, which flow, until when); never a token.`

// runLogin is "cartoauth login".
func runLogin(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("login", "cartoauth login [--profile NAME] [--m2m FILE] [--org ORG] [--api-base-url URL] [--flow copy-code|loopback] [--no-browser] [--timeout D] [--force]", loginAbout)
	var af authFlags
	af.register(fs, true)
	var flow flowValue
	fs.Var(&flow, "flow", "interactive login `flow`: copy-code or loopback (default: picked from where this runs, or $CARTO_AUTH_FLOW)")
	noBrowser := fs.Bool("no-browser", false, "loopback flow: do not open a browser, only show the link")
	timeout := positiveDuration{carto.DefaultLoginTimeout}
	fs.Var(&timeout, "timeout", "give up an interactive login after this `duration`")
	force := fs.Bool("force", false, "log in again even if a cached login is still usable")
	if err := fs.parse(e, args); err != nil {
		return err
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
		return loginM2M(ctx, e, af, *force)
	}
	opts := oauthOptions(af)
	opts.DisableInteraction = true
	a, err := carto.FromOAuth(ctx, opts)
	switch {
	case err == nil && !*force:
		fmt.Fprintln(e.stderr, "Already logged in: "+summary(a.Info())+" (use --force to log in again)")
		return nil
	case err == nil:
		if err := a.Logout(ctx); err != nil {
			return failure(fmt.Errorf("forgetting the cached login: %w", err), "run 'cartoauth logout', then log in again")
		}
		opts.ForceLogin = true // the login page offers another account
	case !errors.Is(err, carto.ErrInteractionRequired):
		return err
	}
	opts.DisableInteraction = false
	opts.Flow, opts.NoBrowser, opts.Timeout = flow.f, *noBrowser, timeout.d
	opts.Prompter = carto.NewTerminal(e.stdin, e.stderr)
	if a, err = carto.FromOAuth(ctx, opts); err != nil {
		if errors.Is(err, carto.ErrInteractionRequired) {
			// The engine's advice is written for Go callers; keep its reason, give the CLI's.
			return &cliError{code: exitInteraction, err: withoutAdvice(err),
				hint: "run 'cartoauth login' again in a terminal and complete the login, or use --m2m FILE for unattended runs"}
		}
		return err
	}
	return loggedIn(e, a)
}

// loggedIn reports a login that was just made: kept in the cache, or, when it could not be
// kept there, a failure saying why (a login in this command's memory ends with it).
func loggedIn(e *env, a *carto.Auth) error {
	in := a.Info()
	if in.MemoryOnly != "" {
		return failure(fmt.Errorf("logged in (%s), but the login could not be kept, so it ended with this command: %s", summary(in), in.MemoryOnly),
			"set CARTO_AUTH_CACHE_DIR to a folder on a local disk and log in again")
	}
	fmt.Fprintln(e.stderr, "Logged in: "+summary(in))
	return nil
}

func loginM2M(ctx context.Context, e *env, af authFlags, force bool) error {
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
	return loggedIn(e, a)
}

// oauthOptions are the interactive login's options for af. The prompter is always the
// terminal: cartoauth is a terminal program, even when a notebook cell runs it.
func oauthOptions(af authFlags) *carto.OAuthOptions {
	return &carto.OAuthOptions{APIBaseURL: af.apiBase, Organization: af.org, Profile: af.profile}
}

func openM2M(ctx context.Context, af authFlags) (*carto.Auth, error) {
	return carto.FromM2M(ctx, af.m2m, &carto.M2MOptions{APIBaseURL: af.apiBase})
}

// openCached returns the identity af selects without ever prompting: M2M, or the cached
// interactive login (refreshed as needed), else an error wrapping ErrInteractionRequired.
func openCached(ctx context.Context, af authFlags) (*carto.Auth, error) {
	if af.useM2M() {
		return openM2M(ctx, af)
	}
	opts := oauthOptions(af)
	opts.DisableInteraction = true
	a, err := carto.FromOAuth(ctx, opts)
	if errors.Is(err, carto.ErrLoginInProgress) {
		return nil, &cliError{code: exitInteraction, err: withoutAdvice(err),
			hint: "finish (or stop) that login, then run this again; use M2M credentials (--m2m FILE) for unattended runs"}
	}
	if errors.Is(err, carto.ErrInteractionRequired) {
		return nil, &cliError{code: exitInteraction, err: fmt.Errorf("%w: no usable cached login for this server, organization and API base URL", carto.ErrInteractionRequired),
			hint: "run 'cartoauth login' first (with the same --profile/--org/--api-base-url), or use M2M credentials (--m2m FILE) for unattended runs"}
	}
	return a, err
}

// runToken is "cartoauth token".
func runToken(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("token", "cartoauth token [--profile NAME] [--m2m FILE] [--org ORG] [--api-base-url URL]", `
Prints a valid CARTO access token, and only that, followed by a newline on stdout, refreshing
it first when needed. It never prompts: when only a new interactive login would help, it exits
with code 3 and says to run 'cartoauth login'. Use it in scripts:

  curl -H "Authorization: Bearer $(cartoauth token)" "$BASE/v3/..."

The flags must match those of the login (same --profile, --org and --api-base-url).`)
	var af authFlags
	af.register(fs, true)
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := af.check("token"); err != nil {
		return err
	}
	a, err := openCached(ctx, af)
	if err != nil {
		return err
	}
	tok, err := a.AccessToken(ctx)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, tok)
	return err
}

// runDWCredentials is "cartoauth dw-credentials".
func runDWCredentials(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("dw-credentials", "cartoauth dw-credentials [--profile NAME] [--m2m FILE] [--org ORG] [--api-base-url URL]", `
Prints the CARTO Data Warehouse credentials as JSON on stdout:

  {"projectId": "carto-dw-ac-...", "token": "<Google access token>"}

The token is a secret, printed by design (like 'gcloud auth print-access-token'); it is
short-lived (about an hour). Like 'token', it never prompts (exit 3 when a login is needed).`)
	var af authFlags
	af.register(fs, true)
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := af.check("dw-credentials"); err != nil {
		return err
	}
	a, err := openCached(ctx, af)
	if err != nil {
		return err
	}
	project, tok, err := a.CartoDWCredentials(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(e.stdout).Encode(struct {
		ProjectID string `json:"projectId"`
		Token     string `json:"token"`
	}{project, tok})
}

// withoutAdvice keeps an error's text up to its first "; " (where the engine's advice for Go
// callers starts), keeping it matchable with errors.Is.
func withoutAdvice(err error) error {
	msg := err.Error()
	i := strings.Index(msg, "; ")
	if i < 0 {
		return err
	}
	return &trimmedError{msg: msg[:i], err: err}
}

// trimmedError shows a shorter text for err.
type trimmedError struct {
	msg string
	err error
}

func (e *trimmedError) Error() string { return e.msg }
func (e *trimmedError) Unwrap() error { return e.err }
