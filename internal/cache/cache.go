// Package cache keeps one login's tokens, in memory and in a file other processes share, and is
// the one writer of them. Cache owns in-process single flight, the cross-process lock (an flock
// that dies with its holder), re-reading the file under the lock, adopting what another process
// stored, renewing, writing atomically, and withdrawing a spent refresh token; what to renew,
// and how, it asks of its caller through one interface, Change. Files are 0600 in a 0700
// folder of the current user, opened without following links.
package cache

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"
)

// Change is what an Update does, decided by the cache's owner.
type Change interface {
	// Satisfied reports whether e — the entry in memory before the lock is taken, the newest
	// one under it — already makes the change unnecessary (another caller just made it). e may
	// be nil.
	Satisfied(e *Entry) bool
	// Apply returns the entry to keep, given the newest one (nil when there is none), while
	// lock is held. When it returns an entry and an error, the entry is kept and the error
	// returned (a login whose refresh token the server refused, kept without it).
	Apply(ctx context.Context, newest *Entry, lock Lock) (*Entry, error)
}

// Lock is the cross-process lock an Apply runs under.
type Lock interface {
	// Interactive tells other callers, in this process and others, that the holder now waits
	// for a person, so those that may not prompt give up instead of waiting minutes.
	Interactive()
	// MemoryOnly says why what Apply returns will be kept in memory only (the cache cannot be
	// used), or "".
	MemoryOnly() string
}

// Replace is the Change that keeps e whatever is there.
func Replace(e *Entry) Change { return replace{e} }

type replace struct{ e *Entry }

func (replace) Satisfied(*Entry) bool { return false }
func (r replace) Apply(context.Context, *Entry, Lock) (*Entry, error) {
	return r.e, nil
}

// Options configures a Cache.
type Options struct {
	// Dir is the cache folder; "" keeps tokens in memory only.
	Dir string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives what the cache does; Warn, what the user should know even with logging off.
	Log  *slog.Logger
	Warn func(msg string, args ...any)
	// LoggedOutElsewhere, if not nil, gets the entry this process alone held (its save had
	// failed) when a logout in another process is found under the lock; the entry is dropped,
	// and its refresh token should be revoked. It runs under the lock: keep it short.
	LoggedOutElsewhere func(e *Entry)
}

// Cache is the one writer of an identity's tokens. Under the lock the entry on disk is the
// truth (none there: logged out elsewhere), unless memory holds one whose save failed; so no
// path writes back a refresh token older than the one on disk. Without a usable lock nothing
// is read from or written to disk at all.
type Cache struct {
	store     *store
	now       func() time.Time
	warn      func(msg string, args ...any)
	loggedOut func(e *Entry)
	cur       atomic.Pointer[Entry]
	unsaved   atomic.Pointer[unsavedEntry]
	refused   atomic.Pointer[string] // an access token the API refused: never adopted again
	flight
}

// unsavedEntry is the entry in memory whose save failed (or that no usable lock let save), why,
// and the logout mark on disk when it was kept: another mark since means a logout came after it
// (a mark, not a time: the clocks of processes and hosts may differ).
type unsavedEntry struct {
	e         *Entry
	why, mark string
}

// New returns the cache of one identity.
func New(id Identity, opts Options) *Cache {
	c := &Cache{store: newStore(opts.Dir, id, opts.Log), now: opts.Now, warn: opts.Warn, loggedOut: opts.LoggedOutElsewhere,
		flight: flight{sem: make(chan struct{}, 1)}}
	if c.now == nil {
		c.now = time.Now
	}
	if c.warn == nil {
		c.warn = c.store.log.Warn
	}
	return c
}

// Current is the entry in memory, or nil.
func (c *Cache) Current() *Entry { return c.cur.Load() }

// MemoryOnly says why the entry in memory is kept nowhere else (the cache folder cannot be
// used, the file system has no locks, or the save failed), or "" when it is on disk or the
// cache keeps nothing on disk by design.
func (c *Cache) MemoryOnly() string {
	if u := c.unsaved.Load(); u != nil && c.cur.Load() != nil {
		return u.why
	}
	return ""
}

// Path is the cache file, "" when the cache keeps nothing on disk.
func (c *Cache) Path() string {
	if !c.store.enabled() {
		return ""
	}
	return c.store.path()
}

// PendingPath is where a two-cell login of this identity waits for its code ("" without a
// folder).
func (c *Cache) PendingPath() string {
	if !c.store.enabled() {
		return ""
	}
	return c.store.pendingPath()
}

