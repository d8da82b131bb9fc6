package main

import (
	"context"
	"fmt"
	"io"
)

// command is one subcommand: its name, a one-line summary and its runner. A command that
// waits (for a person, or serving) is interruptible: Ctrl-C or SIGTERM cancels its context so
// that it ends cleanly. The others are left to the default signal handling, which costs
// nothing at start-up (catching signals costs `cartoauth token` about 0.4 ms).
type command struct {
	name          string
	summary       string
	run           func(ctx context.Context, env *env, args []string) error
	interruptible bool
}

// commands are cartoauth's commands, in the order help lists them.
var commands []command

func init() {
	commands = []command{
		{"login", "log in (interactive, or M2M with --m2m FILE) and cache the login; --json for agents", runLogin, true},
		{"token", "print a valid access token on stdout; never prompts (exit 3 if a login is needed)", runToken, false},
		{"status", "list the cached logins, without any secret", runStatus, false},
		{"logout", "forget every cached login (or one profile's), revoking refresh tokens best-effort", runLogout, false},
		{"switch", "choose the profile used when none is given", runSwitch, false},
		{"sql", "run a SQL statement through CARTO's SQL API and print the answer (table, --json or --csv)", runSQL, true},
		{"api-token", "mint, list, delete or prune scoped API access tokens (for maps and shared pages)", runAPIToken, false},
		{"dw-credentials", "print CARTO Data Warehouse {projectId, token} JSON on stdout", runDWCredentials, false},
		{"sandbox", "serve a local CARTO stand-in (login page, APIs, BigQuery) for demos and tests", runSandbox, true},
		{"help", "show help for cartoauth or one command", runHelp, false},
	}
}

// runHelp prints the overview, or one command's help.
func runHelp(_ context.Context, e *env, args []string) error {
	switch {
	case len(args) == 0:
		writeUsage(e.stdout)
		return nil
	case len(args) > 1:
		return usageErrorf("help takes at most one command").with("run 'cartoauth help'")
	}
	for _, c := range commands {
		if c.name == args[0] && c.name != "help" {
			return c.run(context.Background(), e, []string{"--help"})
		}
	}
	return usageErrorf("unknown command %q", args[0]).with("run 'cartoauth help' for the list of commands")
}

func writeUsage(w io.Writer) {
	fmt.Fprint(w, "cartoauth logs in to CARTO and keeps the login in the token cache that notebooks and Go programs share.\n\n")
	fmt.Fprint(w, "Usage:\n  cartoauth <command> [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-15s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'cartoauth <command> --help' for a command's flags.

Only 'token' and 'dw-credentials' print secrets (on stdout, by design). Errors are one
line on stderr: "cartoauth: <what went wrong> — <what to do>".

Exit codes:
  0  success
  1  failure (network, server, credentials, cache)
  2  usage error (unknown command or flag, bad value, unexpected argument)
  3  an interactive login is needed: run 'cartoauth login'

Environment:
  CARTO_AUTH_SERVER         base URL of a CARTO stand-in, e.g. the sandbox's
  CARTO_AUTH_CACHE_DIR      token cache folder (default ~/.carto-auth)
  CARTO_AUTH_FLOW           copy-code or loopback
  CARTO_AUTH_LOOPBACK_HOST  loopback bind address (0.0.0.0 in a container)
  CARTO_CREDENTIALS_FILE    M2M credentials file; when set (or CARTO_CREDENTIALS, the JSON
                            itself), login/token/dw-credentials use M2M without --m2m
  CARTO_API_TOKEN           a token used as it is (with CARTO_API_BASE_URL) by token, sql,
                            api-token and dw-credentials, after M2M credentials and before
                            the cache; without both, they also use the CARTO CLI's login
                            (~/.carto_credentials.json) when the cache has none
`)
}
