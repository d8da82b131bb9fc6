package carto

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// store is one identity's cache file and its lock. The zero store (no folder) keeps nothing.
type store struct {
	dir  string
	base string // file name without extension
	id   identity
	log  *slog.Logger
	// write replaces writeFileAtomic in tests (a full disk).
	write func(path string, body []byte) error
}

func newStore(dir string, id identity, log *slog.Logger) *store {
	key, _ := json.Marshal(id)
	sum := sha256.Sum256(key)
	return &store{dir: dir, base: "gonbauth-" + id.Kind + "-" + hex.EncodeToString(sum[:8]), id: id, log: log}
}

func (s *store) enabled() bool { return s.dir != "" }

// pendingPath is where a two-cell login waits for its code (see StartLogin).
func (s *store) pendingPath() string { return filepath.Join(s.dir, s.base+".pending.json") }
func (s *store) path() string        { return filepath.Join(s.dir, s.base+".json") }

// load returns the cached entry, or nil on a miss. A missing, unreadable, corrupt, foreign or
// truncated file is a miss: it is logged and replaced on the next save.
func (s *store) load() *entry {
	if !s.enabled() {
		return nil
	}
	e, err := readEntry(s.path())
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

// readEntry reads and checks one cache file.
func readEntry(path string) (*entry, error) {
	body, err := readPrivate(path)
	if err != nil {
		return nil, err
	}
	return parseEntry(body)
}

// parseEntry checks the contents of one cache file.
func parseEntry(body []byte) (*entry, error) {
	var e entry
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("not a token cache file: %w", err)
	}
	if e.Version != entryVersion || e.AccessToken == "" || e.Expiry <= 0 || e.IssuedAt <= 0 {
		return nil, errors.New("not a token cache file of this version")
	}
	return &e, nil
}

// save writes e atomically: a temporary file in the same folder, fsync, rename. A reader sees
// the old entry or the new one, never a torn file.
func (s *store) save(e *entry) error {
	if !s.enabled() {
		return nil
	}
	if err := ensurePrivateDir(s.dir); err != nil {
		return err
	}
	s.removeStaleTemps()
	body, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return err
	}
	if s.write != nil {
		return s.write(s.path(), body)
	}
	return writeFileAtomic(s.path(), body)
}

// remove deletes the cache file; a missing file is not an error.
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

// withdraw takes a cache entry off disk: removed, or else (a file another process holds open on
// Windows) emptied in place, which needs no free space and reads as no entry.
func withdraw(path string, remove func(string) error) error {
	err := remove(path)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	f, terr := openPrivate(path, os.O_WRONLY|os.O_TRUNC, 0)
	if terr != nil {
		return fmt.Errorf("removing: %w; emptying: %w", err, terr)
	}
	return f.Close()
}

func writeFileAtomic(path string, body []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	if _, err = tmp.Write(body); err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	if err = replaceFile(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing the token cache: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

// syncDir makes a rename durable; failure only weakens durability, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
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
