package notebooks_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/carto-go/carto-auth/e2e/testenv"
)

// TestMain holds the loopback port lock while the package runs: the notebooks' one-click login
// listens on port 10000, which other test packages (the real provider's) use too.
func TestMain(m *testing.M) {
	release, err := testenv.LockLoopbackPort()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	release()
	os.Exit(code)
}
