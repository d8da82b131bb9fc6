//go:build unix

package cache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadForeign: another program's file is read only when it is a regular file of this user
// that nobody else can write; one others can read is read, and said so; nothing is changed.
func TestReadForeign(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, mode fs.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(`{"a":1}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name       string
		mode       fs.FileMode
		readable   bool
		refusedFor string // "" when read
	}{
		{"private", 0o600, false, ""},
		{"readable", 0o644, true, ""},
		{"group-writable", 0o620, false, "other users can write"},
		{"world-writable", 0o602, false, "other users can write"},
	} {
		p := write(tc.name, tc.mode)
		body, readable, err := ReadForeign(p)
		switch {
		case tc.refusedFor == "" && (err != nil || string(body) != `{"a":1}` || readable != tc.readable):
			t.Errorf("%s: %q, readable %v, %v", tc.name, body, readable, err)
		case tc.refusedFor != "" && (err == nil || !strings.Contains(err.Error(), tc.refusedFor)):
			t.Errorf("%s: want refused for %q, got %v", tc.name, tc.refusedFor, err)
		}
		if fi, _ := os.Stat(p); fi.Mode().Perm() != tc.mode {
			t.Errorf("%s: mode changed to %04o", tc.name, fi.Mode().Perm())
		}
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(write("target", 0o600), link); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadForeign(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a symbolic link was followed: %v", err)
	}
	if _, _, err := ReadForeign(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a folder was read: %v", err)
	}
	if _, _, err := ReadForeign(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

// TestReadForeignChecksTheFolder: a file in a folder others can write, reached through a
// linked folder, or in a folder of another user is refused (its owner could swap it).
func TestReadForeignChecksTheFolder(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	mk := func(name string, mode fs.FileMode) string {
		d := filepath.Join(base, name)
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(d, mode); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "login.json"), []byte(`{}`), 0o600); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if _, _, err := ReadForeign(filepath.Join(mk("home", 0o755), "login.json")); err != nil {
		t.Fatalf("a file in an ordinary home folder: %v", err)
	}
	if _, _, err := ReadForeign(filepath.Join(mk("open", 0o777), "login.json")); err == nil || !strings.Contains(err.Error(), "other users can write") {
		t.Errorf("a folder others can write: %v", err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(mk("real", 0o700), link); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadForeign(filepath.Join(link, "login.json")); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("a linked folder: %v", err)
	}
	if os.Geteuid() == 0 { // root can make a folder of another user (as notebooks and CI run)
		other := mk("other", 0o755)
		if err := os.Chown(other, 1000, 1000); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ReadForeign(filepath.Join(other, "login.json")); err == nil {
			t.Error("a folder of another user: read")
		}
	}
}
