// Package display renders a login to the person at the keyboard: a card in a GoNB notebook
// cell (link, QR code, status line, paste box) or plain lines on a terminal.
//
// It knows nothing about OAuth: callers hand it plain data (a URL, which way the login goes,
// a status) and get back what the user typed.
package display

import "context"

// Flow names how the login completes, and so which instructions the user sees.
type Flow string

const (
	// FlowCopyCode: the user opens the link, logs in, and pastes the code the login page shows.
	FlowCopyCode Flow = "copy-code"
	// FlowLoopback: the user opens the link and the browser hands the result back by itself.
	FlowLoopback Flow = "loopback"
)

// Login is what a login prompt shows. Fields may be added; the zero value of a new field keeps
// the old behaviour.
type Login struct {
	// Title heads the card, for example "Log in to CARTO".
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
	// ProbeURL, when set, is loaded by the user's browser from the rendered card (as an image)
	// so that the caller learns whether the browser can reach this machine. Notebook only, and
	// only when the notebook page itself comes from this computer (a loopback host): a page
	// from another host says so in the card instead, since its browser could not reach this
	// machine's loopback address (and Chrome would ask for local-network access).
	ProbeURL string
	// OneClickURL, when set, adds a one-click login to a copy-code login: a link to this URL,
	// after which the browser hands the login back by itself. The copy-code link (URL), its
	// QR code and the instructions for pasting stay, so either way works.
	OneClickURL string
}

// State is the stage a login is at; it sets the look of the status line.
type State int

const (
	// StateWaiting: waiting for the user (to open the link, to paste the code).
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
	// Retry marks a failure after which the login goes on (a rejected code: the user may
	// paste another). Without it a StateFailed status, like StateDone, ends the login: the
	// notebook card then closes its own unanswered input box (JupyterLab and Notebook 7 refuse
	// to run another cell while one is open) and repeats the result as a new output for
	// frontends that ignore display updates (jupyter console).
	Retry bool
}

// ends reports whether s is the last status of a login.
func (s Status) ends() bool {
	return s.State == StateDone || (s.State == StateFailed && !s.Retry)
}

// Prompter shows a login and reads what the user pastes. Implementations must be safe to call
// from one goroutine at a time; ReadCode may run concurrently with Show and SetStatus.
type Prompter interface {
	// Show displays the login, replacing what an earlier Show displayed.
	Show(ctx context.Context, l Login) error
	// SetStatus updates the status line of the login shown last.
	SetStatus(ctx context.Context, s Status) error
	// ReadCode asks the user for the code with the given prompt and returns the line typed,
	// unprocessed. It returns an error wrapping ErrNoInput when nobody can answer (end of input)
	// and ctx.Err() when ctx ends first.
	ReadCode(ctx context.Context, prompt string) (string, error)
}
