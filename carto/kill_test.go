package carto

import (
	"log/slog"
	"math/rand/v2"
	"os"
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
		if i == 1 {
			os.WriteFile(os.Getenv("WORKER_SAVED"), nil, 0o600) // the first save is complete
		}
	}
}

func TestKilledWriterNeverLeavesATornCacheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := newStore(dir, killTestID, nil).path()
	for i := range 25 {
		saved := filepath.Join(t.TempDir(), "saved")
		cmd, out := startWorker(t, "write-loop", "WORKER_DIR="+dir, "WORKER_SAVED="+saved)
		if !waitForFile(saved, 20*time.Second) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("the writer never completed its first save:\n%s", out)
		}
		time.Sleep(time.Duration(rand.IntN(20_000)) * time.Microsecond) // somewhere in a later write
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		e, err := readEntry(path)
		if err != nil {
			t.Fatalf("after kill %d the cache file does not parse: %v", i, err)
		}
		if e.Identity != killTestID {
			t.Fatalf("after kill %d: foreign entry", i)
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		t.Errorf("cache files: %v", files)
	}
}
