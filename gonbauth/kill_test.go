package gonbauth

import (
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var killTestID = identity{Kind: kindM2M, AuthServer: "http://127.0.0.1:1", ClientID: "kill-test"}

// writeLoopWorker rewrites one cache entry as fast as it can until it is killed.
func writeLoopWorker() int {
	s := newStore(os.Getenv("WORKER_DIR"), killTestID, slog.New(slog.DiscardHandler))
	pad := strings.Repeat("x", 64<<10) // a large entry widens the window for a torn write
	for i := int64(1); ; i++ {
		e := &entry{Version: entryVersion, Identity: killTestID, AccessToken: pad, Expiry: i + 1e9, IssuedAt: i}
		if err := s.save(e); err != nil {
			return 1
		}
	}
}

func TestKilledWriterNeverLeavesATornCacheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := newStore(dir, killTestID, nil).path()
	seen := 0
	for i := range 25 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "GONBAUTH_WORKER=write-loop", "WORKER_DIR="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(20+rand.IntN(40)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		e, err := readEntry(path)
		if os.IsNotExist(err) && i < 3 {
			continue // killed before its first rename
		}
		if err != nil {
			t.Fatalf("after kill %d the cache file does not parse: %v", i, err)
		}
		if e.Identity != killTestID {
			t.Fatalf("after kill %d: foreign entry", i)
		}
		seen++
	}
	if seen < 20 {
		t.Errorf("only %d of 25 kills happened after a write; the test did not exercise the writer", seen)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Errorf("cache files: %v", files)
	}
}
