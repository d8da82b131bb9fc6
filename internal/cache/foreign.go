package cache

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadForeign reads a small file another program keeps (at most 1 MiB), such as CARTO's own
// CLI's login, without changing it: only a regular file of the current user that other users
// cannot write (a link is not followed, a device or FIFO is refused), in a folder of the
// current user that other users cannot write either (they could swap the file). othersCanRead
// says that other users can read it, which the caller should warn of. A missing file wraps
// fs.ErrNotExist.
func ReadForeign(path string) (body []byte, othersCanRead bool, err error) {
	if err := checkForeignDir(filepath.Dir(path)); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&os.ModeSymlink != 0 {
			return nil, false, fmt.Errorf("%s is a symbolic link; refusing to follow it", path)
		}
		return nil, false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	switch {
	case err != nil:
		return nil, false, err
	case !fi.Mode().IsRegular():
		return nil, false, fmt.Errorf("%s is not a regular file", path)
	case othersCanWrite(fi.Mode()):
		return nil, false, fmt.Errorf("%s: other users can write to it (mode %04o), so its login cannot be trusted", path, fi.Mode().Perm())
	}
	if err := ownedByMe(fi); err != nil {
		return nil, false, fmt.Errorf("%s: %v", path, err)
	}
	body, err = readLimited(f)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	return body, OthersCanRead(fi.Mode()), nil
}

// checkForeignDir accepts the folder of a foreign file: a folder (not a link) of the current
// user that other users cannot write.
func checkForeignDir(dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link; refusing to read a login through it", dir)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	case othersCanWrite(fi.Mode()):
		return fmt.Errorf("other users can write to %s (mode %04o), so a login file in it cannot be trusted", dir, fi.Mode().Perm())
	}
	if err := ownedByMe(fi); err != nil {
		return fmt.Errorf("%s: %v, so a login file in it cannot be trusted", dir, err)
	}
	return nil
}
