package carto

import (
	"time"

	"github.com/carto-go/carto-auth/internal/wire"
	"golang.org/x/oauth2"
)

// entry is one identity's tokens, in memory and in its cache file. Entries are immutable once
// built: a new token means a new entry.
type entry struct {
	Version      int      `json:"version"`
	Identity     identity `json:"identity"`
	AccessToken  string   `json:"access_token"`
	TokenType    string   `json:"token_type,omitempty"`
	RefreshToken string   `json:"refresh_token,omitempty"`
	Expiry       int64    `json:"expiry"`    // Unix seconds
	IssuedAt     int64    `json:"issued_at"` // Unix seconds
	APIBaseURL   string   `json:"api_base_url,omitempty"`
	TenantDomain string   `json:"tenant_domain,omitempty"`
	Flow         string   `json:"flow,omitempty"` // how the login was made: copy-code, loopback, m2m
	// Email and Name come from the ID token, for display only (the ID token is not kept).
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
}

const entryVersion = 1

const (
	kindOAuth = "oauth"
	kindM2M   = "m2m"
)

// identity is what one cache entry is keyed by.
type identity struct {
	Kind         string `json:"kind"` // "oauth" or "m2m"
	AuthServer   string `json:"auth_server"`
	ClientID     string `json:"client_id"`
	Organization string `json:"organization,omitempty"`
	APIBaseURL   string `json:"api_base_url,omitempty"` // the caller's, never a discovered one
	Profile      string `json:"profile,omitempty"`      // "" is the default profile
}

// defaultLifetime is assumed when a token answer carries no expires_in.
const defaultLifetime = time.Hour

// newEntry builds an entry from a token answer received at now. An answer with expires_in was
// issued when its request was sent (see countFromSend).
func newEntry(id identity, t *oauth2.Token, now time.Time) *entry {
	exp := t.Expiry
	if exp.IsZero() {
		exp = now.Add(defaultLifetime)
	}
	if t.ExpiresIn > 0 {
		now = exp.Add(-time.Duration(t.ExpiresIn) * time.Second)
	}
	email, name := wire.AccountOf(t)
	return &entry{
		Email:        email,
		Name:         name,
		Version:      entryVersion,
		Identity:     id,
		AccessToken:  t.AccessToken,
		TokenType:    t.TokenType,
		RefreshToken: t.RefreshToken,
		Expiry:       exp.Unix(),
		IssuedAt:     now.Unix(),
	}
}

// lifetime is how long the token was issued for (at least one second).
func (e *entry) lifetime() int64 { return max(e.Expiry-e.IssuedAt, 1) }

// margin is how long before its expiry a token stops being used: a tenth of its lifetime,
// at least one second (the clock's resolution here) and at most one minute.
func (e *entry) margin() int64 { return min(60, max(1, e.lifetime()/10)) }

// expiredAt is when the token stops being used: margin before its expiry.
func (e *entry) expiredAt() int64 { return e.Expiry - e.margin() }

// refreshAt is when a refresh is tried ahead of expiry: once less than a fifth of the
// lifetime (at most five minutes, and at least a second before expiredAt) is left. An
// interactive token with no refresh token cannot be renewed without the user, so it is used
// until expiredAt.
func (e *entry) refreshAt() int64 {
	if e.Identity.Kind == kindOAuth && e.RefreshToken == "" {
		return e.expiredAt()
	}
	return e.Expiry - min(300, max(e.margin()+1, e.lifetime()/5))
}

func (e *entry) usable(now int64) bool { return e != nil && now < e.expiredAt() }
func (e *entry) fresh(now int64) bool  { return e != nil && now < e.refreshAt() }

// oauth2Token converts an entry for oauth2 users.
func (e *entry) oauth2Token() *oauth2.Token {
	return &oauth2.Token{
		AccessToken: e.AccessToken,
		TokenType:   "Bearer",
		Expiry:      time.Unix(e.expiredAt(), 0),
	}
}

// stale returns a copy of e that is expired (for a token the API refused); its refresh token
// and issue time are kept.
func (e *entry) stale() *entry {
	s := *e
	s.Expiry = min(s.Expiry, time.Now().Unix()-1)
	return &s
}
