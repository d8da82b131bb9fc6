package display

import (
	"os"

	"github.com/carto-go/carto-auth/internal/render"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// InNotebook reports whether GoNB started this program (a notebook cell).
func InNotebook() bool { return gonbui.IsNotebook }

// Default returns the Prompter for this program: a Notebook when GoNB started it (see
// gonbui.IsNotebook), otherwise a Terminal reading os.Stdin and writing os.Stderr.
func Default() Prompter {
	if InNotebook() {
		return NewNotebook()
	}
	return NewTerminal(os.Stdin, os.Stderr)
}

// Both prompters satisfy Prompter.
var (
	_ Prompter = (*Notebook)(nil)
	_ Prompter = (*Terminal)(nil)
	// The card loads the probe image: the engine offers one-click logins through it.
	_ prompt.Prober = (*Notebook)(nil)
)

// HTML shows html as a new output of the current notebook cell and waits until the kernel has
// it; outside a notebook it does nothing. Notebooks use it to show results (a table) without
// importing gonbui themselves.
func HTML(html string) {
	if InNotebook() {
		gonbui.DisplayHTML(html)
		gonbui.Sync()
	}
}

// Table shows a table as a new output of the current notebook cell (see TableHTML); outside a
// notebook it does nothing.
func Table(headers []string, rows [][]string, more int) { HTML(TableHTML(headers, rows, more)) }

// TableHTML is a table as HTML: headers, rows (as many cells as headers), and, when more is
// positive, a line saying how many rows were left out. Headers and cells are escaped as text.
func TableHTML(headers []string, rows [][]string, more int) string {
	return render.Table(headers, rows, more)
}
