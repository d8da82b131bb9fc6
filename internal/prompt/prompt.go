// Package prompt is the contract between the login engine and whatever shows a login to a
// person (the notebook card, a terminal, a caller's own): plain data in, what the person typed
// out. The engine re-exports it (carto.Prompter, carto.LoginMessage, ...); it knows nothing of
// OAuth, HTML or GoNB.
package prompt

import (
	"context"
	"errors"
)

// DefaultTitle heads a login whose Title is empty, and the engine's own logins.
const DefaultTitle = "Log in to CARTO"

// Flow names how a login completes, and so which instructions the person sees.
type Flow string

const (
	// FlowCopyCode: the person opens the link, logs in, and pastes the code the login page shows.
	FlowCopyCode Flow = "copy-code"
	// FlowLoopback: the person opens the link and the browser hands the result back by itself.
	FlowLoopback Flow = "loopback"
)

// Login is what a login prompt shows. Fields may be added; the zero value of a new field keeps
// the old behaviour.
type Login struct {
	// Title heads the prompt; DefaultTitle when empty.
	Title string
	// URL is the login link (the authorization URL).
	URL string
	// Flow decides the instructions shown next to the link.
	Flow Flow
	// Instructions, when set, replace the flow's one-line instructions (for example "Paste the
	// code into FinishLogin in the next cell").
	Instructions string
	// Why says why this flow was chosen, for example "running in Google Colab".
	Why string
	// ProbeURL, when set, is loaded by the person's browser from a prompt shown in it (as an
	// image), so that the caller learns whether that browser can reach this machine. Only a
	// Prober shows it, and only from a page on a loopback host.
	ProbeURL string
	// OneClickURL, when set, adds a one-click login to a copy-code login: a link to this URL,
	// after which the browser hands the login back by itself. The copy-code link (URL) and the
	// instructions for pasting stay, so either way works.
	OneClickURL string
}

// State is the stage a login is at; it sets the look of the status line.
type State int

const (
	// StateWaiting: waiting for the person (to open the link, to paste the code).
	StateWaiting State = iota
	// StateChecking: the code is being exchanged or the token verified.
	StateChecking
	// StateDone: logged in.
	StateDone
	// StateFailed: the login failed; Hint says what to do.
	StateFailed
)

// Status is one line of progress under the login link.
type Status struct {
	State State
	// Text is the message, for example "Logged in to acme.app.carto.com · token valid until 18:04".
	Text string
	// Hint, when set, says what to do next (shown after Text).
	Hint string
	// Retry marks a failure after which the login goes on (a rejected code: the person may
	// paste another). Without it a StateFailed status, like StateDone, ends the login.
	Retry bool
}

// Ends reports whether s is the last status of a login.
func (s Status) Ends() bool {
	return s.State == StateDone || (s.State == StateFailed && !s.Retry)
}

// Prompter shows a login and reads what the person pastes. Implementations must be safe to call
// from one goroutine at a time; ReadCode may run concurrently with Show and SetStatus. Every
// call gets the caller's context: a cancelled login reaches the prompt.
type Prompter interface {
	// Show displays the login, replacing what an earlier Show displayed.
	Show(ctx context.Context, l Login) error
	// SetStatus updates the status line of the login shown last.
	SetStatus(ctx context.Context, s Status) error
	// ReadCode asks for the code with the given prompt and returns the line typed,
	// unprocessed. It returns an error wrapping ErrNoInput when nobody can answer (end of input)
	// and ctx.Err() when ctx ends first.
	ReadCode(ctx context.Context, prompt string) (string, error)
}

// Prober is a Prompter shown in the person's own browser (a notebook card), which can load
// Login.ProbeURL. The engine then offers a one-click login beside the copy-code one, and never
// opens another browser itself.
type Prober interface {
	Prompter
	// Probes reports whether this prompter shows Login.ProbeURL.
	Probes() bool
}

// ErrNoInput means nobody can answer the prompt: standard input is closed or not connected.
var ErrNoInput = errors.New("no input: standard input is closed")
