//go:build unix

package cache

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// noFollow makes an open fail on a symbolic link instead of following it, and keeps it from
// blocking on a planted FIFO (which is then refused as not a regular file).
const noFollow = syscall.O_NOFOLLOW | syscall.O_NONBLOCK

// ownedByMe reports why fi, a cache folder or file, must not be trusted: it belongs to another
// user, who could plant tokens in it or read them.
func ownedByMe(fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if me := os.Geteuid(); int(st.Uid) != me {
		return fmt.Errorf("it belongs to user %d, not to you (user %d)", st.Uid, me)
	}
	if !fi.IsDir() && st.Nlink > 1 {
		return fmt.Errorf("it has %d hard links; another name may belong to someone else", st.Nlink)
	}
	return nil
}

// OthersCanRead reports whether users other than the owner may read a file of mode m.
func OthersCanRead(m fs.FileMode) bool { return m.Perm()&0o044 != 0 }

// othersCanWrite reports whether users other than the owner may add or replace files in a
// folder of mode m.
func othersCanWrite(m fs.FileMode) bool { return m.Perm()&0o022 != 0 }
