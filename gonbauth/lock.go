package gonbauth

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// lockPoll is how often a busy lock is tried again; lockNotice is how long a wait lasts before
// the waiter is told who holds the lock.
var (
	lockPoll   = 25 * time.Millisecond
	lockNotice = time.Second
)

// lock takes the identity's cross-process lock, held across read → refresh/login → write.
// The lock is an flock on a separate file, so it dies with its process: a killed holder never
// blocks anyone. onWait, if not nil, is called once when the wait passes lockNotice, with the
// holder's process id. The returned func releases the lock.
func (s *store) lock(ctx context.Context, onWait func(holderPID int)) (func(), error) {
	if !s.enabled() {
		return func() {}, nil
	}
	if err := ensurePrivateDir(s.dir); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(s.dir, s.base+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the token cache lock: %w", err)
	}
	start := time.Now()
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking the token cache: %w", err)
		}
		if ok {
			break
		}
		if onWait != nil && time.Since(start) >= lockNotice {
			onWait(holderPID(f))
			onWait = nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for another process using the token cache: %w", ctx.Err())
		case <-time.After(lockPoll):
		}
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())), 0)
	return func() {
		unlock(f)
		f.Close()
	}, nil
}

func holderPID(f *os.File) int {
	buf := make([]byte, 16)
	n, _ := f.ReadAt(buf, 0)
	pid, _ := strconv.Atoi(strings.TrimSpace(string(buf[:n])))
	return pid
}
