package main

import (
	"cmp"
	"context"
	"fmt"

	"github.com/carto-go/carto-auth/carto"
)

// runSwitch is "cartoauth switch".
func runSwitch(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("switch", "cartoauth switch NAME", `
Chooses the profile used when neither --profile nor $CARTO_PROFILE names one, in the CLI, in
notebooks and in Go programs (like 'gh auth switch'). The choice is kept in the token cache
folder. 'cartoauth switch default' goes back to the default profile.`)
	if err := fs.parseArgs(e, args, 1); err != nil {
		return err
	}
	name := fs.Arg(0)
	if name == "" {
		return usageErrorf("switch: give a profile NAME ('default' for the default profile)").with("run 'cartoauth status' to see the profiles")
	}
	if name == carto.DefaultProfileName {
		name = ""
	}
	if err := carto.SetDefaultProfile("", name); err != nil {
		return failure(fmt.Errorf("switch: %w", err), "")
	}
	logins, _ := carto.CachedLogins("")
	who := "no cached login yet; run 'cartoauth login --profile " + profileName(name) + "'"
	for _, in := range logins {
		if in.Profile == name {
			who = "logged in as " + cmp.Or(in.Account(), "an unknown account")
			break
		}
	}
	fmt.Fprintf(e.stderr, "Default profile: %s (%s).\n", profileName(name), who)
	return nil
}
