package main

import (
	"context"
	"fmt"
)

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
