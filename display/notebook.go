package display

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"

	"github.com/carto-go/carto-auth/internal/render"
)

// frontend is the part of GoNB a Notebook uses; tests replace it.
type frontend interface {
	// available reports whether a GoNB kernel started this program.
	available() bool
	// show creates or replaces the output block id with html (text for plain frontends).
	show(id, html, text string)
	// sync waits until everything sent so far has reached the kernel.
	sync()
	// requestInput opens an input box in the cell; the reply arrives on standard input.
	requestInput(prompt string, password bool)
	// err returns the error that broke the connection to the kernel, if any.
	err() error
}

// gonbFrontend is the frontend of a program started by GoNB.
type gonbFrontend struct{}

func (gonbFrontend) available() bool { return gonbui.IsNotebook }

// show sends both HTML and plain text under one display id: GoNB creates the block the first
// time and updates it in place afterwards (like gonbui.UpdateHTML), and frontends that cannot
// show HTML (text exports, some consoles) still get the link.
func (gonbFrontend) show(id, html, text string) {
	gonbui.SendData(&protocol.DisplayData{
		Data:      map[protocol.MIMEType]any{protocol.MIMETextHTML: html, protocol.MIMETextPlain: text},
		DisplayID: id,
	})
}

func (gonbFrontend) sync()                                     { gonbui.Sync() }
func (gonbFrontend) requestInput(prompt string, password bool) { gonbui.RequestInput(prompt, password) }
func (gonbFrontend) err() error                                { return gonbui.Error() }

// Notebook is a Prompter for a GoNB notebook cell: one card (title, link button, QR code,
// instructions, status line) shown once and updated in place, and a password input box for
// the code, so the code is never shown nor saved in the notebook.
type Notebook struct {
	fe    frontend
	lines *render.Lines
	id    string

	mu     sync.Mutex // guards the fields below
	login  Login
	status Status
	qrURL  string // the URL qrSrc encodes
	qrSrc  string
	ended  bool // the result was repeated as its own output (see SetStatus)
}

// NewNotebook returns a Notebook for the current cell. Its methods fail with an error wrapping
// ErrNotNotebook when GoNB did not start the program (see gonbui.IsNotebook).
func NewNotebook() *Notebook {
	return &Notebook{fe: gonbFrontend{}, lines: render.Stdin(), id: "carto-login-" + gonbui.UniqueId()}
}

// Show displays the login card with a waiting status, replacing the card an earlier Show or
// SetStatus displayed, and waits until the kernel has it.
func (n *Notebook) Show(ctx context.Context, l Login) error {
	if err := n.check(ctx); err != nil {
		return err
	}
	if strings.TrimSpace(l.URL) == "" {
		return render.ErrNoURL
	}
	n.mu.Lock()
	n.login, n.status, n.ended = l, Status{}, false
	if n.qrURL != l.URL || n.qrSrc == "" {
		n.qrURL, n.qrSrc = l.URL, qrDataURI(l.URL)
	}
	html, text := n.renderLocked()
	n.mu.Unlock()
	n.fe.show(n.id, html, text)
	return n.flush(ctx)
}

// SetStatus updates the status line of the card in place and waits until the kernel has it.
// A status that ends the login (StateDone, or StateFailed without Retry) also closes the input
// box the login left open in the cell, and is repeated once as a new output whose text/plain
// is the status line (its HTML is hidden): frontends that ignore display updates, such as
// jupyter console, show only that.
func (n *Notebook) SetStatus(ctx context.Context, s Status) error {
	if err := n.check(ctx); err != nil {
		return err
	}
	n.mu.Lock()
	n.status = s
	html, text := n.renderLocked()
	repeat := s.Ends() && !n.ended
	n.ended = n.ended || repeat
	n.mu.Unlock()
	n.fe.show(n.id, html, text)
	if repeat {
		n.fe.show("", render.ResultHTML(s), render.StatusLine(s)+"\n")
	}
	return n.flush(ctx)
}

// ReadCode opens a password input box in the cell with the prompt and returns the line the
// user submits, which GoNB writes to standard input. When ctx ends first it returns ctx.Err();
// the box stays open (Jupyter cannot withdraw it) and a later ReadCode gets its answer.
func (n *Notebook) ReadCode(ctx context.Context, prompt string) (string, error) {
	if err := n.check(ctx); err != nil {
		return "", err
	}
	if prompt == "" {
		prompt = render.DefaultPrompt
	}
	n.fe.requestInput(render.Plain(prompt), true)
	if err := n.flush(ctx); err != nil {
		return "", err
	}
	return n.lines.Next(ctx)
}

// renderLocked renders the card and its plain-text fallback; n.mu must be held.
func (n *Notebook) renderLocked() (html, text string) {
	return render.Card(n.login, n.status, n.id, n.qrSrc), render.Text(n.login, n.status, true)
}

// check returns ctx's error, or an error wrapping ErrNotNotebook outside GoNB.
func (n *Notebook) check(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !n.fe.available() {
		return fmt.Errorf("display: notebook prompter: %w", ErrNotNotebook)
	}
	return nil
}

// flush waits until the kernel has what was sent, or ctx ends, and reports a broken
// connection. If ctx ends first the wait is abandoned, not stopped: gonbui.Sync has no
// deadline of its own.
func (n *Notebook) flush(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		n.fe.sync()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := n.fe.err(); err != nil {
		return fmt.Errorf("display: sending to the notebook: %w", err)
	}
	return nil
}

// Probes reports that the card loads a login's probe image (from a notebook page on a
// loopback host), so the engine offers a one-click login beside the copy-code one.
func (n *Notebook) Probes() bool { return true }
