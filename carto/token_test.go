package carto

import (
	"context"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// TestTokenMargins: when a token of each lifetime stops being used, and when it is renewed
// ahead. Short tokens keep at least a second of margin (the clock's resolution) and a second
// of renewal window before it.
func TestTokenMargins(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lifetime, expiredBefore, refreshBefore int64
	}{
		{8, 1, 2}, {30, 3, 6}, {120, 12, 24}, {600, 60, 120}, {3600, 60, 300}, {86400, 60, 300},
	} {
		e := &entry{Identity: identity{Kind: kindOAuth}, RefreshToken: "rt", IssuedAt: 1000, Expiry: 1000 + c.lifetime}
		if got := e.Expiry - e.expiredAt(); got != c.expiredBefore {
			t.Errorf("lifetime %ds: stops being used %ds before expiry, want %d", c.lifetime, got, c.expiredBefore)
		}
		if got := e.Expiry - e.refreshAt(); got != c.refreshBefore {
			t.Errorf("lifetime %ds: renewed %ds before expiry, want %d", c.lifetime, got, c.refreshBefore)
		}
		if !e.usable(e.expiredAt()-1) || e.usable(e.expiredAt()) || e.fresh(e.refreshAt()) || !e.fresh(e.refreshAt()-1) {
			t.Errorf("lifetime %ds: usable/fresh disagree with expiredAt/refreshAt", c.lifetime)
		}
	}
}

// TestExpiryCountsFromTheRequest: a token answer held up on its way (here 1.5 s) keeps the
// lifetime the server gave it from when the request was sent, not from when it arrived.
func TestExpiryCountsFromTheRequest(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{TokenLifetime: 10 * time.Second})
	srv.Inject(cartotest.EndpointTokenCC, cartotest.Fault{Delay: 1500 * time.Millisecond})
	sent := time.Now()
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	if exp := a.Info().Expiry; exp.After(sent.Add(10*time.Second + 500*time.Millisecond)) {
		t.Errorf("expiry %v after the request was sent; want about 10 s, not 10 s after the slow answer arrived", exp.Sub(sent).Round(time.Millisecond))
	}
}
