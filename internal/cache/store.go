package cache

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// store is one identity's cache file and its lock. The zero store (no folder) keeps nothing.
type store struct {
	dir  string
	base string // file name without extension
	id   Identity
	log  *slog.Logger
	// write replaces WriteFileAtomic in tests (a full disk).
	write func(path string, body []byte) error
	// tryLock replaces the flock in tests (a file system without locks).
	tryLock func(*os.File) (bool, error)
}

func newStore(dir string, id Identity, log *slog.Logger) *store {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sum := sha256.Sum256(identityKey(id))
	return &store{dir: dir, base: "gonbauth-" + id.Kind + "-" + hex.EncodeToString(sum[:8]), id: id, log: log}
}

func (s *store) enabled() bool { return s.dir != "" }

func (s *store) path() string        { return filepath.Join(s.dir, s.base+".json") }
func (s *store) pendingPath() string { return filepath.Join(s.dir, s.base+".pending.json") }

// load returns the cached entry, or nil on a miss. A missing, unreadable, corrupt, foreign or
// truncated file is a miss: it is logged and replaced on the next save.
func (s *store) load() *Entry {
	if !s.enabled() {
		return nil
	}
	e, err := ReadEntry(s.path())
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		s.log.Warn("ignoring token cache file", "path", s.path(), "reason", err)
		return nil
	case e.Identity != s.id:
		s.log.Warn("ignoring token cache file", "path", s.path(), "reason", "it belongs to another identity")
		return nil
	}
	return e
}

// save writes e atomically (see WriteFileAtomic).
func (s *store) save(e *Entry) error {
	if !s.enabled() {
		return nil
	}
	if err := EnsurePrivateDir(s.dir); err != nil {
		return err
	}
	s.removeStaleTemps()
	body, err := Marshal(e)
	if err != nil {
		return err
	}
	if s.write != nil {
		return s.write(s.path(), body)
	}
	return WriteFileAtomic(s.path(), body)
}

// remove deletes the cache file and a pending two-cell login; a missing file is not an error.
func (s *store) remove() error {
	if !s.enabled() {
		return nil
	}
	os.Remove(s.pendingPath()) // a started two-cell login holds a PKCE verifier
	if err := os.Remove(s.path()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing the token cache file: %w", err)
	}
	return nil
}

func (s *store) logoutPath() string { return filepath.Join(s.dir, s.base+".logout") }

// markLoggedOut leaves a new logout mark: a random value that no earlier mark had, which a
// process holding an entry it could not save compares with the mark it saw then.
func (s *store) markLoggedOut() error {
	if !s.enabled() {
		return nil
	}
	var nonce [16]byte
	rand.Read(nonce[:])
	return WriteFileAtomic(s.logoutPath(), []byte(hex.EncodeToString(nonce[:])+"\n"))
}

// logoutMark is the logout mark on disk, "" when there is none (or it cannot be read).
func (s *store) logoutMark() string {
	if !s.enabled() {
		return ""
	}
	body, err := ReadPrivate(s.logoutPath())
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(body))
}

// removeStaleTemps deletes temporary files left by writers killed mid-write (readers never
// look at them; this only keeps the folder tidy). Recent ones may belong to a live writer.
func (s *store) removeStaleTemps() {
	temps, _ := filepath.Glob(filepath.Join(s.dir, "."+s.base+".json.*.tmp"))
	for _, t := range temps {
		if fi, err := os.Stat(t); err == nil && time.Since(fi.ModTime()) > time.Minute {
			os.Remove(t)
		}
	}
}

// identityKey is json.Marshal(id), the bytes a cache file's name is hashed from, written out by
// hand for the usual identity (plain ASCII values), which saves a start of the reflective
// encoder on every cell's and every `cartoauth token`'s path; any other falls back to
// json.Marshal itself. The names of existing cache files depend on these bytes: the test holds
// them to json.Marshal's.
func identityKey(id Identity) []byte {
	fields := [...]struct {
		name, value string
		omitEmpty   bool
	}{{"kind", id.Kind, false}, {"auth_server", id.AuthServer, false}, {"client_id", id.ClientID, false},
		{"organization", id.Organization, true}, {"api_base_url", id.APIBaseURL, true}, {"profile", id.Profile, true}}
	b := make([]byte, 0, 160)
	for _, f := range fields {
		if f.omitEmpty && f.value == "" {
			continue
		}
		if !plainJSON(f.value) {
			key, _ := json.Marshal(id)
			return key
		}
		if len(b) == 0 {
			b = append(b, '{')
		} else {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, f.name...)
		b = append(b, `":"`...)
		b = append(b, f.value...)
		b = append(b, '"')
	}
	return append(b, '}')
}

// plainJSON reports whether json.Marshal writes s between quotes as it is: printable ASCII
// without '"', '\\' or the characters it escapes for HTML.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}
