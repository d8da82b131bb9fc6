package provider

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/e2e/testenv"
	"github.com/carto-go/carto-auth/internal/cache"
)

// onlyLogin reads the one login in the cache folder (never printed).
func (e env) onlyLogin(t testing.TB) *cache.Entry {
	t.Helper()
	files := e.cacheFiles(t)
	if len(files) != 1 {
		t.Fatalf("cache files %v, want one", files)
	}
	c, err := cache.ReadEntry(files[0])
	if err != nil {
		t.Fatalf("cache file: %v", err)
	}
	return c
}

// waitExpired sleeps until the library no longer uses the cached access token (its margin
// before expiry has begun), plus a little.
func waitExpired(t testing.TB, c *cache.Entry) {
	t.Helper()
	if d := time.Until(c.ExpiredAt().Add(300 * time.Millisecond)); d > 0 {
		if d > 30*time.Second {
			t.Fatalf("the token expires in %v: longer than the provider's lifetime", d)
		}
		time.Sleep(d)
	}
}

// TestRefreshInANewProcess: a login made in one process is renewed by the next process (a new
// GoNB cell, here `cartoauth token`) with the rotated refresh token, and saved for the next.
func TestRefreshInANewProcess(t *testing.T) {
	p := Start(t, Options{})
	e := newEnv(t, p)
	copyCodeLogin(t, NewPerson("ana@example.com"), nil)
	before := e.onlyLogin(t)
	waitExpired(t, before)
	r := e.run(t, "token")
	tok := strings.TrimSpace(r.stdout)
	if r.code != 0 || tok == before.AccessToken {
		t.Fatalf("cartoauth token after expiry: exit %d, renewed %v: %s", r.code, tok != before.AccessToken, r.stderr)
	}
	mustValid(t, p, tok)
	after := e.onlyLogin(t)
	if after.AccessToken != tok || after.RefreshToken == before.RefreshToken {
		t.Errorf("the renewed token or the rotated refresh token was not saved")
	}
	s := p.State(t)
	if s.Refreshes() != 1 || s.Reuse != 0 || len(s.AliveGrants("ana@example.com")) != 1 {
		t.Errorf("provider: %d refreshes, %d reuses, grants %+v", s.Refreshes(), s.Reuse, s.Grants)
	}
}

// TestProcessesAtExpiry: six processes wake on the same expired token, three rounds: each
// round makes exactly one refresh at the provider, every process gets a valid token, the
// provider sees no refresh token twice and the grant stays alive.
func TestProcessesAtExpiry(t *testing.T) {
	const processes, rounds = 6, 3
	p := Start(t, Options{})
	e := newEnv(t, p)
	copyCodeLogin(t, NewPerson("ana@example.com"), nil)
	for round := 1; round <= rounds; round++ {
		waitExpired(t, e.onlyLogin(t))
		var wg sync.WaitGroup
		results := make([]result, processes)
		for i := range results {
			wg.Add(1)
			go func() { defer wg.Done(); results[i] = e.run(t, "token") }()
		}
		wg.Wait()
		for i, r := range results {
			if r.code != 0 {
				t.Fatalf("round %d, process %d: exit %d: %s", round, i, r.code, r.stderr)
			}
			mustValid(t, p, strings.TrimSpace(r.stdout))
		}
		s := p.State(t)
		if s.Refreshes() != round || s.Reuse != 0 || len(s.AliveGrants("ana@example.com")) != 1 {
			t.Fatalf("after round %d: %d refreshes, %d reuses, grants %+v; errors %v", round, s.Refreshes(), s.Reuse, s.Grants, s.GrantErrors)
		}
	}
}

// TestLogoutRevokesAtTheProvider: `cartoauth logout` revokes the refresh token at the
// provider (RFC 7009 form body), which then refuses it.
func TestLogoutRevokesAtTheProvider(t *testing.T) {
	p := Start(t, Options{})
	e := newEnv(t, p)
	copyCodeLogin(t, NewPerson("ana@example.com"), nil)
	rt := e.onlyLogin(t).RefreshToken
	r := e.run(t, "logout")
	if r.code != 0 || !strings.Contains(r.stderr, "Logged out: removed 1 cached login") {
		t.Fatalf("logout: exit %d: %s", r.code, r.stderr)
	}
	if _, _, code, err := p.Refresh(PublicClient, rt); err != nil || code != "invalid_grant" {
		t.Errorf("the refresh token after logout: error %q, %v; want invalid_grant", code, err)
	}
	if s := p.State(t); s.Revocations["200"] != 1 || len(s.Revocations) != 1 || len(s.AliveGrants("ana@example.com")) != 0 {
		t.Errorf("provider: revocation answers %v, grants %+v", s.Revocations, s.Grants)
	}
}

