// Command cartoauth logs in to CARTO from a terminal, keeps the login in the same token cache
// as packages carto and gonbauth (so Go programs and GoNB notebooks reuse it), prints tokens for scripts,
// and serves a local CARTO stand-in (the sandbox) for demos and tests.
//
// Usage:
//
//	cartoauth <command> [flags]
//
// Commands:
//
//	login           log in (interactive, or M2M with --m2m FILE) and cache the login
//	token           print a valid access token (and nothing else) on stdout; never prompts
//	status          list the cached logins, without any secret (--json for scripts)
//	logout          forget every cached login, revoking refresh tokens best-effort
//	dw-credentials  print {"projectId": ..., "token": ...} for the CARTO Data Warehouse
//	sandbox         serve a local CARTO + Auth0 + BigQuery stand-in on 127.0.0.1
//	help            show help for cartoauth or one command
//
// Every command takes -h or --help. Flags may be written with one dash or two.
//
// Only token and dw-credentials print secrets, on stdout and by design (like
// "gcloud auth print-access-token"); everything meant for people goes to stderr.
// Errors are one line on stderr: "cartoauth: <what went wrong> — <what to do>".
//
// Exit codes:
//
//	0  success
//	1  failure (network, server, credentials, cache)
//	2  usage error (unknown command or flag, bad flag value, unexpected argument)
//	3  an interactive login is needed: run "cartoauth login" (token, dw-credentials, or login
//	   with no one to answer the prompt)
//
// Environment: CARTO_AUTH_SERVER (a CARTO stand-in such as the sandbox), CARTO_AUTH_CACHE_DIR
// (token cache, default ~/.carto-auth), CARTO_AUTH_FLOW (copy-code or loopback),
// CARTO_AUTH_LOOPBACK_HOST (loopback bind address, 0.0.0.0 in containers), and
// CARTO_CREDENTIALS_FILE or CARTO_CREDENTIALS (M2M credentials: when set, login, token and
// dw-credentials use M2M without --m2m).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, documented in the package doc and in "cartoauth help".
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInteraction = 3
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

// env is what a command talks to; tests of the binary see only the real streams.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

var commands []command

func init() {
	commands = []command{
		{"login", "log in (interactive, or M2M with --m2m FILE) and cache the login", runLogin, true},
		{"token", "print a valid access token on stdout; never prompts (exit 3 if a login is needed)", runToken, false},
		{"status", "list the cached logins, without any secret", runStatus, false},
		{"logout", "forget every cached login (or one profile's), revoking refresh tokens best-effort", runLogout, false},
		{"switch", "choose the profile used when none is given", runSwitch, false},
		{"dw-credentials", "print CARTO Data Warehouse {projectId, token} JSON on stdout", runDWCredentials, false},
		{"sandbox", "serve a local CARTO stand-in (login page, APIs, BigQuery) for demos and tests", runSandbox, true},
		{"help", "show help for cartoauth or one command", runHelp, false},
	}
}

func main() {
	os.Exit(run(context.Background(), &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}, os.Args[1:]))
}

// run dispatches args to a command and turns its error into one line on stderr and an exit
// code.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		return report(e.stderr, usageErrorf("no command given").with("run 'cartoauth help' for the list of commands"))
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		name = "help"
	}
	for _, c := range commands {
		if c.name == name {
			if c.interruptible {
				var stop context.CancelFunc
				ctx, stop = signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
				defer stop()
			}
			return report(e.stderr, c.run(ctx, e, args[1:]))
		}
	}
	return report(e.stderr, usageErrorf("unknown command %q", name).with("run 'cartoauth help' for the list of commands"))
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
`)
}
