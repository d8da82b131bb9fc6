package apitokens

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
)

// lockWait bounds the wait for another process that is updating the record (it may be
// minting a token, one request to CARTO).
const lockWait = 30 * time.Second

// fileVersion is the record file's format.
const fileVersion = 1

// Store is the record file of one login.
type Store struct{ path string }

// PathFor is the record file beside a login's cache file ("" when the login has none).
func PathFor(cachePath string) string {
	if cachePath == "" {
		return ""
	}
	ext := filepath.Ext(cachePath)
	return cachePath[:len(cachePath)-len(ext)] + ".api-tokens.json"
}

// Open returns the store at path.
func Open(path string) *Store { return &Store{path: path} }

// Path is the record file.
func (s *Store) Path() string { return s.path }

type file struct {
	Version int      `json:"version"`
	Tokens  []Record `json:"tokens"`
}

// Read returns the records (none when the file does not exist). It takes no lock: the file
// is replaced whole, never written in place.
func (s *Store) Read() ([]Record, error) {
	if err := cache.CheckPrivateDir(filepath.Dir(s.path)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	body, err := cache.ReadPrivate(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the API token record: %w", err)
	}
	var f file
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&f); err != nil || f.Version != fileVersion {
		return nil, fmt.Errorf("the API token record %s is damaged or of another version (move it away to start a new one)", s.path)
	}
	return f.Tokens, nil
}

// Update changes the records under the record's lock: change gets them and returns the new
// list, which is written whole (a reader sees the old file or the new one). An error from
// change writes nothing.
func (s *Store) Update(ctx context.Context, change func([]Record) ([]Record, error)) error {
	dir := filepath.Dir(s.path)
	if err := cache.EnsurePrivateDir(dir); err != nil {
		return err
	}
	unlock, err := cache.LockFile(ctx, s.path+".lock", lockWait, "the API token record")
	if err != nil {
		return err
	}
	defer unlock()
	recs, err := s.Read()
	if err != nil {
		return err
	}
	next, err := change(recs)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(file{Version: fileVersion, Tokens: next}, "", "  ")
	if err != nil {
		return err
	}
	if err := cache.WriteFileAtomic(s.path, append(body, '\n')); err != nil {
		return fmt.Errorf("saving the API token record: %w", err)
	}
	return nil
}

// Forget removes the record at path and its lock ("" or a missing file: nothing to do); the
// tokens it held stay valid at CARTO until they expire.
func Forget(path string) error {
	if path == "" {
		return nil
	}
	for _, p := range []string{path, path + ".lock"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the API token record: %w", err)
		}
	}
	return nil
}
