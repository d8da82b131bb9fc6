package carto

import (
	"context"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
)

// KindAPIToken is Info.Kind of an API access token (from CARTO_API_TOKEN): permanent or with
// its own expiry, limited to its grants, and unable to use the Tokens API or the CARTO Data
// Warehouse token endpoint.
const KindAPIToken = "api-token"

// noExpiryLifetime stands for the life of a token that says no expiry (an opaque API access
// token): used until an API refuses it. Info shows no expiry for it.
const noExpiryLifetime = 100 * 365 * 24 * time.Hour

// staticLogin is the renewer of a token this package was given rather than issued
// (CARTO_API_TOKEN, the CARTO CLI's login): nothing here renews it. Its fields are set once.
type staticLogin struct {
	// apiToken: an API access token, not an OAuth one (see Auth.isAPIToken).
	apiToken bool
	// noExpiry: the token says no expiry; Info shows none.
	noExpiry bool
	// file is the file the token was read from ("" for the environment), for Info.
	file string
	// reload reads the token's source again (the CARTO CLI's file, after `carto auth login`);
	// nil when the source cannot change while this process runs.
	reload func() (*entry, error)
	// spent is the error of a renewal that found no new token: the token expired or was
	// refused.
	spent error
	// loggedOut is what Logout says, since the source stays as it is ("" for nothing).
	loggedOut string
	warn      func(msg string, args ...any)
}

// newStaticAuth returns the Auth of e, a token given as it is, kept in this process's memory
// only: it is not this package's to cache.
func newStaticAuth(ctx context.Context, set *settings, e *entry, s *staticLogin, source string) (*Auth, error) {
	mem := *set
	mem.cacheDir = ""
	s.warn = set.warn
	a := newAuth(&mem, e.Identity, s)
	if _, _, err := a.cache.Update(ctx, cache.Wait{}, cache.Replace(e)); err != nil {
		return nil, err
	}
	a.source = source
	return a, nil
}

// isAPIToken reports whether a holds an API access token (from CARTO_API_TOKEN), which CARTO
// refuses for what needs an OAuth access token: the Tokens API and the CARTO Data Warehouse
// token endpoint. Callers fail those at once with an error carrying HintOAuthToken.
func (a *Auth) isAPIToken() bool {
	s, ok := a.login.(*staticLogin)
	return ok && s.apiToken
}

func (s *staticLogin) obtain(_ context.Context, last *entry, _ renewRequest, _ cache.Lock) (*entry, bool, error) {
	if s.reload != nil {
		if e, err := s.reload(); err == nil && (last == nil || e.AccessToken != last.AccessToken) {
			return e, false, nil
		}
	}
	return nil, false, s.spent
}

// wait never waits for a person: nobody is asked.
func (s *staticLogin) wait(context.Context) cache.Wait { return cache.Wait{} }

func (s *staticLogin) adopted(context.Context, *entry) {}

// revoke has nothing to revoke: the token is not this package's.
func (s *staticLogin) revoke(context.Context, string) error { return nil }

// staticEntry is the entry of tok, given as it is at now: until exp, or with no expiry.
func staticEntry(id identity, tok string, exp, now time.Time) *entry {
	if exp.IsZero() {
		exp = now.Add(noExpiryLifetime)
	}
	return &entry{Identity: id, AccessToken: tok, TokenType: "Bearer", Expiry: exp.Truncate(time.Second),
		IssuedAt: now.Truncate(time.Second)}
}

// describe completes the Info of a login s renews: its kind, expiry and file.
func (s *staticLogin) describe(in *Info) {
	if s.apiToken {
		in.Kind = KindAPIToken
	}
	if s.noExpiry {
		in.Expiry = time.Time{}
	}
	in.SourceFile = s.file
}

// noteLogout says what a Logout leaves as it is.
func (s *staticLogin) noteLogout() {
	if s.loggedOut != "" {
		s.warn(s.loggedOut)
	}
}
