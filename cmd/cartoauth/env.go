package main

import "io"

// env is what a command talks to; tests of the binary see only the real streams.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}
