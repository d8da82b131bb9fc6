package cache

import "time"

// Kinds of login, in Identity.Kind.
const (
	KindOAuth = "oauth"
	KindM2M   = "m2m"
)

// Identity is what one cache entry is keyed by.
type Identity struct {
	Kind         string `json:"kind"` // KindOAuth or KindM2M
	AuthServer   string `json:"auth_server"`
	ClientID     string `json:"client_id"`
	Organization string `json:"organization,omitempty"`
	APIBaseURL   string `json:"api_base_url,omitempty"` // the caller's, never a discovered one
	Profile      string `json:"profile,omitempty"`      // "" is the default profile
}

// Entry is one identity's tokens, in memory and in its cache file. Entries are immutable once
// built: a new token means a new entry. Times have the file's resolution, whole seconds.
type Entry struct {
	Identity     Identity
	AccessToken  string
	TokenType    string
	RefreshToken string
	Expiry       time.Time
	IssuedAt     time.Time
	APIBaseURL   string
	TenantDomain string
	Flow         string // how the login was made: copy-code, loopback, m2m
	// Email and Name are the account's, for display only.
	Email string
	Name  string
	// RefusedAt is when an API refused the access token before its expiry (zero: never). The
	// token is then renewed, but still used until its expiry while the renewal fails.
	RefusedAt time.Time
	// ForcedAt is when a refusal last forced a renewal of this login (zero: never); for
	// RefusalBackoff after it, refusals are not taken as the token's fault.
	ForcedAt time.Time
}

// RefusalBackoff is how long after a renewal that a refusal forced another refusal is taken
// as the request's fault, not the token's: one path that always answers 401 then costs one
// renewal, not one for each call.
const RefusalBackoff = time.Minute

// Lifetime is how long the token was issued for (at least one second).
func (e *Entry) Lifetime() time.Duration { return max(e.Expiry.Sub(e.IssuedAt), time.Second) }

// Margin is how long before its expiry a token stops being used: a tenth of its lifetime, at
// least one second (the cache file's resolution) and at most one minute.
func (e *Entry) Margin() time.Duration { return min(time.Minute, max(time.Second, e.Lifetime()/10)) }

// ExpiredAt is when the token stops being used: Margin before its expiry.
func (e *Entry) ExpiredAt() time.Time { return e.Expiry.Add(-e.Margin()) }

// RefreshAt is when a refresh is tried ahead of expiry: once less than a fifth of the lifetime
// (at most five minutes, and at least a second before ExpiredAt) is left. An interactive
// token with no refresh token cannot be renewed without the person, so it is used until
// ExpiredAt.
func (e *Entry) RefreshAt() time.Time {
	if e.Identity.Kind == KindOAuth && e.RefreshToken == "" {
		return e.ExpiredAt()
	}
	return e.Expiry.Add(-min(5*time.Minute, max(e.Margin()+time.Second, e.Lifetime()/5)))
}

// Usable reports whether the token may still be used at now; Fresh, whether it needs no
// renewal yet. Both are false for a nil entry.
func (e *Entry) Usable(now time.Time) bool { return e != nil && now.Before(e.ExpiredAt()) }

// Fresh reports whether the token needs no renewal at now: it is not near its expiry and no API
// refused it.
func (e *Entry) Fresh(now time.Time) bool {
	return e != nil && e.RefusedAt.IsZero() && now.Before(e.RefreshAt())
}

// Refused returns a copy of e marked as refused by an API at now (see RefusedAt).
func (e *Entry) Refused(now time.Time) *Entry {
	s := *e
	if s.RefusedAt.IsZero() {
		s.RefusedAt = now.Truncate(time.Second)
	}
	return &s
}

// succeeding returns next, the entry that replaces e, carrying when a refusal last forced a
// renewal: now if e was refused, else whenever e's was.
func (e *Entry) succeeding(next *Entry, now time.Time) *Entry {
	forced := time.Time{}
	switch {
	case e == nil:
	case !e.RefusedAt.IsZero():
		forced = now.Truncate(time.Second)
	default:
		forced = e.ForcedAt
	}
	if next.ForcedAt.Equal(forced) {
		return next
	}
	s := *next
	s.ForcedAt = forced
	return &s
}

// WithoutRefreshToken returns a copy of e without its refresh token (one the server refused):
// its access token is used to its end, and no process presents the refresh token again.
func (e *Entry) WithoutRefreshToken() *Entry {
	s := *e
	s.RefreshToken = ""
	return &s
}
