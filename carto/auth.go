package carto

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/carto-go/carto-auth/internal/apitokens"
	"github.com/carto-go/carto-auth/internal/cache"
)

// Auth is a logged-in CARTO identity. It hands out valid access tokens, renewing them (refresh
// token, client credentials or, when unavoidable, a new login) and keeping the cache current.
// It is safe for concurrent use.
type Auth struct {
	set   *settings
	id    identity
	cache *cache.Cache
	login renewer
	// source says how the login was made, for Info: SourceCache, SourceInteractive, SourceM2M
	// or SourceEnvironment.
	source string
	// passedOver lists the sources Login passed over and why, for Info.
	passedOver []string
	// quietUntil (Unix nanoseconds) holds off renewals ahead of expiry after one failed, so
	// that an outage does not slow down every call while the current token is still valid.
	quietUntil atomic.Int64
}

// renewer is how an Auth gets new tokens: its interactive (OAuth) or machine-to-machine side.
type renewer interface {
	// obtain gets a new entry, given the newest one known (nil when none), while lock is held,
	// and reports whether a person logged in for it.
	obtain(ctx context.Context, last *entry, req renewRequest, lock cache.Lock) (e *entry, interactive bool, err error)
	// wait is how a renewal of an expired login waits for another process holding the lock.
	wait(ctx context.Context) cache.Wait
	// adopted is told that a renewal took the token another caller just stored, after the
	// wait's Notice told the person of that caller.
	adopted(ctx context.Context, e *entry)
	// revoke revokes a refresh token at the auth server.
	revoke(ctx context.Context, refreshToken string) error
}

// renewRequest says what a renewal may do.
type renewRequest struct {
	// ahead: the current token is still usable (a renewal ahead of expiry): never prompt.
	ahead bool
	// cacheOnly: never prompt (Login's first try, before it knows whether it must ask).
	cacheOnly bool
}

func newAuth(set *settings, id identity, r renewer) *Auth {
	a := &Auth{set: set, id: id, login: r}
	a.cache = newCache(set, id, a.revokeLoggedOut)
	return a
}

// newCache is the cache of id; loggedOut, if not nil, revokes a login that only this process
// held when a logout elsewhere is found.
func newCache(set *settings, id identity, loggedOut func(*entry)) *cache.Cache {
	return cache.New(id, cache.Options{Dir: set.cacheDir, Now: set.now, Log: set.log, Warn: set.warn, LoggedOutElsewhere: loggedOut})
}

// revokeLoggedOutLimit bounds the revocation of a login found logged out elsewhere, which runs
// under the cache's lock.
const revokeLoggedOutLimit = 10 * time.Second

// revokeLoggedOut revokes the refresh token of a login this process alone held (its save had
// failed) after another process logged this identity out: the logout stands.
func (a *Auth) revokeLoggedOut(e *entry) {
	a.set.warn("this login was logged out by another process; revoking the token only this process held")
	if e.RefreshToken == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), revokeLoggedOutLimit)
	defer cancel()
	if err := a.login.revoke(ctx, e.RefreshToken); err != nil {
		a.set.warn("could not revoke the token of a login logged out elsewhere", "error", err)
	}
}

// AccessToken returns a valid access token, renewing it first when little of its lifetime is
// left. A failed renewal ahead of expiry returns the current, still valid token (the failure
// goes to the Logger).
func (a *Auth) AccessToken(ctx context.Context) (string, error) {
	e, err := a.token(ctx)
	if err != nil {
		return "", err
	}
	return e.AccessToken, nil
}

// token returns a usable entry, renewing it when needed.
func (a *Auth) token(ctx context.Context) (*entry, error) {
	e, _, err := a.tokenFor(ctx, false)
	return e, err
}

// tokenFor returns a usable entry, renewing it when needed (never by asking a person when
// cacheOnly), and reports whether a person logged in for it.
func (a *Auth) tokenFor(ctx context.Context, cacheOnly bool) (*entry, bool, error) {
	now := a.set.now()
	if e := a.cache.Current(); e.Fresh(now) || (e.Usable(now) && now.UnixNano() < a.quietUntil.Load()) {
		return e, false, nil
	}
	if e := a.cache.Peek(); e.Fresh(now) { // a new process's first call: no lock needed to read
		return e, false, nil
	}
	// Not fresh: renew (a usable token is kept if that cannot happen at once).
	return a.renew(ctx, cacheOnly)
}

// aheadRetryDelay is how long renewals ahead of expiry are held off after one failed.
const aheadRetryDelay = 30 * time.Second

