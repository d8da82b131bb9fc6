package carto

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// stuckDonePrompter's final status blocks until its context ends once stuck is set, as a
// notebook's does while it waits for an acknowledgement that never comes.
type stuckDonePrompter struct {
	*fakePrompter
	stuck atomic.Bool
}

func (p *stuckDonePrompter) SetStatus(ctx context.Context, s Status) error {
	p.fakePrompter.SetStatus(ctx, s)
	if s.State == StateDone && p.stuck.Load() {
		<-ctx.Done()
		return ctx.Err()
	}
	return nil
}

// TestAStuckPrompterDoesNotHoldTheLoginPastItsTimeout: with context.Background(), a renewal
// by interactive login whose final status never returns still ends within the login timeout
// (and a bounded grace for that status), and so does TokenSource().Token() on the same Auth,
// which waits for it.
func TestAStuckPrompterDoesNotHoldTheLoginPastItsTimeout(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := &stuckDonePrompter{fakePrompter: &fakePrompter{}}
	p.answer = pasteFrom(t, srv, func(u *urlParts) string { return u.code })
	opts := copyCodeOptions(t, srv, p)
	opts.Timeout = 2 * time.Second
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	gone := expired(a.cache.Current())
	gone.RefreshToken = "" // a new login is needed
	putEntry(t, a, gone)
	p.stuck.Store(true)

	limit := opts.Timeout + statusLimit + 3*time.Second
	renewed := make(chan error, 1)
	start := time.Now()
	go func() { _, err := a.AccessToken(context.Background()); renewed <- err }()
	time.Sleep(200 * time.Millisecond) // the renewal holds the cache now
	tokenDone := make(chan error, 1)
	go func() { _, err := a.TokenSource().Token(); tokenDone <- err }()
	for name, ch := range map[string]chan error{"AccessToken": renewed, "TokenSource().Token()": tokenDone} {
		select {
		case err := <-ch:
			if err != nil {
				t.Logf("%s: %v", name, err) // ending is what counts; the login itself succeeded
			}
		case <-time.After(limit - time.Since(start)):
			t.Fatalf("%s still waiting after %s (login timeout %s)", name, limit, opts.Timeout)
		}
	}
}
