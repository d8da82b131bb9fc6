package display

import (
	"os"

	"github.com/janpfeifer/gonb/gonbui"
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
)
