package browser

import (
	"strings"
	"sync"
)

var outMu sync.Mutex

// lockedWriter appends to a strings.Builder under outMu (process output arrives from
// os/exec's copying goroutines).
type lockedWriter struct{ b *strings.Builder }

func (w *lockedWriter) Write(p []byte) (int, error) {
	outMu.Lock()
	defer outMu.Unlock()
	return w.b.Write(p)
}

func lockedString(b *strings.Builder) string {
	outMu.Lock()
	defer outMu.Unlock()
	return b.String()
}
