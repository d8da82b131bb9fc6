//go:build unix

package where

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadScriptRefusesFIFOs: a FIFO in a script's place never blocks the login.
func TestReadScriptRefusesFIFOs(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "run.py")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	done := make(chan []byte, 1)
	go func() { done <- readScript(fifo) }()
	select {
	case b := <-done:
		if b != nil {
			t.Errorf("read %q from a FIFO", b)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("readScript blocked on a FIFO")
	}
}
