//go:build unix

package carto

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

const nobody = 65534

// asRoot skips where the test cannot act as the root of a notebook container would; CI runs as
// root, where it must not skip.
func asRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		if inCI() {
			t.Fatal("CI runs as root, and this test needs root to plant another user's files")
		}
		t.Skip("needs root (to plant files of another user)")
	}
}

// m2mIn logs in by M2M with dir as the cache folder and returns what the logger said.
func m2mIn(t *testing.T, srv *cartotest.Server, creds, dir string) string {
	t.Helper()
	var logs bytes.Buffer
	_, err := FromM2M(context.Background(), creds, &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: dir,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}})
	if err != nil {
		t.Fatalf("an unsafe cache folder must not stop the login: %v", err)
	}
	return logs.String()
}

// cacheNames logs in once in a fresh folder and returns the names of the files it made.
func cacheNames(t *testing.T, srv *cartotest.Server, creds string) (entry, lock string) {
	t.Helper()
	dir := t.TempDir()
	m2mIn(t, srv, creds, dir)
	matches, _ := filepath.Glob(filepath.Join(dir, "gonbauth-*.json"))
	if len(matches) != 1 {
		t.Fatalf("cache files %v", matches)
	}
	return filepath.Base(matches[0]), strings.TrimSuffix(filepath.Base(matches[0]), ".json") + ".lock"
}

func TestUnsafeCacheFoldersAreNotUsed(t *testing.T) {
	t.Parallel()
	asRoot(t)
	srv := standIn(t, cartotest.Config{})
	creds := writeCreds(t, srv)
	entryName, _ := cacheNames(t, srv, creds)
	planted := []byte(`{"version":1,"identity":{"kind":"m2m"},"access_token":"attacker","expiry":9999999999,"issued_at":1}`)

	othersFolder := filepath.Join(t.TempDir(), "theirs") // made by another user, who planted an entry
	os.Mkdir(othersFolder, 0o755)
	os.WriteFile(filepath.Join(othersFolder, entryName), planted, 0o644)
	os.Chown(filepath.Join(othersFolder, entryName), nobody, nobody)
	os.Chown(othersFolder, nobody, nobody)
	openFolder := filepath.Join(t.TempDir(), "open") // anyone can add files
	os.Mkdir(openFolder, 0o777)
	os.Chmod(openFolder, 0o777)
	target := t.TempDir()
	linked := filepath.Join(t.TempDir(), "link")
	os.Symlink(target, linked)
	targetBefore := dirState(t, target)

	for name, c := range map[string]struct{ dir, why string }{
		"another user's": {othersFolder, "belongs to user 65534"},
		"world-writable": {openFolder, "other users can write to it"},
		"symlink":        {linked, "symbolic link"},
	} {
		t.Run(name, func(t *testing.T) {
			before := dirState(t, c.dir)
			if err := CheckCacheDir(c.dir); !errors.Is(err, ErrUnsafeCacheDir) || !strings.Contains(err.Error(), c.why) {
				t.Errorf("CheckCacheDir: %v; want ErrUnsafeCacheDir saying %q", err, c.why)
			}
			logs := m2mIn(t, srv, creds, c.dir)
			if !strings.Contains(logs, "kept in memory only") || !strings.Contains(logs, c.why) {
				t.Errorf("no warning saying why: %s", logs)
			}
			if after := dirState(t, c.dir); after != before {
				t.Errorf("the folder changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
	if got := dirState(t, target); got != targetBefore {
		t.Errorf("the symlink's target got files: %s", got)
	}
	if err := CheckCacheDir(filepath.Join(t.TempDir(), "missing")); err != nil {
		t.Errorf("a missing folder (to be made 0700): %v", err)
	}
}

// dirState describes a folder's mode, owner and files, for before/after comparisons.
func dirState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && (p != dir || fi.IsDir()) {
			body, _ := os.ReadFile(p)
			b.WriteString(strings.TrimPrefix(p, dir) + " " + fi.Mode().String() + " " + string(body) + ";")
		}
		return nil
	})
	if fi, err := os.Lstat(dir); err == nil {
		b.WriteString(" self " + fi.Mode().String())
	}
	return b.String()
}

func TestPlantedLinksInTheCacheFolderAreNotFollowed(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	creds := writeCreds(t, srv)
	entryName, lockName := cacheNames(t, srv, creds)
	for _, name := range []string{entryName, lockName} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "cache")
			os.Mkdir(dir, 0o700)
			victim := filepath.Join(t.TempDir(), "victim")
			os.WriteFile(victim, []byte("precious"), 0o644)
			os.Symlink(victim, filepath.Join(dir, name))
			m2mIn(t, srv, creds, dir)
			if body, _ := os.ReadFile(victim); string(body) != "precious" {
				t.Fatalf("the link's target was written: %q", body)
			}
			if fi, err := os.Stat(victim); err != nil || fi.Mode().Perm() != 0o644 {
				t.Errorf("the link's target changed mode: %v %v", fi.Mode(), err)
			}
		})
	}
	// A pending two-cell login behind a link is refused too.
	dir := t.TempDir()
	opts := &OAuthOptions{Flow: FlowCopyCode, Prompter: &fakePrompter{}, Common: Common{AuthServer: srv.URL, CacheDir: dir}}
	if err := StartLogin(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	pendings, _ := filepath.Glob(filepath.Join(dir, "*.pending.json"))
	if len(pendings) != 1 {
		t.Fatalf("pending files %v", pendings)
	}
	elsewhere := filepath.Join(t.TempDir(), "pending.json")
	os.Rename(pendings[0], elsewhere)
	os.Symlink(elsewhere, pendings[0])
	if _, err := FinishLogin(context.Background(), "some-code", opts); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("FinishLogin through a planted link: %v", err)
	}
}
