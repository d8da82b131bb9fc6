package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/carto-go/carto-auth/carto"
)

// runLogout is "cartoauth logout".
func runLogout(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("logout", "cartoauth logout [--profile NAME]", `
Forgets every login in the token cache ($CARTO_AUTH_CACHE_DIR, default ~/.carto-auth), or only
those of one profile, revokes each refresh token with CARTO, and says how many it removed. When
a revocation fails the login is still forgotten here, and the command says so and exits 1.`)
	profile := fs.String("profile", "", "forget only the logins of the profile `NAME`")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	var only []string
	if *profile != "" {
		only = []string{*profile}
	}
	n, err := carto.ForgetCachedLogins(ctx, nil, only...)
	switch {
	case errors.Is(err, carto.ErrRevocationFailed):
		fmt.Fprintf(e.stderr, "Removed %d cached login(s) from %s.\n", n, cacheDirForDisplay())
		return failure(fmt.Errorf("logout: %w", err), "the login is forgotten on this machine, but its refresh token stays valid at the auth server until it expires or is revoked there")
	case err != nil:
		return failure(fmt.Errorf("logout: removed %d login(s), then: %w", n, err), "check the cache folder's permissions and run 'cartoauth logout' again")
	}
	fmt.Fprintf(e.stderr, "Logged out: removed %d cached login(s) from %s.\n", n, cacheDirForDisplay())
	if cli := readCartoCLIStatus(); cli != nil {
		fmt.Fprintf(e.stderr, "The CARTO CLI's login in %s is left as it is; 'carto auth logout' ends it.\n", cli.File)
	}
	return nil
}