// Peek adopts a usable entry from disk when memory holds none, without the lock: files are
// replaced atomically, so a reader sees a whole entry, and reading changes nothing. It returns
// the entry in memory afterwards.
func (c *Cache) Peek() *Entry {
	if c.cur.Load() == nil && c.store.lockUsable() {
		if disk := c.store.load(); disk.Usable(c.now()) {
			c.cur.CompareAndSwap(nil, disk)
		}
	}
	return c.cur.Load()
}

// Update makes ch and returns the entry now current, and whether it was adopted: another
// caller's, found satisfying ch, rather than made by ch. A cache folder that cannot be used
// degrades to memory with a warning; a wait for another process that ends (ctx, the wait's
// limits, a person the caller may not wait for) is an error.
func (c *Cache) Update(ctx context.Context, w Wait, ch Change) (e *Entry, adopted bool, err error) {
	release, err := c.acquire(ctx, w)
	if err != nil {
		return nil, false, err
	}
	defer release()
	if cur := c.cur.Load(); ch.Satisfied(cur) {
		return cur, true, nil
	}
	h, err := c.lock(ctx, w)
	if err != nil {
		return nil, false, err
	}
	defer h.unlock()
	defer c.loginAt.Store(0)
	newest := c.newest(h)
	if ch.Satisfied(newest) {
		c.cur.Store(newest)
		return newest, true, nil
	}
	next, err := ch.Apply(ctx, newest, held{c, h})
	if next != nil && next != newest {
		if newest == nil || next.AccessToken != newest.AccessToken {
			next = newest.succeeding(next, c.now())
		}
		c.keep(next, h)
	}
	if next != nil {
		c.cur.Store(next)
	}
	if err != nil {
		return nil, false, err
	}
	return next, false, nil
}

// keep saves e under the held lock h; without a usable lock, or when the save fails, e lives
// in memory only and wins over the disk until saved.
func (c *Cache) keep(e *Entry, h *heldLock) {
	if h.degraded {
		c.keepUnsaved(e, h.reason.Error())
		return
	}
	if err := c.store.save(e); err != nil {
		c.warn("could not save the token; it is kept in memory only", "error", err)
		c.keepUnsaved(e, "could not save the token cache file: "+err.Error())
		c.withdrawSpent(e)
		return
	}
	c.unsaved.Store(nil)
}

// keepUnsaved keeps e in memory only, for the reason why, noting the logout mark of now.
func (c *Cache) keepUnsaved(e *Entry, why string) {
	c.unsaved.Store(&unsavedEntry{e: e, why: why, mark: c.store.logoutMark()})
}

// unsavedEntryNow is, under the lock, the entry in memory whose save failed, or nil: none, or
// (when the disk can be read: checkMark) a logout elsewhere came after it was kept; it is then
// handed to Options.LoggedOutElsewhere and dropped.
func (c *Cache) unsavedEntryNow(checkMark bool) *Entry {
	u := c.unsaved.Load()
	switch {
	case u == nil:
		return nil
	case !checkMark || c.store.logoutMark() == u.mark:
		return u.e
	}
	c.unsaved.Store(nil)
	if c.loggedOut != nil {
		c.loggedOut(u.e)
	}
	return nil
}

// withdrawSpent runs, still under the lock, after e could not be saved: if the file holds
// another refresh token, e's refresh rotated it and the server has spent it. Another process
// would present it again, and the server's reuse detection would revoke the whole login, e's
// refresh token included; so the entry is withdrawn from disk, and other processes ask for a
// new login instead while this one goes on from memory.
func (c *Cache) withdrawSpent(e *Entry) {
	disk := c.store.load()
	if disk == nil || disk.RefreshToken == "" || disk.RefreshToken == e.RefreshToken {
		return
	}
	if err := Withdraw(c.store.path(), os.Remove); err != nil {
		c.warn("could not withdraw a spent refresh token from the cache; remove the file, or the next process will end this login", "path", c.store.path(), "error", err)
	}
}

