package carto

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/carto-go/carto-auth/internal/wire"
)

// ErrUnsafeCacheDir means the token cache folder cannot be trusted with tokens: it is a
// symbolic link, belongs to another user, or other users can write to it. Tokens are then kept
// in memory only.
var ErrUnsafeCacheDir = errors.New("the token cache folder is not safe")

// CheckCacheDir reports whether the cache folder dir ("" means the default, see [CacheDir])
// can hold tokens: nil when it is a folder of the current user that no one else can write to,
// or when it does not exist yet (it is then created 0700). The error wraps ErrUnsafeCacheDir
// and says what to do.
func CheckCacheDir(dir string) error {
	dir, err := cacheDir(dir)
	if err != nil {
		return err
	}
	err = checkPrivateDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// ensurePrivateDir creates dir as 0700 if it is missing and checks that it is safe to use. A
// folder that already exists keeps its mode: it is used as it is, or refused.
func ensurePrivateDir(dir string) error {
	err := checkPrivateDir(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the token cache folder: %w", err)
	}
	return checkPrivateDir(dir) // someone may have made it first
}

// checkPrivateDir checks dir without following a symbolic link; a missing dir wraps
// fs.ErrNotExist.
func checkPrivateDir(dir string) error {
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
	return fmt.Errorf("%w: %s: %s; use a folder of your own (set %s or CacheDir), or remove this one so that it is made anew with mode 0700",
		ErrUnsafeCacheDir, dir, why, EnvCacheDir)
}

// openPrivate opens a file of the cache folder without following a symbolic link, and accepts
// only a regular file of the current user: a link or a device planted in the folder is refused.
func openPrivate(path string, flag int, perm fs.FileMode) (*os.File, error) {
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
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// readPrivate reads a small file of the cache folder through openPrivate.
func readPrivate(path string) ([]byte, error) {
	f, err := openPrivate(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return wire.ReadLimited(f)
}
