package gonbauth

import "testing"

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
