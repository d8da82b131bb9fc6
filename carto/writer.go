package carto

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"
)

// tokenCache is the one writer of an identity's tokens, in memory and in its cache file. Every
// change (login, refresh, two-cell finish, discovery, logout, a refused token) goes through it:
// in-process single flight, then the cross-process lock held across read → adopt → renew →
// write. Under the lock the entry on disk is the truth (none there: logged out elsewhere),
// unless memory holds one whose save failed; so no path writes back a refresh token older than
// the one on disk. Without a usable lock nothing is read from or written to disk at all.
type tokenCache struct {
	store   *store
	cur     atomic.Pointer[entry]
	unsaved atomic.Pointer[entry]  // the entry in memory whose save failed
	refused atomic.Pointer[string] // an access token the API refused: never adopted again
	sem     chan struct{}          // one change at a time in this process
	// busy is the last give-up on another process's interactive login, so that callers
	// queued behind it fail at once instead of waiting their own turn; loginAt is when an
	// interactive login of this process started (Unix nanoseconds, 0 when none).
	busy    atomic.Pointer[busyNote]
	loginAt atomic.Int64
	warn    func(msg string, args ...any)
}

type busyNote struct {
	err error
	at  time.Time
}

// errLockBusy ends a renewal that may not wait (one ahead of expiry): someone else is at it.
var errLockBusy = errors.New("the token is being renewed by another caller")

func newTokenCache(s *store, warn func(string, ...any)) *tokenCache {
	return &tokenCache{store: s, sem: make(chan struct{}, 1), warn: warn}
}

// current is the entry in memory, or nil.
func (c *tokenCache) current() *entry { return c.cur.Load() }

// peek adopts a usable entry from disk when memory holds none, without the lock: files are
// replaced atomically, so a reader sees a whole entry, and reading changes nothing. It returns
// the entry in memory afterwards.
func (c *tokenCache) peek() *entry {
	if c.cur.Load() == nil && c.store.lockUsable() {
		if disk := c.store.load(); disk.usable(time.Now().Unix()) {
			c.cur.CompareAndSwap(nil, disk)
		}
	}
	return c.cur.Load()
}

// update runs change on the newest entry (nil when there is none) and makes its result current,
// saving it when it is not the entry change was given. A change that fails with
// errRefreshRefused returns an entry to keep all the same (the login without its dead refresh
// token). done, if not nil, ends the update
// before the lock is taken when the entry in memory already satisfies it (another goroutine
// just renewed it). A cache that cannot be used degrades to memory with a warning; a wait for
// another process that ends (ctx, limits, a person who may not be waited for) is an error.
func (c *tokenCache) update(ctx context.Context, w lockWait, done func(*entry) bool,
	change func(ctx context.Context, newest *entry) (*entry, error)) (*entry, error) {
	release, err := c.acquire(ctx, w)
	if err != nil {
		return nil, err
	}
	defer release()
	if cur := c.cur.Load(); done != nil && done(cur) {
		return cur, nil
	}
	h, err := c.lock(ctx, w)
	if err != nil {
		return nil, err
	}
	defer h.unlock()
	defer c.loginAt.Store(0)
	newest := c.newest(h)
	next, err := change(withHeldLock(ctx, c, h), newest)
	if err != nil && next != nil && errors.Is(err, errRefreshRefused) {
		c.keep(next, h)
		c.cur.Store(next)
		return nil, err
	}
	if err != nil || next == nil {
		return next, err
	}
	if next != newest {
		c.keep(next, h)
	}
	c.cur.Store(next)
	return next, nil
}

// keep saves e under the held lock h; without a usable lock, or when the save fails, e lives
// in memory only and wins over the disk until saved.
func (c *tokenCache) keep(e *entry, h *heldLock) {
	if h.degraded {
		c.unsaved.Store(e)
		return
	}
	if err := c.store.save(e); err != nil {
		c.warn("could not save the token; it is kept in memory only", "error", err)
		c.unsaved.Store(e)
		c.withdrawSpent(e)
		return
	}
	c.unsaved.Store(nil)
}

// withdrawSpent runs, still under the lock, after e could not be saved: if the file holds
// another refresh token, e's refresh rotated it and the server has spent it. Another process
// would present it again, and the server's reuse detection would revoke the whole login, e's
// refresh token included; so the entry is withdrawn from disk, and other processes ask for a
// new login instead while this one goes on from memory.
func (c *tokenCache) withdrawSpent(e *entry) {
	disk := c.store.load()
	if disk == nil || disk.RefreshToken == "" || disk.RefreshToken == e.RefreshToken {
		return
	}
	if err := withdraw(c.store.path(), os.Remove); err != nil {
		c.warn("could not withdraw a spent refresh token from the cache; remove the file, or the next process will end this login", "path", c.store.path(), "error", err)
	}
}

