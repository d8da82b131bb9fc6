package gonbauth

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// tokenCache is the one writer of an identity's tokens, in memory and in its cache file. Every
// change (login, refresh, two-cell finish, discovery, logout, a refused token) goes through it:
// in-process single flight, then the cross-process lock held across read → adopt → renew →
// write. Under the lock the newest entry is the one on disk unless memory holds a newer one
// (a save that failed), so no path writes back a refresh token older than the one on disk.
type tokenCache struct {
	store   *store
	cur     atomic.Pointer[entry]
	refused atomic.Pointer[string] // an access token the API refused: never adopted again
	sem     chan struct{}          // one change at a time in this process
	warn    func(msg string, args ...any)
}

func newTokenCache(s *store, warn func(string, ...any)) *tokenCache {
	return &tokenCache{store: s, sem: make(chan struct{}, 1), warn: warn}
}

// current is the entry in memory, or nil.
func (c *tokenCache) current() *entry { return c.cur.Load() }

// peek adopts a fresh entry from disk when memory holds none, without the lock: files are
// replaced atomically, so a reader sees a whole entry, and reading changes nothing. It returns
// the entry in memory afterwards.
func (c *tokenCache) peek() *entry {
	if c.cur.Load() == nil {
		if disk := c.store.load(); disk != nil && disk.fresh(time.Now().Unix()) {
			c.cur.CompareAndSwap(nil, disk)
		}
	}
	return c.cur.Load()
}

// update runs change on the newest entry (nil when there is none) and makes its result current,
// saving it when it is not the entry change was given. done, if not nil, ends the update
// before the lock is taken when the entry in memory already satisfies it (another goroutine
// just renewed it). A cache that cannot be used degrades to memory with a warning; a wait for
// another process that ends (ctx, limits) is an error.
func (c *tokenCache) update(ctx context.Context, w lockWait, done func(*entry) bool,
	change func(ctx context.Context, newest *entry) (*entry, error)) (*entry, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.sem }()
	if cur := c.cur.Load(); done != nil && done(cur) {
		return cur, nil
	}
	h, err := c.lock(ctx, w)
	if err != nil {
		return nil, err
	}
	defer h.unlock()
	newest := c.newest()
	next, err := change(withHeldLock(ctx, h), newest)
	if err != nil || next == nil {
		return next, err
	}
	if next != newest {
		if err := c.store.save(next); err != nil {
			c.warn("could not save the token; it is kept in memory only", "error", err)
		}
	}
	c.cur.Store(next)
	return next, nil
}

// remove forgets the identity's tokens, here and on disk, and returns the newest entry it held
// (for revoking its refresh token), or nil.
func (c *tokenCache) remove(ctx context.Context, w lockWait) (*entry, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.sem }()
	h, err := c.lock(ctx, w)
	if err != nil {
		return nil, err
	}
	defer h.unlock()
	last := c.newest()
	c.cur.Store(nil)
	return last, c.store.remove()
}

// refuse drops an access token the API refused before its expiry (revoked, or the account
// changed), so the next call renews instead of sending it again. In memory it is dropped at
// once; on disk it is marked stale only if the lock is free now and the file still holds that
// same token (a busy lock means another process is renewing it anyway). The refresh token is
// kept.
func (c *tokenCache) refuse(token string) {
	c.refused.Store(&token)
	if e := c.cur.Load(); e != nil && e.AccessToken == token {
		c.cur.CompareAndSwap(e, e.stale())
	}
	h := c.store.tryLockNow()
	if h == nil {
		return
	}
	defer h.unlock()
	if disk := c.store.load(); disk != nil && disk.AccessToken == token {
		if err := c.store.save(disk.stale()); err != nil {
			c.warn("could not mark the refused token in the cache", "error", err)
		}
	}
}

func (c *tokenCache) lock(ctx context.Context, w lockWait) (*heldLock, error) {
	h, err := c.store.lock(ctx, w)
	if errors.Is(err, errCacheUnusable) {
		c.warn("the token cache is not usable; keeping tokens in memory", "error", err)
		return &heldLock{}, nil
	}
	return h, err
}

// newest picks, under the lock, the entry on disk unless memory holds a newer one; a refused
// token comes back stale.
func (c *tokenCache) newest() *entry {
	e := c.cur.Load()
	if disk := c.store.load(); disk != nil && (e == nil || disk.IssuedAt >= e.IssuedAt) {
		e = disk
	}
	if r := c.refused.Load(); e != nil && r != nil && e.AccessToken == *r && e.usable(time.Now().Unix()) {
		e = e.stale()
	}
	return e
}

type heldLockKey struct{}

// withHeldLock lets code running under the lock (an interactive login) mark it.
func withHeldLock(ctx context.Context, h *heldLock) context.Context {
	return context.WithValue(ctx, heldLockKey{}, h)
}

// markInteractive tells processes waiting for this identity's lock that its holder now waits
// for a person, so that those that cannot prompt give up instead of waiting minutes.
func markInteractive(ctx context.Context) {
	if h, ok := ctx.Value(heldLockKey{}).(*heldLock); ok {
		h.markInteractive()
	}
}
