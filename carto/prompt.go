package carto

import (
	"io"

	"github.com/carto-go/carto-auth/internal/prompt"
	"github.com/carto-go/carto-auth/internal/render"
)

// What the engine needs from a user interface: a Prompter shows a login (a LoginMessage) and
// status lines, and reads the code the person pastes. The notebook card (package display,
// used by gonbauth) and the terminal (NewTerminal) implement it; so may yours.
type (
	// Prompter shows a login and reads what the person pastes. Each call gets the caller's
	// context, so a cancelled login reaches the prompt.
	Prompter = prompt.Prompter
	// Prober is a Prompter shown in the person's own browser (the notebook card), which loads
	// LoginMessage.ProbeURL: a copy-code login then also offers one click, and no browser is
	// opened by the engine.
	Prober = prompt.Prober
	// LoginMessage is what a login prompt shows: the link, the flow, why. Fields may be added.
	LoginMessage = prompt.Login
	// Status is one line of progress under the login link.
	Status = prompt.Status
	// State is the stage a login is at.
	State = prompt.State
)

// The stages of a login, for Status.State.
const (
	StateWaiting  = prompt.StateWaiting
	StateChecking = prompt.StateChecking
	StateDone     = prompt.StateDone
	StateFailed   = prompt.StateFailed
)

// ErrNoInput is what a Prompter's ReadCode returns (wrapped) when nobody can answer: its
// input ended.
var ErrNoInput = prompt.ErrNoInput

// NewTerminal returns the Prompter a Go program gets by default: the login as a few lines on
// out (the link on a line of its own) and the code read as a line from in (normally os.Stdin and
// os.Stderr). Prompters on os.Stdin share one reader, so no typed line is lost between them.
func NewTerminal(in io.Reader, out io.Writer) Prompter { return render.NewTerminal(in, out, nil) }
