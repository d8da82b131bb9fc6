//go:build unix

package flow

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checksOwner: folders have an owner and a mode to check.
const checksOwner = true

// privateFolder reports why fi (from Lstat) is not a folder only the current user may enter:
// a link, a file, another user's, or open to others.
func privateFolder(fi fs.FileInfo) error {
	if !fi.IsDir() {
		return errors.New("not a folder")
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("it belongs to user %d, not to you (user %d)", st.Uid, os.Geteuid())
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("others may enter it (mode %v)", fi.Mode().Perm())
	}
	return nil
}
