package display

import (
	"os"

	"github.com/janpfeifer/gonb/gonbui"
)

// Default returns the Prompter for this program: a Notebook when GoNB started it (see
// gonbui.IsNotebook), otherwise a Terminal reading os.Stdin and writing os.Stderr.
func Default() Prompter {
	if gonbui.IsNotebook {
		return NewNotebook()
	}
	return NewTerminal(os.Stdin, os.Stderr)
}

// Both prompters satisfy Prompter.
var (
	_ Prompter = (*Notebook)(nil)
	_ Prompter = (*Terminal)(nil)
)
