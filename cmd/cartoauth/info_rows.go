package main

import (
	"time"

	"github.com/carto-go/carto-auth/carto"
)

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
