//go:build windows

package cache

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// tryLock takes an exclusive LockFileEx lock on the first byte past the PID record, without
// waiting; the lock dies with its process, like flock.
func tryLock(f *os.File) (bool, error) {
	ol := new(windows.Overlapped)
	ol.Offset = lockRecordLen
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return false, nil
	}
	return err == nil, err
}

func unlock(f *os.File) {
	ol := new(windows.Overlapped)
	ol.Offset = lockRecordLen
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}

// replaceFile renames tmp over path, retrying for a moment while another process has path
// open (Windows refuses to replace an open file).
func replaceFile(tmp, path string) error {
	var err error
	for wait := 10 * time.Millisecond; wait < 2*time.Second; wait *= 2 {
		if err = os.Rename(tmp, path); err == nil || !(errors.Is(err, windows.ERROR_ACCESS_DENIED) || errors.Is(err, windows.ERROR_SHARING_VIOLATION)) {
			return err
		}
		time.Sleep(wait)
	}
	return err
}
