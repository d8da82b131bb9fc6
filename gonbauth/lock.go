package gonbauth

import (
	"context"
	"errors"
	"fmt"
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

// lockWait is how a caller waits for another process holding an identity's lock.
type lockWait struct {
	// mayPrompt: the caller could log in interactively itself, so it waits for another
	// process's interactive login to end (and adopts its token) rather than give up.
	mayPrompt bool
	// limit bounds the whole wait; 0 means lockLimit.
	limit time.Duration
	// notice, if not nil, is called once when the wait passes lockNotice.
	notice func(lockHolder)
}

// lockHolder is what the lock file says about the process holding it.
type lockHolder struct {
	pid         int
	interactive bool // in an interactive login, which waits for a person
}

func (h lockHolder) String() string {
	if h.pid <= 0 {
		return "another process"
	}
	if name := processName(h.pid); name != "" {
		return fmt.Sprintf("process %d (%s)", h.pid, name)
	}
	return fmt.Sprintf("process %d", h.pid)
}

// The lock file holds a fixed-width record "<pid> <mode>\n", rewritten in place (never
// truncated) by each holder: mode 'r' while renewing, 'i' once an interactive login starts.
const (
	lockRecordLen  = 13
	lockModeOffset = 11
)

// errCacheUnusable wraps the errors of a cache folder or lock file that cannot be used; the
// caller then keeps tokens in memory.
var errCacheUnusable = errors.New("the token cache cannot be used")

// heldLock is a held cross-process lock; the zero heldLock (no cache) holds nothing.
type heldLock struct{ f *os.File }

// unlock releases the lock.
func (h *heldLock) unlock() {
	if h != nil && h.f != nil {
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

// lock takes the identity's cross-process lock, held across read → renew → write. It is an
// flock on a separate file, so it dies with its process: a killed holder never blocks anyone.
func (s *store) lock(ctx context.Context, w lockWait) (*heldLock, error) {
	f, err := s.openLock()
	if f == nil || err != nil {
		return &heldLock{}, err
	}
	limit := w.limit
	if limit <= 0 {
		limit = lockLimit
	}
	start, interactiveSince := time.Now(), time.Time{}
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("locking the token cache: %w", err)
		}
		if ok {
			f.WriteAt(fmt.Appendf(nil, "%10d r\n", os.Getpid()), 0)
			return &heldLock{f}, nil
		}
		holder, waited := readHolder(f), time.Since(start)
		if w.notice != nil && waited >= lockNotice {
			w.notice(holder)
			w.notice = nil
		}
		if holder.interactive && interactiveSince.IsZero() {
			interactiveSince = time.Now()
		}
		if err := giveUp(w.mayPrompt, holder, waited, limit, interactiveSince); err != nil {
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
func giveUp(mayPrompt bool, holder lockHolder, waited, limit time.Duration, interactiveSince time.Time) error {
	if !mayPrompt && !interactiveSince.IsZero() && time.Since(interactiveSince) >= interactiveHolderPatience {
		return fmt.Errorf("%w: %w: %s is logging in to this CARTO account interactively, and this call may not prompt; finish (or stop) that login, then try again; %s",
			ErrInteractionRequired, ErrLoginInProgress, holder, m2mAdvice)
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
	if ok, _ := tryLock(f); !ok {
		f.Close()
		return nil
	}
	f.WriteAt(fmt.Appendf(nil, "%10d r\n", os.Getpid()), 0)
	return &heldLock{f}
}

// openLock opens the lock file (nil, nil without a cache), refusing links and foreign files.
func (s *store) openLock() (*os.File, error) {
	if !s.enabled() {
		return nil, nil
	}
	if err := ensurePrivateDir(s.dir); err != nil {
		return nil, fmt.Errorf("%w: %w", errCacheUnusable, err)
	}
	f, err := openPrivate(filepath.Join(s.dir, s.base+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("%w: opening the lock: %w", errCacheUnusable, err)
	}
	return f, nil
}

func readHolder(f *os.File) lockHolder {
	buf := make([]byte, lockRecordLen)
	n, _ := f.ReadAt(buf, 0)
	rec := string(buf[:n])
	pid, _ := strconv.Atoi(strings.TrimSpace(rec[:min(len(rec), lockModeOffset-1)]))
	return lockHolder{pid: pid, interactive: n > lockModeOffset && rec[lockModeOffset] == 'i'}
}

// processName is the command name of pid where the system tells it (Linux), else "".
func processName(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
