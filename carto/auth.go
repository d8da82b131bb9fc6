package carto

import (
	"cmp"
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// Auth is a logged-in CARTO identity. It hands out valid access tokens, renewing them (refresh
// token, client credentials or, when unavoidable, a new login) and keeping the cache current.
// It is safe for concurrent use.
type Auth struct {
	set   *settings
	id    identity
	cache *tokenCache
	// quietUntil (Unix seconds) holds off renewals ahead of expiry after one failed, so that
	// an outage does not slow down every call while the current token is still valid.
	quietUntil atomic.Int64
	// obtain gets a new entry, given the last one known (nil when none). ahead says the last
	// one is still usable: a renewal ahead of expiry, which must never prompt.
	obtain func(ctx context.Context, last *entry, ahead bool) (*entry, error)
	// mayPrompt says an expired login may be renewed by an interactive login, so a wait for
	// another process's interactive login goes on (up to waitLimit) instead of giving up.
	mayPrompt bool
	waitLimit time.Duration
	// onLockWait tells the user that another process holds this identity's lock; onAdopt,
	// that the token another process stored after such a wait was adopted.
	onLockWait func(lockHolder)
	onAdopt    func(*entry)
	// revoke revokes a refresh token (OAuth only).
	revoke func(ctx context.Context, refreshToken string) error
	// source says how the login was made, for Info: SourceCache, SourceInteractive, SourceM2M
	// or SourceEnvironment.
	source string
}

func newAuth(set *settings, id identity) *Auth {
	return &Auth{set: set, id: id, cache: newTokenCache(newStore(set.cacheDir, id, set.log), set.warn)}
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
	now := time.Now().Unix()
	if e := a.cache.current(); e.fresh(now) || (e.usable(now) && now < a.quietUntil.Load()) {
		return e, nil
	}
	if e := a.cache.peek(); e.fresh(now) { // a new process's first call: no lock needed to read
		return e, nil
	}
	// Not fresh: renew (a usable token is kept if that cannot happen at once).
	return a.renew(ctx)
}

// aheadRetryDelay is how long renewals ahead of expiry are held off after one failed.
const aheadRetryDelay = 30

// renew brings the token up to date through the cache writer: a token another process stored
// meanwhile is adopted; otherwise a new one is obtained. A renewal ahead of expiry that fails
// (or would have to wait for another process's login) keeps the current token.
func (a *Auth) renew(ctx context.Context) (*entry, error) {
	cur := a.cache.current()
	usable := cur.usable(time.Now().Unix())
	w := lockWait{mayPrompt: a.mayPrompt && !usable, noWait: usable}
	if w.mayPrompt {
		w.notice, w.limit = a.onLockWait, a.waitLimit
	}
	adopted := false
	fresh := func(e *entry) bool { return e.fresh(time.Now().Unix()) }
	e, err := a.cache.update(ctx, w, fresh, func(ctx context.Context, last *entry) (*entry, error) {
		now := time.Now().Unix()
		if last.fresh(now) {
			adopted = true
			return last, nil
		}
		e, err := a.obtain(ctx, last, last.usable(now))
		if err == nil || !last.usable(time.Now().Unix()) {
			return e, err // with errRefreshRefused, e is last without its dead refresh token
		}
		a.holdOff(err)
		if IsInvalidGrant(err) { // the refresh token is dead: use the token to its end
			kept := *last
			kept.RefreshToken = ""
			return &kept, nil
		}
		return last, nil
	})
	if err != nil {
		if cur.usable(time.Now().Unix()) && ctx.Err() == nil {
			a.holdOff(err)
			return cur, nil
		}
		return nil, err
	}
	if adopted && a.onAdopt != nil {
		a.onAdopt(e)
	}
	return e, nil
}

// holdOff records a failed renewal ahead of expiry: the current token stands for a while.
func (a *Auth) holdOff(err error) {
	a.set.log.Warn("renewing the token ahead of expiry failed; using the current one", "error", err)
	a.quietUntil.Store(time.Now().Unix() + aheadRetryDelay)
}

// APIBaseURL returns the CARTO API base URL: the caller's, else the discovered one, else the
// credentials file's.
func (a *Auth) APIBaseURL() string {
	if a.id.APIBaseURL != "" {
		return a.id.APIBaseURL
	}
	if e := a.cache.current(); e != nil {
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
	return e.oauth2Token(), nil
}

// Logout forgets this identity's cached tokens and revokes its refresh token at the auth
// server. The login is forgotten here even when the revocation fails; the error then wraps
// ErrRevocationFailed, since the refresh token stays usable at the server until it expires.
func (a *Auth) Logout(ctx context.Context) error {
	last, err := a.cache.remove(ctx, lockWait{})
	if err != nil {
		return err
	}
	if last != nil && last.RefreshToken != "" && a.revoke != nil {
		if err := a.revoke(ctx, last.RefreshToken); err != nil {
			return fmt.Errorf("%w: %w", ErrRevocationFailed, err)
		}
	}
	return nil
}

// Sources of a login, in Info.Source.
const (
	SourceCache       = "cache"       // an earlier login, from the token cache
	SourceInteractive = "interactive" // a login by the user, just now
	SourceM2M         = "m2m"         // machine-to-machine credentials given by the caller
	SourceEnvironment = "environment" // M2M credentials from CARTO_CREDENTIALS(_FILE), by Login
)

// Info describes a login without any secret in it.
type Info struct {
	Kind            string    `json:"kind"` // "oauth" or "m2m"
	Profile         string    `json:"profile,omitempty"`
	Email           string    `json:"email,omitempty"` // from the ID token; empty when unknown
	Name            string    `json:"name,omitempty"`
	Source          string    `json:"source,omitempty"` // how this Auth logged in (not for cached listings)
	Flow            string    `json:"flow,omitempty"`
	AuthServer      string    `json:"auth_server"`
	ClientID        string    `json:"client_id"`
	Organization    string    `json:"organization,omitempty"`
	TenantDomain    string    `json:"tenant_domain,omitempty"`
	APIBaseURL      string    `json:"api_base_url,omitempty"`
	CacheFile       string    `json:"cache_file,omitempty"` // empty when caching is off
	Expiry          time.Time `json:"access_token_expiry"`
	HasRefreshToken bool      `json:"has_refresh_token"`
}

// Info reports who is logged in, where the tokens are kept and until when they are valid.
func (a *Auth) Info() Info {
	e := a.cache.current()
	if e == nil {
		e = &entry{Identity: a.id}
	}
	in := entryInfo(e, "")
	in.Source = a.source
	if a.cache.store.enabled() {
		in.CacheFile = a.cache.store.path()
	}
	return in
}

func (in Info) String() string {
	where := in.TenantDomain
	if where == "" {
		where = in.APIBaseURL
	}
	s := fmt.Sprintf("%s login to %s", in.Kind, where)
	if who := in.Account(); who != "" {
		s += " as " + who
	}
	return s + ", token valid until " + in.Expiry.Local().Format(time.DateTime)
}

// Account is who is logged in, for people: the email (else the name) of an interactive login,
// the client id of an M2M one; "" when unknown.
func (in Info) Account() string {
	if in.Kind == kindM2M {
		return in.ClientID
	}
	return cmp.Or(in.Email, in.Name)
}
