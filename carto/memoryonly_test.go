package carto

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// TestALoginTheCacheCannotKeepSaysSo: when the cache cannot be used (here its lock file is a
// planted link), an interactive login still succeeds, and both its last status line and Info
// say that it is kept in memory only, and until when.
func TestALoginTheCacheCannotKeepSaysSo(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := &fakePrompter{answer: pasteFrom(t, srv, func(u *urlParts) string { return u.code })}
	opts := copyCodeOptions(t, srv, p)
	probe, err := newOAuthLogin(opts, readFacts(), false)
	if err != nil {
		t.Fatal(err)
	}
	lock := strings.TrimSuffix(probe.auth.cache.Path(), ".json") + ".lock"
	if err := os.MkdirAll(filepath.Dir(lock), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(t.TempDir(), "elsewhere"), lock); err != nil {
		t.Fatal(err)
	}
	a, err := FromOAuth(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if a.Info().MemoryOnly == "" {
		t.Error("Info().MemoryOnly is empty for a login kept in memory only")
	}
	p.mu.Lock()
	last := p.statuses[len(p.statuses)-1]
	p.mu.Unlock()
	if last.State != StateDone || !strings.Contains(last.Hint, "memory only, until ") {
		t.Errorf("last status %+v; want the login done, with a hint that it is kept in memory only and until when", last)
	}
}
