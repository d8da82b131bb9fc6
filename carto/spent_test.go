package carto

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// TestFailedSaveAfterRotationWithdrawsTheSpentToken: a process rotates R1→R2 but cannot save
// (a full disk). The file must not keep R1: another process would spend it again, and the
// server's reuse detection would revoke the login, R2 included. That process is asked to log
// in instead, and the first one goes on with R2 from memory.
func TestFailedSaveAfterRotationWithdrawsTheSpentToken(t *testing.T) {
	t.Parallel()
	srv, a, opts, _ := oauthLoggedIn(t, cartotest.Config{RotateRefreshTokens: true})
	r1 := a.cache.current().RefreshToken
	srv.ExpireAccessTokens()
	expireInMemory(a)
	a.cache.store.write = func(string, []byte) error { return syscall.ENOSPC }
	if _, err := a.AccessToken(context.Background()); err != nil {
		t.Fatalf("refresh with an unsavable cache: %v", err)
	}
	if e, err := readEntry(a.cache.store.path()); err == nil && e.RefreshToken == r1 {
		t.Fatal("the cache file still holds the spent refresh token")
	}
	other := *opts
	other.DisableInteraction = true
	if _, err := FromOAuth(context.Background(), &other); !errors.Is(err, ErrInteractionRequired) {
		t.Errorf("another process: %v, want ErrInteractionRequired (log in again)", err)
	}
	srv.ExpireAccessTokens()
	e := *a.cache.current()
	e.IssuedAt, e.Expiry = 1, 2
	a.cache.cur.Store(&e)
	a.cache.unsaved.Store(&e)
	a.cache.store.write = nil // the disk has room again
	if _, err := a.AccessToken(context.Background()); err != nil {
		t.Fatalf("the first process's next refresh: %v", err)
	}
	if srv.ReuseDetected() != 0 {
		t.Errorf("reuse detections %d, want 0", srv.ReuseDetected())
	}
	if e, err := readEntry(a.cache.store.path()); err != nil || e.RefreshToken == r1 {
		t.Errorf("after the next save the cache holds %v, %v", e, err)
	}
}

// TestWithdrawEmptiesWhatItCannotRemove: where the file cannot be removed (open in another
// process on Windows), it is emptied in place, which reads as no entry.
func TestWithdrawEmptiesWhatItCannotRemove(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "gonbauth-oauth-x.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"refresh_token":"spent"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := withdraw(path, func(string) error { return syscall.EACCES }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || len(b) != 0 {
		t.Errorf("after withdraw: %q, %v; want an empty file", b, err)
	}
	if err := withdraw(path, os.Remove); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after withdraw: %v, want no file", err)
	}
}
