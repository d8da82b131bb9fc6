package display

import "errors"

// ErrNoInput means nobody can answer the prompt: standard input is closed or not connected.
var ErrNoInput = errors.New("no input: standard input is closed")