// Remove forgets the identity's tokens, here and on disk, and returns the entries it forgot
// (for revoking their refresh tokens): the newest one, and the file's when that holds another
// refresh token. It leaves a mark of the logout on disk, which a process holding an entry it
// could not save finds under the lock (see Options.LoggedOutElsewhere). On a file system
// without locks the file is still removed; a cache folder that may not be used at all is not
// read, and the error says so (what memory held is forgotten and returned all the same).
func (c *Cache) Remove(ctx context.Context, w Wait) ([]*Entry, error) {
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
	var gone []*Entry
	if last := c.newest(h); last != nil {
		gone = append(gone, last)
	}
	c.cur.Store(nil)
	c.unsaved.Store(nil)
	if h.degraded && !h.noLocks {
		return gone, fmt.Errorf("could not look for a login to remove in the token cache: %w", h.reason)
	}
	if disk := c.store.load(); disk != nil && (len(gone) == 0 || disk.RefreshToken != gone[0].RefreshToken) {
		gone = append(gone, disk)
	}
	if err := c.store.remove(); err != nil {
		return gone, err
	}
	return gone, c.store.markLoggedOut()
}

// Refuse marks an access token the API refused before its expiry (revoked, or the account
// changed), so the next call renews it; until a renewal succeeds the token is still used. It
// reports whether it did: within RefusalBackoff of a renewal a refusal forced, a refusal is
// taken as the request's fault and the token kept, so that a path that always answers 401 does
// not renew on every call (the time is in the cache file: other processes see it too). On disk
// the token is marked only if nothing else in this process or another is changing the cache now
// (then that change replaces it anyway) and the file still holds it. The refresh token is kept.
func (c *Cache) Refuse(token string) bool {
	now := c.now()
	e := c.cur.Load()
	if e != nil && e.AccessToken == token {
		forced := e.ForcedAt
		if forced.After(now.Add(RefusalBackoff)) {
			forced = time.Time{} // from a clock ahead of this one: not a recent renewal
		}
		if !e.RefusedAt.IsZero() || now.Sub(forced) < RefusalBackoff {
			return false
		}
		c.cur.CompareAndSwap(e, e.Refused(now))
	}
	c.refused.Store(&token)
	select {
	case c.sem <- struct{}{}:
		defer func() { <-c.sem }()
	default:
		return true
	}
	h := c.store.tryLockNow()
	if h == nil {
		return true
	}
	defer h.unlock()
	if disk := c.store.load(); disk != nil && disk.AccessToken == token && disk.RefusedAt.IsZero() {
		if err := c.store.save(disk.Refused(now)); err != nil {
			c.warn("could not mark the refused token in the cache", "error", err)
		}
	}
	return true
}

// newest picks, under the lock h, the entry on disk — none there means logged out elsewhere —
// unless memory holds a newer one whose save failed, and no logout elsewhere came after it (it
// is then handed to Options.LoggedOutElsewhere and dropped). Without a usable lock only what
// this process made itself counts in full; an entry it read stands without its refresh token,
// which another process might spend at the same time. A refused token comes back refused.
func (c *Cache) newest(h *heldLock) *Entry {
	e := c.cur.Load()
	unsaved := c.unsavedEntryNow(!h.degraded || h.noLocks)
	switch {
	case h.degraded && unsaved != nil:
		e = unsaved
	case h.degraded:
		if e != nil {
			e = e.WithoutRefreshToken() // its access token stands; its refresh token may be another process's
		}
	case c.store.enabled():
		e = c.store.load()
		if unsaved != nil && (e == nil || !e.IssuedAt.After(unsaved.IssuedAt)) {
			e = unsaved
		}
	}
	if r := c.refused.Load(); e != nil && r != nil && e.AccessToken == *r && e.RefusedAt.IsZero() {
		e = e.Refused(c.now())
	}
	return e
}

// held is the Lock an Apply gets.
type held struct {
	c *Cache
	h *heldLock
}

func (l held) MemoryOnly() string {
	if l.h.degraded {
		return l.h.reason.Error()
	}
	return ""
}

func (l held) Interactive() {
	l.c.loginAt.Store(time.Now().UnixNano())
	l.h.markInteractive()
}

// lock takes the cross-process lock; a cache folder or lock file that cannot be used gives a
// degraded lock, under which the disk is not touched.
func (c *Cache) lock(ctx context.Context, w Wait) (*heldLock, error) {
	h, err := c.store.lock(ctx, w)
	var ie *InteractiveError
	switch {
	case errors.Is(err, errCacheUnusable):
		c.warn("the token cache is not usable; keeping tokens in memory", "error", err)
		return &heldLock{degraded: true, noLocks: errors.Is(err, errNoLocks), reason: err}, nil
	case errors.As(err, &ie):
		c.busy.Store(&busyNote{err, time.Now()})
	}
	return h, err
}
