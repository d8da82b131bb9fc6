package main

// Exit codes, documented in the package doc and in "cartoauth help".
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInteraction = 3
)
