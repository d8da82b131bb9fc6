package carto

import (
	"os"
	"strings"
	"sync"

	"golang.org/x/term"

	"github.com/carto-go/carto-auth/internal/flow"
	"github.com/carto-go/carto-auth/internal/where"
)

// facts are what the engine knows of where it runs: the environment, whether standard input
// is a terminal, which files exist (container markers), and whether a notebook run is
// unattended (CI, or a runner such as papermill among the parent processes). readFacts reads
// them, once for each call of a public function; nothing else in the engine reads the
// environment. Tests build them.
type facts struct {
	env           map[string]string
	stdinTerminal bool
	exists        func(path string) bool
	// unattended says why nobody sits at a notebook run ("CI is set", "run by papermill"), or
	// "" (read when first asked: it walks the parent processes).
	unattended func() string
}

// readFacts reads the facts of this process.
func readFacts() *facts {
	f := &facts{env: map[string]string{}, stdinTerminal: term.IsTerminal(int(os.Stdin.Fd())), exists: flow.FileExists}
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			f.env[k] = v
		}
	}
	f.unattended = sync.OnceValue(func() string { return where.Unattended(f.getenv) })
	return f
}

// getenv is the environment variable k, "" when unset.
func (f *facts) getenv(k string) string { return f.env[k] }
