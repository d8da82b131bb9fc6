package gonbauth

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// Auth is a logged-in CARTO identity. It hands out valid access tokens, renewing them (refresh
// token, client credentials or, when unavoidable, a new login) and keeping the cache current.
// It is safe for concurrent use.
type Auth struct {
	set   *settings
	store *store
	id    identity
	cur   atomic.Pointer[entry]
	sem   chan struct{} // one renewal at a time in this process
	// quietUntil (Unix seconds) holds off renewals ahead of expiry after one failed, so that
	// an outage does not slow down every call while the current token is still valid.
	quietUntil atomic.Int64
	// obtain gets a new entry, given the last one known (nil when none). ahead says the last
	// one is still usable: a renewal ahead of expiry, which must never prompt.
	obtain func(ctx context.Context, last *entry, ahead bool) (*entry, error)
	// onLockWait tells the user that another process holds this identity's lock.
	onLockWait func(holderPID int)
	// revoke revokes a refresh token (OAuth only).
	revoke func(ctx context.Context, refreshToken string) error
}

func newAuth(set *settings, id identity) *Auth {
	return &Auth{set: set, id: id, store: newStore(set.cacheDir, id, set.log), sem: make(chan struct{}, 1)}
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
	if e := a.cur.Load(); e.fresh(now) || (e.usable(now) && now < a.quietUntil.Load()) {
		return e, nil
	}
	return a.renew(ctx)
}

// aheadRetryDelay is how long renewals ahead of expiry are held off after one failed.
const aheadRetryDelay = 30

// renew brings the token up to date: within the process one caller does the work and the
// others wait for it; across processes the cache lock is held across read → renew → write, and
// a token another process stored meanwhile is adopted.
func (a *Auth) renew(ctx context.Context) (*entry, error) {
	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-a.sem }()
	last := a.cur.Load()
	if last.fresh(time.Now().Unix()) {
		return last, nil
	}
	unlock, err := a.store.lock(ctx, a.onLockWait)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		a.set.warn("the token cache is not usable; keeping tokens in memory", "error", err)
		unlock = func() {}
	}
	defer unlock()
	now := time.Now().Unix() // after the wait for the lock
	if disk := a.store.load(); disk != nil {
		if disk.fresh(now) {
			a.cur.Store(disk)
			return disk, nil
		}
		if last == nil || disk.IssuedAt >= last.IssuedAt {
			last = disk // adopt another process's newer (possibly rotated) refresh token
		}
	}
	e, err := a.obtain(ctx, last, last.usable(now))
	if err != nil {
		if now = time.Now().Unix(); last.usable(now) {
			a.set.log.Warn("renewing the token ahead of expiry failed; using the current one", "error", err)
			a.quietUntil.Store(now + aheadRetryDelay)
			if IsInvalidGrant(err) { // the refresh token is dead: use the token to its end
				kept := *last
				kept.RefreshToken = ""
				a.keep(&kept)
				return &kept, nil
			}
			a.cur.Store(last)
			return last, nil
		}
		return nil, err
	}
	a.keep(e)
	return e, nil
}

// keep makes e current and writes it to the cache; a cache that cannot be written degrades
// to memory with a warning.
func (a *Auth) keep(e *entry) {
	if err := a.store.save(e); err != nil {
		a.set.warn("could not save the token; it is kept in memory only", "error", err)
	}
	a.cur.Store(e)
}

// APIBaseURL returns the CARTO API base URL: the caller's, else the discovered one, else the
// credentials file's.
func (a *Auth) APIBaseURL() string {
	if a.id.APIBaseURL != "" {
		return a.id.APIBaseURL
	}
	if e := a.cur.Load(); e != nil {
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

// HTTPClient returns a client that adds "Authorization: Bearer <token>" to every request,
// using each request's context to renew the token when needed.
func (a *Auth) HTTPClient() *http.Client {
	return &http.Client{Transport: &bearerTransport{auth: a, base: a.set.hc.Transport}, Timeout: a.set.hc.Timeout}
}

type bearerTransport struct {
	auth *Auth
	base http.RoundTripper
}

func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	if !mayCarryToken(req) {
		return base.RoundTrip(req)
	}
	tok, err := t.auth.AccessToken(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok)
	resp, err := base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusUnauthorized {
		t.auth.refused(tok)
	}
	return resp, err
}

// refused drops an access token that CARTO refused (revoked, or the account changed) before
// its expiry, here and in the cache, so that the next call renews it instead of sending it
// again until it expires. The refresh token, if any, is kept.
func (a *Auth) refused(token string) {
	select {
	case a.sem <- struct{}{}:
		defer func() { <-a.sem }()
	default:
		return // a renewal is under way; it replaces the token anyway
	}
	e := a.cur.Load()
	if e == nil || e.AccessToken != token {
		return
	}
	stale := *e
	stale.Expiry, stale.IssuedAt = time.Now().Unix()-1, time.Now().Unix()-2
	a.set.log.Info("CARTO refused the access token; it will be renewed")
	a.keep(&stale)
}

// mayCarryToken keeps the token off clear-text connections to other machines and off
// redirects to another host (which net/http would strip the header from, were it not added
// here on every request).
func mayCarryToken(req *http.Request) bool {
	if req.URL.Scheme != "https" && !isLoopbackHost(req.URL.Hostname()) {
		return false
	}
	for prev := req.Response; prev != nil && prev.Request != nil; prev = prev.Request.Response {
		if prev.Request.URL.Host != req.URL.Host {
			return false
		}
	}
	return true
}

// Logout forgets this identity's cached tokens and revokes its refresh token, best-effort: a
// failed revocation is logged, not returned.
func (a *Auth) Logout(ctx context.Context) error {
	unlock, err := a.store.lock(ctx, nil)
	if err != nil {
		return err
	}
	defer unlock()
	last := a.cur.Load()
	if disk := a.store.load(); disk != nil && (last == nil || disk.IssuedAt >= last.IssuedAt) {
		last = disk
	}
	a.cur.Store(nil)
	if err := a.store.remove(); err != nil {
		return err
	}
	if last != nil && last.RefreshToken != "" && a.revoke != nil {
		if err := a.revoke(ctx, last.RefreshToken); err != nil {
			a.set.warn("logged out locally, but revoking the refresh token failed", "error", err)
		}
	}
	return nil
}

// Info describes a login without any secret in it.
type Info struct {
	Kind            string    `json:"kind"` // "oauth" or "m2m"
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
	e := a.cur.Load()
	if e == nil {
		e = &entry{Identity: a.id}
	}
	in := entryInfo(e, "")
	if a.store.enabled() {
		in.CacheFile = a.store.path()
	}
	return in
}

func (in Info) String() string {
	who := in.TenantDomain
	if who == "" {
		who = in.APIBaseURL
	}
	return fmt.Sprintf("%s login to %s, token valid until %s", in.Kind, who, in.Expiry.Local().Format(time.DateTime))
}
