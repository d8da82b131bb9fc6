// Package display shows a login to the person at a GoNB notebook cell: the card (title, link
// button, QR code, instructions, status line, a password box for the code) updated in place;
// outside a notebook, plain lines on a terminal with a text QR code. It also shows results as
// HTML (HTML).
//
// It knows nothing about OAuth: the engine (package carto) hands it plain data (a URL, which way
// the login goes, a status) and gets back what the person typed. Notebook and Terminal
// implement carto.Prompter.
package display

import "github.com/carto-go/carto-auth/internal/prompt"

// The login contract, as in package carto (Flow, LoginMessage, Status, Prompter, ...).
type (
	// Flow names how the login completes, and so which instructions the person sees.
	Flow = prompt.Flow
	// Login is what a login prompt shows (carto.LoginMessage).
	Login = prompt.Login
	// State is the stage a login is at.
	State = prompt.State
	// Status is one line of progress under the login link.
	Status = prompt.Status
	// Prompter shows a login and reads what the person pastes (carto.Prompter).
	Prompter = prompt.Prompter
)

// Flows and states, as in package carto.
const (
	FlowCopyCode  = prompt.FlowCopyCode
	FlowLoopback  = prompt.FlowLoopback
	StateWaiting  = prompt.StateWaiting
	StateChecking = prompt.StateChecking
	StateDone     = prompt.StateDone
	StateFailed   = prompt.StateFailed
)
