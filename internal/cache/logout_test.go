package cache

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

// renewFrom is the Change of a renewal by refresh token: a new entry from the newest one, or an
// error when there is none to renew. Its issue time is rounded up to the next second, as the
// engine's are (an entry's issue time may be after a logout that came later).
type renewFrom struct{ access, refresh string }

func (renewFrom) Satisfied(*Entry) bool { return false }
func (r renewFrom) Apply(_ context.Context, newest *Entry, _ Lock) (*Entry, error) {
	if newest == nil || newest.RefreshToken == "" {
		return nil, errors.New("nothing to renew: a new login is needed")
	}
	return entryFor(r.access, r.refresh, time.Now().Add(time.Second), time.Hour), nil
}

// TestLogoutElsewhereEndsAnUnsavedLogin: after a rotation whose save failed, this process holds
// the only copy of the login. A logout in another process finds nothing on disk, but leaves a
// mark that this process sees under the lock: it then hands its refresh token over to be
// revoked and never writes the login back.
func TestLogoutElsewhereEndsAnUnsavedLogin(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var forgotten []*Entry
	p := New(testID, Options{Dir: dir, LoggedOutElsewhere: func(e *Entry) { forgotten = append(forgotten, e) }})
	if _, _, err := p.Update(context.Background(), Wait{}, Replace(entryFor("a1", "r1", time.Now(), time.Hour))); err != nil {
		t.Fatal(err)
	}
	p.store.write = func(string, []byte) error { return syscall.ENOSPC }
	if _, _, err := p.Update(context.Background(), Wait{}, renewFrom{"a2", "r2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the spent refresh token was not withdrawn: %v", err)
	}

	q := New(testID, Options{Dir: dir})
	gone, err := q.Remove(context.Background(), Wait{})
	if err != nil || len(gone) != 0 {
		t.Fatalf("the other process's logout: %d entries, %v", len(gone), err)
	}

	p.store.write = nil // room on the disk again
	_, _, err = p.Update(context.Background(), Wait{}, renewFrom{"a3", "r3"})
	if err == nil {
		t.Error("the renewal went on after a logout elsewhere")
	}
	if len(forgotten) != 1 || forgotten[0].RefreshToken != "r2" {
		t.Errorf("handed over for revocation: %d entries; want the unsaved r2", len(forgotten))
	}
	if _, err := os.Stat(p.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the login was written back after the logout: %v", err)
	}
	// A login after the logout is kept as usual.
	if _, _, err := p.Update(context.Background(), Wait{}, Replace(entryFor("a4", "r4", time.Now().Add(time.Second), time.Hour))); err != nil {
		t.Fatal(err)
	}
	if e, err := ReadEntry(p.Path()); err != nil || e.RefreshToken != "r4" {
		t.Errorf("a new login after the logout: %v", err)
	}
}

// keepOrRenew is the Change of a renewal ahead of expiry: the current entry is kept when it
// has no refresh token to renew with.
type keepOrRenew struct{ renewFrom }

func (k keepOrRenew) Apply(ctx context.Context, newest *Entry, l Lock) (*Entry, error) {
	if newest != nil && newest.RefreshToken == "" {
		return newest, nil
	}
	return k.renewFrom.Apply(ctx, newest, l)
}

// TestNoLocksLogoutRemovesAndRenewalAheadKeepsTheToken: on a file system without locks
// (ENOLCK), a logout still removes the login on disk and hands back its refresh token for
// revocation; a renewal ahead of expiry keeps the current token instead of asking for a login;
// and the cache says why what it keeps is in memory only.
func TestNoLocksLogoutRemovesAndRenewalAheadKeepsTheToken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writer := New(testID, Options{Dir: dir})
	if _, _, err := writer.Update(context.Background(), Wait{}, Replace(entryFor("a1", "r1", time.Now(), time.Hour))); err != nil {
		t.Fatal(err)
	}

	c := New(testID, Options{Dir: dir})
	c.store.tryLock = func(*os.File) (bool, error) { return false, syscall.ENOLCK }
	if e := c.Peek(); e == nil || e.AccessToken != "a1" {
		t.Fatalf("Peek without locks: %+v", e)
	}
	e, _, err := c.Update(context.Background(), Wait{NoWait: true}, keepOrRenew{renewFrom{"a2", "r2"}})
	if err != nil || e == nil || e.AccessToken != "a1" {
		t.Errorf("a renewal without locks: %+v, %v; want the current token a1 kept (its refresh token cannot be used safely)", e, err)
	}
	if why := c.MemoryOnly(); why != "" {
		t.Errorf("nothing new was made, yet MemoryOnly = %q", why)
	}
	if _, _, err := c.Update(context.Background(), Wait{}, Replace(entryFor("a3", "r3", time.Now(), time.Hour))); err != nil {
		t.Fatal(err)
	}
	if why := c.MemoryOnly(); why == "" {
		t.Error("a login kept in memory only, and MemoryOnly does not say so")
	}

	gone, err := c.Remove(context.Background(), Wait{})
	if err != nil {
		t.Fatalf("logout without locks: %v", err)
	}
	refresh := map[string]bool{}
	for _, e := range gone {
		refresh[e.RefreshToken] = true
	}
	if !refresh["r1"] || !refresh["r3"] {
		t.Errorf("handed back for revocation: %v; want the disk's r1 and memory's r3", refresh)
	}
	if _, err := os.Stat(c.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("logout without locks left the cache file: %v", err)
	}
}

// TestUnusableFolderLogoutSaysSo: a cache folder that may not be used (not private) is not
// read, so a logout cannot tell whether a login is kept there: it says so instead of
// reporting success.
func TestUnusableFolderLogoutSaysSo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	c := New(testID, Options{Dir: dir})
	if _, err := c.Remove(context.Background(), Wait{}); err == nil {
		t.Error("logout with an unusable cache folder reported success")
	}
}

// TestNoLocksLogoutElsewhereEndsAnUnsavedLogin: on a file system without locks too, a login
// held only in memory ends when another process logs out, and is handed over for revocation.
func TestNoLocksLogoutElsewhereEndsAnUnsavedLogin(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var forgotten []*Entry
	p := New(testID, Options{Dir: dir, LoggedOutElsewhere: func(e *Entry) { forgotten = append(forgotten, e) }})
	p.store.tryLock = func(*os.File) (bool, error) { return false, syscall.ENOLCK }
	if _, _, err := p.Update(context.Background(), Wait{}, Replace(entryFor("a1", "r1", time.Now().Add(time.Second), time.Hour))); err != nil {
		t.Fatal(err)
	}
	q := New(testID, Options{Dir: dir})
	if _, err := q.Remove(context.Background(), Wait{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.Update(context.Background(), Wait{}, renewFrom{"a2", "r2"}); err == nil {
		t.Error("the renewal went on after a logout elsewhere")
	}
	if len(forgotten) != 1 || forgotten[0].RefreshToken != "r1" {
		t.Errorf("handed over for revocation: %d entries; want the in-memory r1", len(forgotten))
	}
}
