package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	switch os.Getenv("CACHE_WORKER") {
	case "":
		os.Exit(m.Run())
	case "write-loop":
		os.Exit(writeLoopWorker())
	default:
		fmt.Println("unknown CACHE_WORKER", os.Getenv("CACHE_WORKER"))
		os.Exit(2)
	}
}

var testID = Identity{Kind: KindOAuth, AuthServer: "http://127.0.0.1:1", ClientID: "cache-test"}

func entryFor(access, refresh string, issued time.Time, lifetime time.Duration) *Entry {
	return &Entry{Identity: testID, AccessToken: access, RefreshToken: refresh, IssuedAt: issued.Truncate(time.Second),
		Expiry: issued.Add(lifetime).Truncate(time.Second)}
}

// writeLoopWorker rewrites one cache entry as fast as it can until it is killed.
func writeLoopWorker() int {
	s := newStore(os.Getenv("WORKER_DIR"), testID, nil)
	pad := strings.Repeat("x", 64<<10) // a large entry widens the window for a torn write
	for i := int64(1); ; i++ {
		if err := s.save(entryFor(pad, "", time.Unix(i, 0), 1e9*time.Second)); err != nil {
			return 1
		}
		if i == 1 {
			os.WriteFile(os.Getenv("WORKER_SAVED"), nil, 0o600) // the first save is complete
		}
	}
}

func TestKilledWriterNeverLeavesATornCacheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := newStore(dir, testID, nil).path()
	for i := range 25 {
		saved := filepath.Join(t.TempDir(), "saved")
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "CACHE_WORKER=write-loop", "WORKER_DIR="+dir, "WORKER_SAVED="+saved)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			if _, err := os.Stat(saved); err == nil {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal("the writer never completed its first save")
			}
		}
		time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond) // somewhere in a later write
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		e, err := ReadEntry(path)
		if err != nil {
			t.Fatalf("after kill %d the cache file does not parse: %v", i, err)
		}
		if e.Identity != testID {
			t.Fatalf("after kill %d: foreign entry", i)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.json")); len(files) != 1 {
		t.Errorf("cache files: %v", files)
	}
}

// rotation is a Change that renews with a new refresh token, as a rotating server answers.
type rotation struct{ next *Entry }

func (rotation) Satisfied(*Entry) bool { return false }
func (r rotation) Apply(context.Context, *Entry, Lock) (*Entry, error) {
	return r.next, nil
}

