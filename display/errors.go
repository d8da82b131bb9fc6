package display

import (
	"errors"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// ErrNoInput means nobody can answer the prompt: standard input is closed or not connected.
var ErrNoInput = prompt.ErrNoInput

// ErrNotNotebook means a Notebook prompter was used in a program that GoNB did not start, so
// there is no notebook cell to show the login in. Use Default to pick a terminal instead.
var ErrNotNotebook = errors.New("not running in a GoNB notebook cell")
