package kernel

import (
	"context"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/e2e/testenv"
)

// StartT starts a kernel for a test: it applies the skip policy (testenv) when gonb or
// goimports is missing, fails the test if the kernel does not start, and shuts the kernel down
// on cleanup (logging its stderr if the test failed).
func StartT(t testing.TB, opts Options) *Kernel {
	t.Helper()
	if opts.Gonb == "" {
		opts.Gonb = testenv.Gonb(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	start := time.Now()
	k, err := Start(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("gonb kernel pid %d ready in %v", k.PID(), time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() {
		k.Shutdown()
		if t.Failed() {
			t.Logf("--- gonb stderr ---\n%s", k.Stderr())
		}
	})
	return k
}