// renew brings the token up to date through the cache: a token another process stored
// meanwhile is adopted; otherwise a new one is obtained. A renewal ahead of expiry that fails
// (or would have to wait for another process) keeps the current token; so does the renewal of
// a token an API refused, which waits for another process's renewal rather than skip it.
func (a *Auth) renew(ctx context.Context, cacheOnly bool) (*entry, bool, error) {
	cur := a.cache.Current()
	w := cache.Wait{NoWait: true}
	if !cur.Usable(a.set.now()) || !cur.RefusedAt.IsZero() {
		w = a.login.wait(ctx)
	}
	noticed := false // this call's own: renewals of one Auth may overlap
	if notice := w.Notice; notice != nil {
		w.Notice = func(h cache.Holder) { noticed = true; notice(h) }
	}
	r := &renewal{a: a, cacheOnly: cacheOnly}
	e, adopted, err := a.cache.Update(ctx, w, r)
	if err != nil {
		if cur.Usable(a.set.now()) && ctx.Err() == nil {
			a.holdOff(err)
			return cur, false, nil
		}
		return nil, false, cacheError(err)
	}
	if adopted && noticed {
		a.login.adopted(ctx, e)
	}
	return e, r.interactive, nil
}

// renewal is the Change of one renewal: nothing to do while the token is fresh; otherwise a
// new entry, or, ahead of expiry, the current one kept when that fails. interactive is its
// result: a person logged in for it.
type renewal struct {
	a           *Auth
	cacheOnly   bool
	interactive bool
}

func (r *renewal) Satisfied(e *entry) bool { return e.Fresh(r.a.set.now()) }

func (r *renewal) Apply(ctx context.Context, last *entry, lock cache.Lock) (*entry, error) {
	a := r.a
	e, interactive, err := a.login.obtain(ctx, last, renewRequest{ahead: last.Usable(a.set.now()), cacheOnly: r.cacheOnly}, lock)
	r.interactive = interactive && err == nil
	if err == nil || !last.Usable(a.set.now()) {
		return e, err // with errRefreshRefused, e is last without its dead refresh token
	}
	a.holdOff(err)
	if IsInvalidGrant(err) { // the refresh token is dead: use the token to its end
		return last.WithoutRefreshToken(), nil
	}
	return last, nil
}

// holdOff records a failed renewal ahead of expiry: the current token stands for a while.
func (a *Auth) holdOff(err error) {
	a.set.log.Warn("renewing the token ahead of expiry failed; using the current one", "error", err)
	a.quietUntil.Store(a.set.now().Add(aheadRetryDelay).UnixNano())
}

// APIBaseURL returns the CARTO API base URL: the caller's, else the discovered one, else the
// credentials file's.
func (a *Auth) APIBaseURL() string {
	if a.id.APIBaseURL != "" {
		return a.id.APIBaseURL
	}
	if e := a.cache.Current(); e != nil {
		return e.APIBaseURL
	}
	return ""
}

// TokenSource returns an oauth2.TokenSource backed by a. Its tokens expire a safety margin
// before the real expiry, so oauth2's own reuse never hands out a stale one.
func (a *Auth) TokenSource() oauth2.TokenSource { return tokenSource{a} }

type tokenSource struct{ a *Auth }

func (ts tokenSource) Token() (*oauth2.Token, error) {
	e, err := ts.a.token(context.Background())
	if err != nil {
		return nil, err
	}
	return oauth2Token(e), nil
}

// Logout forgets this identity's cached tokens and revokes its refresh token at the auth
// server. The login is forgotten here even when the revocation fails; the error then wraps
// ErrRevocationFailed, since the refresh token stays usable there until it expires.
func (a *Auth) Logout(ctx context.Context) error {
	if n, ok := a.login.(logoutNoter); ok {
		n.noteLogout() // a login not this package's: its source stays as it is
	}
	return logout(ctx, a.cache, a.login.revoke)
}

// logoutNoter is a renewer whose login this package does not own (a token given as it is): a
// Logout says what it leaves as it is.
type logoutNoter interface{ noteLogout() }

// logout forgets a login, here and on disk (its record of API access tokens too: they stay
// valid at CARTO until they expire), then revokes its refresh tokens (memory's and the file's,
// when they differ). A cache that could not be searched is an error after the revocations.
func logout(ctx context.Context, c *cache.Cache, revoke func(ctx context.Context, refreshToken string) error) error {
	gone, err := c.Remove(ctx, cache.Wait{})
	var failed []error
	if rerr := apitokens.Forget(apitokens.PathFor(c.Path())); rerr != nil {
		failed = append(failed, rerr)
	}
	for _, e := range gone {
		if e.RefreshToken == "" {
			continue
		}
		if rerr := revoke(ctx, e.RefreshToken); rerr != nil {
			failed = append(failed, fmt.Errorf("%w: %w", ErrRevocationFailed, rerr))
		}
	}
	if err != nil {
		failed = append(failed, cacheError(err))
	}
	return errors.Join(failed...)
}
