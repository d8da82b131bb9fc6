package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// runStatus is "cartoauth status".
func runStatus(_ context.Context, e *env, args []string) error {
	fs := newFlagSet("status", "cartoauth status [--profile NAME] [--json]", `
Lists the logins kept in the token cache ($CARTO_AUTH_CACHE_DIR, default ~/.carto-auth): the
profile and who is logged in (email; the client id for M2M), kind, flow, tenant, API base URL,
cache file, access token expiry and whether a refresh token is held, and which profile is the
default; then the logins of CARTO's own CLI ($HOME/.carto_credentials.json), which Login
(notebooks, Go programs) reads after the cache and never changes, and whether it would use
each. It never prints a token and never contacts CARTO.`)
	asJSON := fs.Bool("json", false, "print JSON: {\"cache_dir\": ..., \"default_profile\": ..., \"logins\": [...], \"carto_cli\": {...}}")
	profile := fs.String("profile", "", "list only the logins of the profile `NAME`")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	dir := cacheDirForDisplay()
	logins, err := carto.CachedLogins("")
	if err != nil {
		return failure(fmt.Errorf("reading the token cache %s: %w", dir, err), "check the folder's permissions or set CARTO_AUTH_CACHE_DIR")
	}
	if *profile != "" {
		logins = slices.DeleteFunc(logins, func(in carto.Info) bool { return in.Profile != *profile })
	}
	def, _ := carto.DefaultProfile("")
	cli := readCartoCLIStatus()
	if *asJSON {
		if logins == nil {
			logins = []carto.Info{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			CacheDir       string          `json:"cache_dir"`
			DefaultProfile string          `json:"default_profile"`
			Logins         []carto.Info    `json:"logins"`
			CartoCLI       *cartoCLIStatus `json:"carto_cli,omitempty"`
		}{dir, def, logins, cli})
	}
	now := time.Now()
	defer writeCartoCLIStatus(e.stdout, cli, now)
	if len(logins) == 0 {
		fmt.Fprintf(e.stdout, "No cached logins in %s. Run 'cartoauth login'.\n", dir)
		return nil
	}
	fmt.Fprintf(e.stdout, "%d cached login(s) in %s; default profile: %s\n", len(logins), dir, profileName(def))
	for _, in := range logins {
		fmt.Fprintln(e.stdout)
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		for _, row := range infoRows(in, now) {
			if row[1] != "" {
				fmt.Fprintf(tw, "  %s\t%s\n", row[0], row[1])
			}
		}
		tw.Flush()
	}
	return nil
}
