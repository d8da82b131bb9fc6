package cache

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Lock timing. A busy lock is tried again every lockPoll; after lockNotice the waiter is told
// who holds it. A caller that cannot prompt gives up on a holder in an interactive login after
// interactiveHolderPatience (that login may take minutes); any wait ends after lockLimit unless
// the caller gives its own limit.
var (
	lockPoll                  = 25 * time.Millisecond
	lockNotice                = time.Second
	interactiveHolderPatience = 3 * time.Second
	lockLimit                 = 3 * time.Minute
)

// Wait is how a caller waits for another caller (in this process or another) holding an
// identity's lock.
type Wait struct {
	// MayPrompt: the caller could log in interactively itself, so it waits for another's
	// interactive login to end (and adopts its token) rather than give up.
	MayPrompt bool
	// NoWait: a busy lock ends the call at once with ErrBusy (a renewal ahead of expiry, which
	// keeps the current token).
	NoWait bool
	// Limit bounds the whole wait; 0 means three minutes.
	Limit time.Duration
	// Notice, if not nil, is called once when the wait passes a second, to tell the person.
	Notice func(Holder)
}

// max is the bound of the wait.
func (w Wait) max() time.Duration {
	if w.Limit > 0 {
		return w.Limit
	}
	return lockLimit
}

// Holder is what the lock file says about the process holding it.
type Holder struct {
	PID         int
	Interactive bool // in an interactive login, which waits for a person
}

func (h Holder) String() string {
	if h.PID <= 0 {
		return "another process"
	}
	if name := processName(h.PID); name != "" {
		return fmt.Sprintf("process %d (%s)", h.PID, name)
	}
	return fmt.Sprintf("process %d", h.PID)
}

// The lock file holds a fixed-width record "<pid> <mode>\n", rewritten in place (never
// truncated) by each holder: mode 'r' while renewing, 'i' once an interactive login starts,
// '-' once released.
const (
	lockRecordLen  = 13
	lockModeOffset = 11
)

// errCacheUnusable wraps the errors of a cache folder or lock file that cannot be used; the
// caller then keeps tokens in memory.
var errCacheUnusable = errors.New("the token cache cannot be used")

// errNoLocks marks a cache that cannot be used because its file system has no file locks
// (some NFS, FUSE or 9p mounts); its files can still be read and removed.
var errNoLocks = errors.New("its file system has no file locks")

// heldLock is a held cross-process lock; the zero heldLock (no cache) holds nothing, and a
// degraded one stands for a lock that could not be used: the cache is then not touched.
type heldLock struct {
	f        *os.File
	degraded bool
	noLocks  bool  // degraded because the file system has no locks: the folder itself is fine
	reason   error // why it is degraded
}

// unlock releases the lock, leaving a record that names no holder.
func (h *heldLock) unlock() {
	if h != nil && h.f != nil {
		h.f.WriteAt(fmt.Appendf(nil, "%10d -\n", 0), 0)
		unlock(h.f)
		h.f.Close()
	}
}

// markInteractive tells waiters that the holder now waits for a person.
func (h *heldLock) markInteractive() {
	if h != nil && h.f != nil {
		h.f.WriteAt([]byte{'i'}, lockModeOffset)
	}
}

// tryFlock takes the flock on f if it is free.
func (s *store) tryFlock(f *os.File) (bool, error) {
	if s.tryLock != nil {
		return s.tryLock(f)
	}
	return tryLock(f)
}

