package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
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
default. It never prints a token and never contacts CARTO.`)
	asJSON := fs.Bool("json", false, "print JSON: {\"cache_dir\": ..., \"default_profile\": ..., \"logins\": [...]}")
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
	if *asJSON {
		if logins == nil {
			logins = []carto.Info{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			CacheDir       string       `json:"cache_dir"`
			DefaultProfile string       `json:"default_profile"`
			Logins         []carto.Info `json:"logins"`
		}{dir, def, logins})
	}
	if len(logins) == 0 {
		fmt.Fprintf(e.stdout, "No cached logins in %s. Run 'cartoauth login'.\n", dir)
		return nil
	}
	fmt.Fprintf(e.stdout, "%d cached login(s) in %s; default profile: %s\n", len(logins), dir, profileName(def))
	now := time.Now()
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

// infoRows are the label/value lines of one login; empty values are left out.
func infoRows(in carto.Info, now time.Time) [][2]string {
	kind := in.Kind
	if in.Flow != "" && in.Flow != in.Kind {
		kind += " (" + in.Flow + ")"
	}
	refresh := "no"
	if in.HasRefreshToken {
		refresh = "yes"
	}
	return [][2]string{
		{"profile", profileName(in.Profile)},
		{"logged in as", in.Account()},
		{"kind", kind},
		{"tenant", in.TenantDomain},
		{"organization", in.Organization},
		{"api base url", in.APIBaseURL},
		{"auth server", in.AuthServer},
		{"client id", in.ClientID},
		{"token expiry", expiryText(in.Expiry, now)},
		{"refresh token", refresh},
		{"cache file", in.CacheFile},
	}
}

// expiryText says when a token expires, with how long is left.
func expiryText(t, now time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	at := t.Local().Format("2006-01-02 15:04 MST")
	if d := t.Sub(now).Round(time.Minute); d > 0 {
		return fmt.Sprintf("%s (in %s)", at, shortDuration(d))
	}
	return fmt.Sprintf("%s (expired %s ago)", at, shortDuration(now.Sub(t).Round(time.Minute)))
}

func shortDuration(d time.Duration) string {
	s := d.String() // rounded to minutes: "23h59m0s", "2h0m0s", "10m0s"
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// summary is the one-line description of a login printed by login: where, how, until when.
func summary(in carto.Info) string {
	where := in.TenantDomain
	if where == "" {
		where = in.APIBaseURL
	} else if in.APIBaseURL != "" {
		where += " (" + in.APIBaseURL + ")"
	}
	if where == "" {
		where = "CARTO (API base URL unknown)"
	}
	how := in.Kind
	if in.Flow != "" && in.Flow != in.Kind {
		how += ", " + in.Flow
	}
	if who := in.Account(); who != "" {
		where = who + " at " + where
	}
	if in.Profile != "" {
		how += ", profile " + in.Profile
	}
	s := fmt.Sprintf("%s [%s]; access token valid until %s", where, how, expiryText(in.Expiry, time.Now()))
	if in.HasRefreshToken {
		s += "; refresh token held"
	}
	return s
}

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
	return nil
}

// cacheDirForDisplay is the cache folder the library uses, for messages.
func cacheDirForDisplay() string {
	if d, err := carto.CacheDir(""); err == nil {
		return d
	}
	return "~/.carto-auth"
}

// profileName shows a profile, "" being the default one.
func profileName(p string) string {
	return cmp.Or(p, carto.DefaultProfileName)
}

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
