package carto

import (
	"time"

	"golang.org/x/oauth2"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/wire"
)

// entry and identity are the cache's, by their short names.
type (
	entry    = cache.Entry
	identity = cache.Identity
)

const (
	kindOAuth = cache.KindOAuth
	kindM2M   = cache.KindM2M
)

// defaultLifetime is assumed when a token answer carries no expires_in.
const defaultLifetime = time.Hour

// newEntry builds an entry from a token answer received at now. An answer with expires_in was
// issued when its request was sent (see wire.CountFromSend). Times are whole seconds, as the
// cache file keeps them, rounded towards a shorter life.
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
		Identity:     id,
		AccessToken:  t.AccessToken,
		TokenType:    t.TokenType,
		RefreshToken: t.RefreshToken,
		Expiry:       exp.Truncate(time.Second),
		IssuedAt:     now.Add(time.Second - 1).Truncate(time.Second),
	}
}

// oauth2Token converts an entry for oauth2 users: it expires when the engine stops using it.
func oauth2Token(e *entry) *oauth2.Token {
	return &oauth2.Token{AccessToken: e.AccessToken, TokenType: "Bearer", Expiry: e.ExpiredAt()}
}
