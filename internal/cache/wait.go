package cache

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"
)

// flight is a cache's in-process side: one change at a time, and what callers that may not wait
// for a person need to know to give up at once.
type flight struct {
	sem chan struct{} // one change at a time in this process
	// busy is the last give-up on another process's interactive login, so that callers queued
	// behind it fail at once instead of waiting their own turn; loginAt is when an interactive
	// login of this process started (Unix nanoseconds, 0 when none).
	busy    atomic.Pointer[busyNote]
	loginAt atomic.Int64
}

type busyNote struct {
	err error
	at  time.Time
}

// acquire takes the in-process semaphore. A caller that may prompt waits for it (for ctx);
// one that may not never queues behind a person: it fails at once when a caller before it just
// gave up on another process's login, or while this process is logging in interactively, and
// a renewal ahead of expiry (NoWait) does not wait at all.
func (c *flight) acquire(ctx context.Context, w Wait) (func(), error) {
	release := func() { <-c.sem }
	if w.MayPrompt {
		limit := time.NewTimer(w.max())
		defer limit.Stop()
		select {
		case c.sem <- struct{}{}:
			return release, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-limit.C:
			return nil, fmt.Errorf("gave up after %s waiting for another call in this process that is logging in to this CARTO account", w.max())
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
func (c *flight) recentGiveUp() error {
	if n := c.busy.Load(); n != nil && time.Since(n.at) < interactiveHolderPatience {
		return n.err
	}
	return nil
}
