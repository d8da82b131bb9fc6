package main

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

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
