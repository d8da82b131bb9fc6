package cache

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/carto-go/carto-auth/internal/hint"
)

// ErrUnsafeDir means the token cache folder cannot be trusted with tokens: it is a symbolic
// link, belongs to another user, or other users can write to it.
var ErrUnsafeDir = errors.New("the token cache folder is not safe")

// EnsurePrivateDir creates dir as 0700 if it is missing and checks that it is safe to use. A
// folder that already exists keeps its mode: it is used as it is, or refused.
func EnsurePrivateDir(dir string) error {
	err := CheckPrivateDir(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the token cache folder: %w", err)
	}
	return CheckPrivateDir(dir) // someone may have made it first
}

// CheckPrivateDir checks dir without following a symbolic link; a missing dir wraps
// fs.ErrNotExist.
func CheckPrivateDir(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return err
	case err != nil:
		return fmt.Errorf("token cache folder: %w", err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return unsafeDir(dir, "it is a symbolic link")
	case !fi.IsDir():
		return unsafeDir(dir, "it is not a folder")
	case othersCanWrite(fi.Mode()):
		return unsafeDir(dir, fmt.Sprintf("other users can write to it (mode %04o)", fi.Mode().Perm()))
	}
	if err := ownedByMe(fi); err != nil {
		return unsafeDir(dir, err.Error())
	}
	return nil
}

func unsafeDir(dir, why string) error {
	return hint.With(fmt.Errorf("%w: %s: %s", ErrUnsafeDir, dir, why), hint.CacheDir)
}

// OpenPrivate opens a file of the cache folder without following a symbolic link, and accepts
// only a regular file of the current user: a link or a device planted in the folder is refused.
// A file other users can read is made 0600.
func OpenPrivate(path string, flag int, perm fs.FileMode) (*os.File, error) {
	f, err := os.OpenFile(path, flag|noFollow, perm)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s is a symbolic link; refusing to follow it (remove it)", path)
		}
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file (remove it)", path)
	}
	if err == nil {
		if oerr := ownedByMe(fi); oerr != nil {
			err = fmt.Errorf("%s: %v (remove it)", path, oerr)
		}
	}
	if err == nil && OthersCanRead(fi.Mode()) {
		// Restored from a backup, say: the tokens in it are the user's alone again.
		if cerr := f.Chmod(0o600); cerr != nil {
			err = fmt.Errorf("%s: other users can read it (mode %04o) and it cannot be made 0600: %v", path, fi.Mode().Perm(), cerr)
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// ReadPrivate reads a small file of the cache folder (at most 1 MiB) through OpenPrivate.
func ReadPrivate(path string) ([]byte, error) {
	f, err := OpenPrivate(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f)
}

// Withdraw takes a cache entry off disk: removed, or else (a file another process holds open on
// Windows) emptied in place, which needs no free space and reads as no entry.
func Withdraw(path string, remove func(string) error) error {
	err := remove(path)
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	f, terr := OpenPrivate(path, os.O_WRONLY|os.O_TRUNC, 0)
	if terr != nil {
		return fmt.Errorf("removing: %w; emptying: %w", err, terr)
	}
	return f.Close()
}

// WriteFileAtomic writes a file of the cache folder: a temporary file in the same folder (0600),
// fsync, rename over path, fsync of the folder. A reader sees the old file or the new one,
// never a torn one.
func WriteFileAtomic(path string, body []byte) (err error) {
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

// readLimited reads at most 1 MiB: cache files are small.
func readLimited(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, 1<<20+1))
	if err != nil {
		return nil, err
	}
	if len(body) > 1<<20 {
		return nil, errors.New("the file is larger than 1 MiB")
	}
	return body, nil
}
