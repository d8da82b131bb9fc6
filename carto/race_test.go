package carto

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// slowDonePrompter takes its time over the final status, as the notebook's does while it waits
// for the kernel's acknowledgement.
type slowDonePrompter struct{ *fakePrompter }

func (p slowDonePrompter) SetStatus(ctx context.Context, s Status) error {
	p.fakePrompter.SetStatus(ctx, s)
	if s.State == StateDone {
		time.Sleep(2500 * time.Millisecond)
	}
	return nil
}

// TestRenewalsThatWaitForAnotherProcessDoNotRace: two renewals of one Auth, each waiting over a
// second for another process's login and adopting its token, share nothing unsynchronized (the
// race detector of `go test -race` watches the second one's wait while the first one still
// shows its result).
func TestRenewalsThatWaitForAnotherProcessDoNotRace(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := slowDonePrompter{&fakePrompter{}}
	p.answer = pasteFrom(t, srv, func(u *urlParts) string { return u.code })
	a, err := FromOAuth(context.Background(), copyCodeOptions(t, srv, p))
	if err != nil {
		t.Fatal(err)
	}
	loggedIn := *a.cache.Current()
	fresh := func() *entry {
		e := loggedIn
		e.IssuedAt = time.Now().Truncate(time.Second)
		e.Expiry = e.IssuedAt.Add(time.Hour)
		return &e
	}
	var wg sync.WaitGroup
	for range 3 {
		gone := expired(&loggedIn)
		gone.RefreshToken = "" // only a new login, here the other process's, renews it
		putEntry(t, a, gone)
		held := holdLock(t, a, false)
		wg.Go(func() {
			if _, err := a.AccessToken(context.Background()); err != nil {
				t.Errorf("renewal: %v", err)
			}
		})
		time.Sleep(1500 * time.Millisecond) // past the wait's notice
		held.finish(fresh())
		time.Sleep(200 * time.Millisecond) // the first renewal now shows its result
	}
	wg.Wait()
}