// TestProviderRevokesTheGrantOnReuse checks the provider itself: a refresh token presented
// after it was rotated out makes it revoke the whole grant, the newer refresh token included,
// and count one reuse. The other tests rely on that count being real.
func TestProviderRevokesTheGrantOnReuse(t *testing.T) {
	p := Start(t, Options{})
	e := newEnv(t, p)
	copyCodeLogin(t, NewPerson("ana@example.com"), nil)
	rt1 := e.onlyLogin(t).RefreshToken
	_, rt2, code, err := p.Refresh(PublicClient, rt1)
	if err != nil || code != "" || rt2 == "" || rt2 == rt1 {
		t.Fatalf("first refresh: %q, %v, rotated %v", code, err, rt2 != rt1)
	}
	if _, _, code, _ := p.Refresh(PublicClient, rt1); code != "invalid_grant" {
		t.Errorf("the rotated-out token again: %q, want invalid_grant", code)
	}
	if _, _, code, _ := p.Refresh(PublicClient, rt2); code != "invalid_grant" {
		t.Errorf("the newer token after a reuse: %q, want invalid_grant (the grant is revoked)", code)
	}
	if s := p.State(t); s.Reuse != 1 || s.GrantsRevoked != 1 || len(s.AliveGrants("ana@example.com")) != 0 {
		t.Errorf("provider: %d reuses, %d grants revoked, grants %+v", s.Reuse, s.GrantsRevoked, s.Grants)
	}
}

// TestFullDiskAfterRotation: on a 256 KiB tmpfs filled to the brim, a process renews the
// login (the provider rotates the refresh token) but cannot save it. The next process must be
// asked to log in, not present the spent refresh token: the provider sees no reuse and the
// grant stays alive. Needs root (mount).
func TestFullDiskAfterRotation(t *testing.T) {
	if os.Geteuid() != 0 {
		testenv.Missing(t, "root", "mounting a tmpfs needs root")
	}
	p := Start(t, Options{})
	e := newEnv(t, p)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", mnt).CombinedOutput(); err != nil {
		testenv.Missing(t, "a tmpfs", "mount -t tmpfs: "+err.Error()+": "+string(out))
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	e.cache = filepath.Join(mnt, "cache")
	t.Setenv("CARTO_AUTH_CACHE_DIR", e.cache)
	copyCodeLogin(t, NewPerson("ana@example.com"), nil)
	before := e.onlyLogin(t)
	fill(t, filepath.Join(mnt, "filler"))

	waitExpired(t, before)
	a := e.run(t, "token")
	if a.code != 0 || !strings.Contains(a.stderr, "no space left on device") {
		t.Fatalf("the process on a full disk: exit %d, stderr %q; want its token and a warning", a.code, a.stderr)
	}
	mustValid(t, p, strings.TrimSpace(a.stdout))
	if files := e.cacheFiles(t); len(files) == 1 {
		if b, _ := os.ReadFile(files[0]); strings.Contains(string(b), before.RefreshToken) {
			t.Fatal("the cache still holds the spent refresh token")
		}
	}
	b := e.run(t, "token")
	if b.code != 3 || !strings.Contains(b.stderr, "cartoauth login") {
		t.Errorf("the next process: exit %d, stderr %q; want exit 3 (log in again)", b.code, b.stderr)
	}
	if s := p.State(t); s.Reuse != 0 || len(s.AliveGrants("ana@example.com")) != 1 {
		t.Errorf("provider: %d reuses, grants %+v; want none and the grant alive", s.Reuse, s.Grants)
	}
}

// fill writes path until the file system is full.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 4096)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	// Smaller writes take the last partial page.
	for {
		if _, err := f.Write(buf[:1]); err != nil {
			return
		}
	}
}
