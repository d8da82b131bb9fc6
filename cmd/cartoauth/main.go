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
//	login           log in (interactive, or M2M with --m2m FILE) and cache the login;
//	                --json for agents (JSON events on stdout, the code on stdin)
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
	"os"
	"os/signal"
	"syscall"
)

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