// TestFailedSaveAfterRotationWithdrawsTheSpentToken: a renewal rotates R1→R2 but cannot save
// (a full disk). The file must not keep R1: another process would spend it again, and the
// server's reuse detection would revoke the login, R2 included. This process keeps R2 in
// memory, and its next save puts it on disk.
func TestFailedSaveAfterRotationWithdrawsTheSpentToken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Now()
	c := New(testID, Options{Dir: dir})
	ctx := context.Background()
	if _, _, err := c.Update(ctx, Wait{}, Replace(entryFor("a1", "r1", now, time.Hour))); err != nil {
		t.Fatal(err)
	}
	c.store.write = func(string, []byte) error { return syscall.ENOSPC }
	e, _, err := c.Update(ctx, Wait{}, rotation{entryFor("a2", "r2", now, time.Hour)})
	if err != nil || e.RefreshToken != "r2" || c.Current().RefreshToken != "r2" {
		t.Fatalf("renewal on a full disk: %v, %+v", err, e)
	}
	if disk, err := ReadEntry(c.Path()); err == nil && disk.RefreshToken == "r1" {
		t.Fatal("the cache file still holds the spent refresh token")
	}
	if other := New(testID, Options{Dir: dir}).Peek(); other != nil {
		t.Errorf("another process finds %+v; want nothing (a new login)", other)
	}
	c.store.write = nil // the disk has room again
	if _, _, err := c.Update(ctx, Wait{}, rotation{entryFor("a3", "r3", now, time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if disk, err := ReadEntry(c.Path()); err != nil || disk.RefreshToken != "r3" {
		t.Errorf("after the next save the cache holds %+v, %v", disk, err)
	}
}

// TestRefusedUnsavedTokenKeepsItsRefreshToken: after a rotation that could not be saved, the
// rotated refresh token lives only in memory. When the API then refuses the access token, the
// next renewal must still get that refresh token, not the empty disk (a new login, with the
// rotated token never revoked) nor a spent one.
func TestRefusedUnsavedTokenKeepsItsRefreshToken(t *testing.T) {
	t.Parallel()
	now := time.Now()
	c := New(testID, Options{Dir: t.TempDir()})
	ctx := context.Background()
	if _, _, err := c.Update(ctx, Wait{}, Replace(entryFor("a1", "r1", now, time.Hour))); err != nil {
		t.Fatal(err)
	}
	c.store.write = func(string, []byte) error { return syscall.ENOSPC }
	if _, _, err := c.Update(ctx, Wait{}, rotation{entryFor("a2", "r2", now, time.Hour)}); err != nil {
		t.Fatal(err)
	}
	c.Refuse("a2")
	var renewedFrom *Entry
	if _, _, err := c.Update(ctx, Wait{}, recordNewest{&renewedFrom, entryFor("a3", "r3", now, time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if renewedFrom == nil || renewedFrom.RefreshToken != "r2" {
		t.Errorf("the renewal after the refusal started from %+v; want the unsaved entry with r2", renewedFrom)
	}
}

// recordNewest is a Change that notes the entry it is asked to renew.
type recordNewest struct {
	from **Entry
	next *Entry
}

func (recordNewest) Satisfied(e *Entry) bool { return false }
func (r recordNewest) Apply(_ context.Context, newest *Entry, _ Lock) (*Entry, error) {
	*r.from = newest
	return r.next, nil
}

// TestWithdrawEmptiesWhatItCannotRemove: where the file cannot be removed (open in another
// process on Windows), it is emptied in place, which reads as no entry.
func TestWithdrawEmptiesWhatItCannotRemove(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "gonbauth-oauth-x.json")
	if err := os.WriteFile(path, []byte(`{"version":1,"refresh_token":"spent"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Withdraw(path, func(string) error { return syscall.EACCES }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || len(b) != 0 {
		t.Errorf("after Withdraw: %q, %v; want an empty file", b, err)
	}
	if err := Withdraw(path, os.Remove); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Withdraw: %v, want no file", err)
	}
}

// TestTokenMargins: when a token of each lifetime stops being used, and when it is renewed
// ahead. Short tokens keep at least a second of margin (the file's resolution) and a second of
// renewal window before it.
func TestTokenMargins(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		lifetime, expiredBefore, refreshBefore time.Duration
	}{
		{8 * time.Second, time.Second, 2 * time.Second}, {30 * time.Second, 3 * time.Second, 6 * time.Second},
		{2 * time.Minute, 12 * time.Second, 24 * time.Second}, {10 * time.Minute, time.Minute, 2 * time.Minute},
		{time.Hour, time.Minute, 5 * time.Minute}, {24 * time.Hour, time.Minute, 5 * time.Minute},
	} {
		e := entryFor("a", "r", time.Unix(1000, 0), c.lifetime)
		if got := e.Expiry.Sub(e.ExpiredAt()); got != c.expiredBefore {
			t.Errorf("lifetime %v: stops being used %v before expiry, want %v", c.lifetime, got, c.expiredBefore)
		}
		if got := e.Expiry.Sub(e.RefreshAt()); got != c.refreshBefore {
			t.Errorf("lifetime %v: renewed %v before expiry, want %v", c.lifetime, got, c.refreshBefore)
		}
		ms := time.Millisecond
		if !e.Usable(e.ExpiredAt().Add(-ms)) || e.Usable(e.ExpiredAt()) || e.Fresh(e.RefreshAt()) || !e.Fresh(e.RefreshAt().Add(-ms)) {
			t.Errorf("lifetime %v: Usable/Fresh disagree with ExpiredAt/RefreshAt", c.lifetime)
		}
	}
}

func FuzzParseEntry(f *testing.F) {
	f.Add([]byte(`{"version":1,"identity":{"kind":"m2m","auth_server":"x","client_id":"y"},"access_token":"t","expiry":2000000000,"issued_at":1}`))
	f.Add([]byte(`{"version":1,"access_token":"`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := Parse(body)
		if err == nil && (e.AccessToken == "" || e.Expiry.Unix() <= 0 || e.IssuedAt.Unix() <= 0) {
			t.Fatalf("accepted a bad entry %+v", e)
		}
		if err == nil {
			again, err := Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			if e2, err := Parse(again); err != nil || *e2 != *e {
				t.Fatalf("an entry does not survive its file: %v", err)
			}
		}
	})
}

func BenchmarkLockRoundTrip(b *testing.B) {
	s := newStore(b.TempDir(), testID, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		h, err := s.lock(ctx, Wait{})
		if err != nil {
			b.Fatal(err)
		}
		h.unlock()
	}
}

// TestReadTightensACacheFileOthersCanRead: a cache file restored from a backup as 0644 holds
// tokens other users can read; the first read makes it 0600 again.
func TestReadTightensACacheFileOthersCanRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := New(testID, Options{Dir: dir})
	if _, _, err := c.Update(context.Background(), Wait{}, Replace(entryFor("a1", "r1", time.Now(), time.Hour))); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(c.Path(), 0o644); err != nil {
		t.Fatal(err)
	}
	if e := New(testID, Options{Dir: dir}).Peek(); e == nil || e.RefreshToken != "r1" {
		t.Fatalf("the entry was not read: %+v", e)
	}
	if fi, err := os.Stat(c.Path()); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("after a read the cache file is %v, %v; want 0600", fi.Mode().Perm(), err)
	}
}

// TestNoLocksKeepsTokensInMemory: on a file system without locks (ENOLCK on some NFS, FUSE
// or 9p mounts) the cache is not used, as with any unusable cache: the login goes on with
// its tokens in memory, and the disk is not touched.
func TestNoLocksKeepsTokensInMemory(t *testing.T) {
	t.Parallel()
	c := New(testID, Options{Dir: t.TempDir()})
	c.store.tryLock = func(*os.File) (bool, error) { return false, syscall.ENOLCK }
	e, _, err := c.Update(context.Background(), Wait{}, Replace(entryFor("a1", "r1", time.Now(), time.Hour)))
	if err != nil || e == nil || e.RefreshToken != "r1" || c.Current().RefreshToken != "r1" {
		t.Fatalf("Update without locks: %+v, %v; want r1 kept in memory", e, err)
	}
	if _, err := os.Stat(c.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the cache file was written without the lock: %v", err)
	}
}

// FuzzIdentityKey: the hand-written key of an identity is json.Marshal's, byte for byte, so
// that cache files keep their names.
func FuzzIdentityKey(f *testing.F) {
	f.Add("oauth", "https://auth.carto.com", "client", "", "", "")
	f.Add("m2m", "http://127.0.0.1:8765", "id", "org_1", "https://gcp-us-east1.api.carto.com", "work")
	f.Add("oauth", "<&>", "\"\\", "\u2028", "\xff", "\x7f\t")
	f.Fuzz(func(t *testing.T, kind, server, client, org, base, profile string) {
		id := Identity{Kind: kind, AuthServer: server, ClientID: client, Organization: org, APIBaseURL: base, Profile: profile}
		want, _ := json.Marshal(id)
		if got := identityKey(id); string(got) != string(want) {
			t.Fatalf("identityKey(%+v) = %s, json.Marshal = %s", id, got, want)
		}
	})
}