// lock takes the identity's cross-process lock, held across read → renew → write. It is an
// flock on a separate file, so it dies with its process: a killed holder never blocks anyone.
func (s *store) lock(ctx context.Context, w Wait) (*heldLock, error) {
	f, err := s.openLock()
	if f == nil || err != nil {
		return &heldLock{}, err
	}
	start, interactiveSince, seen := time.Now(), time.Time{}, Holder{}
	for {
		ok, err := s.tryFlock(f)
		if err != nil { // a file system without locks (some NFS, FUSE or 9p mounts)
			f.Close()
			return nil, fmt.Errorf("%w: %w: locking %s: %w", errCacheUnusable, errNoLocks, f.Name(), err)
		}
		if ok {
			f.WriteAt(fmt.Appendf(nil, "%10d r\n", os.Getpid()), 0)
			return &heldLock{f: f}, nil
		}
		if w.NoWait {
			f.Close()
			return nil, ErrBusy
		}
		holder, waited := readHolder(f), time.Since(start)
		if w.Notice != nil && waited >= lockNotice {
			w.Notice(holder)
			w.Notice = nil
		}
		switch {
		case !holder.Interactive:
			interactiveSince = time.Time{}
		case interactiveSince.IsZero() || holder != seen:
			interactiveSince = time.Now()
		}
		seen = holder
		if err := giveUp(w.MayPrompt, holder, waited, w.max(), interactiveSince); err != nil {
			f.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for %s, which is using this login's token cache: %w", holder, ctx.Err())
		case <-time.After(lockPoll):
		}
	}
}

// giveUp says why a wait for a busy lock must end, or nil to go on waiting.
func giveUp(mayPrompt bool, holder Holder, waited, limit time.Duration, interactiveSince time.Time) error {
	if !mayPrompt && !interactiveSince.IsZero() && time.Since(interactiveSince) >= interactiveHolderPatience {
		return &InteractiveError{Holder: holder}
	}
	if waited >= limit {
		return fmt.Errorf("gave up after %s waiting for %s, which holds this login's token cache lock; stop it or try again", limit, holder)
	}
	return nil
}

// tryLockNow takes the lock if it is free at once; nil when it is busy or unusable.
func (s *store) tryLockNow() *heldLock {
	f, err := s.openLock()
	if f == nil || err != nil {
		return nil
	}
	if ok, _ := s.tryFlock(f); !ok {
		f.Close()
		return nil
	}
	f.WriteAt(fmt.Appendf(nil, "%10d r\n", os.Getpid()), 0)
	return &heldLock{f: f}
}

// lockUsable reports, without opening it, whether the lock file could be used: missing, or a
// regular file of this user. A cache whose lock cannot be used is not read at all.
func (s *store) lockUsable() bool {
	if !s.enabled() {
		return false
	}
	fi, err := os.Lstat(filepath.Join(s.dir, s.base+".lock"))
	if errors.Is(err, fs.ErrNotExist) {
		return CheckPrivateDir(s.dir) == nil
	}
	return err == nil && fi.Mode().IsRegular() && ownedByMe(fi) == nil
}

// openLock opens the lock file (nil, nil without a cache), refusing links and foreign files.
func (s *store) openLock() (*os.File, error) {
	if !s.enabled() {
		return nil, nil
	}
	if err := EnsurePrivateDir(s.dir); err != nil {
		return nil, fmt.Errorf("%w: %w", errCacheUnusable, err)
	}
	f, err := OpenPrivate(filepath.Join(s.dir, s.base+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: opening the lock: %w", errCacheUnusable, err)
	}
	return f, nil
}

func readHolder(f *os.File) Holder {
	buf := make([]byte, lockRecordLen)
	n, _ := f.ReadAt(buf, 0)
	rec := string(buf[:n])
	pid, _ := strconv.Atoi(strings.TrimSpace(rec[:min(len(rec), lockModeOffset-1)]))
	return Holder{PID: pid, Interactive: n > lockModeOffset && rec[lockModeOffset] == 'i'}
}

// processName is the command name of pid where the system tells it (Linux), else "".
func processName(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// ErrBusy ends a renewal that may not wait (one ahead of expiry): someone else is at it.
var ErrBusy = errors.New("the token is being renewed by another caller")

// InteractiveError means the lock is held for an interactive login, by another process or by
// this one (Self), and the caller may not wait for a person.
type InteractiveError struct {
	Holder Holder
	Self   bool
}

func (e *InteractiveError) Error() string {
	if e.Self {
		return fmt.Sprintf("this process (%d) is logging in to this CARTO account interactively", os.Getpid())
	}
	return fmt.Sprintf("%s is logging in to this CARTO account interactively", e.Holder)
}