// remove forgets the identity's tokens, here and on disk, and returns the newest entry it held
// (for revoking its refresh token), or nil.
func (c *tokenCache) remove(ctx context.Context, w lockWait) (*entry, error) {
	release, err := c.acquire(ctx, w)
	if err != nil {
		return nil, err
	}
	defer release()
	h, err := c.lock(ctx, w)
	if err != nil {
		return nil, err
	}
	defer h.unlock()
	last := c.newest(h)
	c.cur.Store(nil)
	c.unsaved.Store(nil)
	if h.degraded {
		return last, nil
	}
	return last, c.store.remove()
}

// refuse drops an access token the API refused before its expiry (revoked, or the account
// changed), so the next call renews instead of sending it again. In memory it is dropped at
// once; on disk it is marked stale only if nothing else in this process or another is changing
// the cache now (then that change replaces it anyway) and the file still holds that token.
// The refresh token is kept.
func (c *tokenCache) refuse(token string) {
	c.refused.Store(&token)
	if e := c.cur.Load(); e != nil && e.AccessToken == token {
		c.cur.CompareAndSwap(e, e.stale())
	}
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	default:
		return
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

// acquire takes the in-process semaphore. A caller that may prompt waits for it (for ctx);
// one that may not never queues behind a person: it fails at once when a caller before it just
// gave up on another process's login, or while this process is logging in interactively, and
// a renewal ahead of expiry (noWait) does not wait at all.
func (c *tokenCache) acquire(ctx context.Context, w lockWait) (func(), error) {
	release := func() { <-c.sem }
	if w.mayPrompt {
		select {
		case c.sem <- struct{}{}:
			return release, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	for start := time.Now(); ; {
		select {
		case c.sem <- struct{}{}:
			if err := c.recentGiveUp(); err != nil {
				release()
				return nil, err
			}
			return release, nil
		default:
		}
		switch {
		case w.noWait:
			return nil, errLockBusy
		case c.loginAt.Load() != 0:
			return nil, fmt.Errorf("%w: %w: this process (%d) is logging in to this CARTO account interactively, and this call may not prompt; finish that login, then try again",
				ErrInteractionRequired, ErrLoginInProgress, os.Getpid())
		case time.Since(start) >= w.max():
			return nil, fmt.Errorf("gave up after %s waiting for another call in this process that is renewing the token", w.max())
		}
		if err := c.recentGiveUp(); err != nil {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// recentGiveUp returns the error of a give-up on another process's login less than
// interactiveHolderPatience ago.
func (c *tokenCache) recentGiveUp() error {
	if n := c.busy.Load(); n != nil && time.Since(n.at) < interactiveHolderPatience {
		return n.err
	}
	return nil
}

func (c *tokenCache) lock(ctx context.Context, w lockWait) (*heldLock, error) {
	h, err := c.store.lock(ctx, w)
	switch {
	case errors.Is(err, errCacheUnusable):
		c.warn("the token cache is not usable; keeping tokens in memory", "error", err)
		return &heldLock{degraded: true}, nil
	case errors.Is(err, ErrLoginInProgress):
		c.busy.Store(&busyNote{err, time.Now()})
	}
	return h, err
}

// newest picks, under the lock h, the entry on disk — none there means logged out elsewhere —
// unless memory holds a newer one whose save failed. Without a usable lock only what this
// process made itself counts: a refresh token read from disk might be spent by another process
// at the same time. A refused token comes back stale.
func (c *tokenCache) newest(h *heldLock) *entry {
	e := c.cur.Load()
	switch {
	case h.degraded:
		e = c.unsaved.Load()
	case c.store.enabled():
		disk := c.store.load()
		if unsaved := c.unsaved.Load(); e == nil || e != unsaved || (disk != nil && disk.IssuedAt > e.IssuedAt) {
			e = disk
		}
	}
	if r := c.refused.Load(); e != nil && r != nil && e.AccessToken == *r && e.usable(time.Now().Unix()) {
		e = e.stale()
	}
	return e
}

type heldLockKey struct{}

type heldLockValue struct {
	c *tokenCache
	h *heldLock
}

// withHeldLock lets code running under the lock (an interactive login) mark it.
func withHeldLock(ctx context.Context, c *tokenCache, h *heldLock) context.Context {
	return context.WithValue(ctx, heldLockKey{}, heldLockValue{c, h})
}

// markInteractive tells other callers, in this process and others, that the holder of the
// lock now waits for a person, so that those that cannot prompt give up instead of waiting
// minutes.
func markInteractive(ctx context.Context) {
	if v, ok := ctx.Value(heldLockKey{}).(heldLockValue); ok {
		v.c.loginAt.Store(time.Now().UnixNano())
		v.h.markInteractive()
	}
}
