package cache

import (
	"context"
	"fmt"
	"os"
	"time"
)

// LockFile takes an exclusive lock on path (a private lock file, created 0600 when missing,
// never through a symbolic link), waiting at most limit for another process that holds it;
// what says what the lock guards, for the error. release releases it. A file system without
// locks (ENOLCK) is an error: the caller decides whether to go on without it.
func LockFile(ctx context.Context, path string, limit time.Duration, what string) (release func(), err error) {
	f, err := OpenPrivate(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the lock of %s: %w", what, err)
	}
	deadline := time.Now().Add(limit)
	for {
		ok, err := tryLock(f)
		switch {
		case err != nil:
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", what, err)
		case ok:
			return func() { unlock(f); f.Close() }, nil
		case time.Now().After(deadline):
			f.Close()
			return nil, fmt.Errorf("waited %s for the lock on %s, which another process holds (%s)", limit, what, path)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for the lock on %s: %w", what, context.Cause(ctx))
		case <-time.After(lockPoll):
		}
	}
}
