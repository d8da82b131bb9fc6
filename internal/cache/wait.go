package cache

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// acquire takes the in-process semaphore. A caller that may prompt waits for it (for ctx);
// one that may not never queues behind a person: it fails at once when a caller before it just
// gave up on another process's login, or while this process is logging in interactively, and
// a renewal ahead of expiry (NoWait) does not wait at all.
func (c *Cache) acquire(ctx context.Context, w Wait) (func(), error) {
	release := func() { <-c.sem }
	if w.MayPrompt {
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
		case w.NoWait:
			return nil, ErrBusy
		case c.loginAt.Load() != 0:
			return nil, &InteractiveError{Self: true}
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
func (c *Cache) recentGiveUp() error {
	if n := c.busy.Load(); n != nil && time.Since(n.at) < interactiveHolderPatience {
		return n.err
	}
	return nil
}

// lock takes the cross-process lock; a cache folder or lock file that cannot be used gives a
// degraded lock, under which the disk is not touched.
func (c *Cache) lock(ctx context.Context, w Wait) (*heldLock, error) {
	h, err := c.store.lock(ctx, w)
	var ie *InteractiveError
	switch {
	case errors.Is(err, errCacheUnusable):
		c.warn("the token cache is not usable; keeping tokens in memory", "error", err)
		return &heldLock{degraded: true}, nil
	case errors.As(err, &ie):
		c.busy.Store(&busyNote{err, time.Now()})
	}
	return h, err
}
