package testenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loopbackLockLimit bounds the wait for another test package that uses port 10000: longer
// than any package's own timeout.
const loopbackLockLimit = 40 * time.Minute

// LockLoopbackPort waits for, and takes, a machine-wide lock on the one-click/loopback port
// (10000, the redirect URI CARTO registered), so that test packages using it run one at a
// time even when `go test ./...` runs packages in parallel. Call it from TestMain (or use
// HoldLoopbackPort in the tests that need the port); the returned function releases it. The
// lock is an flock, so it dies with a killed test binary.
func LockLoopbackPort() (release func(), err error) {
	path := filepath.Join(os.TempDir(), "carto-auth-e2e-loopback.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("loopback port lock: %w", err)
	}
	start, told := time.Now(), false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			f.Truncate(0)
			f.WriteAt([]byte(fmt.Sprintf("%d %s\n", os.Getpid(), filepath.Base(os.Args[0]))), 0)
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("loopback port lock %s: %w", path, err)
		}
		holder, _ := os.ReadFile(path)
		if time.Since(start) > loopbackLockLimit {
			f.Close()
			return nil, fmt.Errorf("gave up after %s waiting for the loopback port lock %s, held by %s", loopbackLockLimit, path, strings.TrimSpace(string(holder)))
		}
		if !told && time.Since(start) > 2*time.Second {
			fmt.Fprintf(os.Stderr, "waiting for the loopback port (10000) lock, held by test process %s\n", strings.TrimSpace(string(holder)))
			told = true
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// HoldLoopbackPort takes the loopback port lock (see LockLoopbackPort) for the rest of test t.
func HoldLoopbackPort(t testing.TB) {
	t.Helper()
	release, err := LockLoopbackPort()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
}
