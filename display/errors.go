package display

import "errors"

// ErrNoInput means nobody can answer the prompt: standard input is closed or not connected.
var ErrNoInput = errors.New("no input: standard input is closed")

// ErrNotNotebook means a Notebook prompter was used in a program that GoNB did not start, so
// there is no notebook cell to show the login in. Use Default to pick a terminal instead.
var ErrNotNotebook = errors.New("not running in a GoNB notebook cell")

// errNoURL is returned by Show for a login without a URL: there is nothing to open.
var errNoURL = errors.New("display: the login has no URL to open")

// defaultPrompt asks for the code when ReadCode is given no prompt.
const defaultPrompt = "Paste the code: "
