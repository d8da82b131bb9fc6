package render

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// Terminal is a Prompter for plain text streams: a terminal, a log, a pipe. It writes the
// login as a few lines (the URL on a line of its own, so it can be clicked or copied, and a
// QR code when out is a terminal and QR is set) and reads the code as one line of input.
type Terminal struct {
	// QR draws a URL as a text QR code ("" when it cannot); nil draws none. NewTerminal sets
	// it only when out is a terminal.
	QR func(url string) string

	out   io.Writer
	lines *Lines

	mu sync.Mutex // serialises writes to out
}

// NewTerminal returns a Terminal that reads from in and writes to out (normally os.Stdin and
// os.Stderr), drawing QR codes with qr (nil for none) when out is a terminal. All Terminals on
// os.Stdin share one reader, so no typed line is lost between them.
func NewTerminal(in io.Reader, out io.Writer, qr func(string) string) *Terminal {
	t := &Terminal{out: out, lines: linesFor(in)}
	if qr != nil && isTerminal(out) {
		t.QR = qr
	}
	return t
}

// isTerminal reports whether w is a character device such as a terminal. It is a cheap check
// without terminal ioctls: /dev/null also passes, which only costs a QR code nobody sees.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Show writes the title, the instructions, the URL on a line of its own, why this flow and,
// on a terminal, a QR code of the URL.
func (t *Terminal) Show(ctx context.Context, l Login) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if strings.TrimSpace(l.URL) == "" {
		return ErrNoURL
	}
	var b strings.Builder
	b.WriteByte('\n')
	writeLoginText(&b, l, false)
	if t.QR != nil {
		if q := t.QR(l.URL); q != "" {
			b.WriteString("Or scan this QR code to log in on a phone:\n")
			b.WriteString(q)
		}
	}
	return t.write(b.String())
}

// SetStatus writes the status as one line.
func (t *Terminal) SetStatus(ctx context.Context, s Status) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return t.write(StatusLine(s) + "\n")
}

// ReadCode writes the prompt (without a line break) and returns the next line read, without
// its line break. The line is not echoed by this package; a terminal may echo what is typed.
// At the end of input it returns an error wrapping ErrNoInput; when ctx ends first, ctx.Err().
// A read cut short by ctx loses no line: the next ReadCode returns it.
func (t *Terminal) ReadCode(ctx context.Context, prompt string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if prompt == "" {
		prompt = DefaultPrompt
	}
	if err := t.write(Plain(prompt)); err != nil {
		return "", err
	}
	code, err := t.lines.Next(ctx)
	if err != nil {
		_ = t.write("\n") // end the prompt's line; nobody typed the line break
	}
	return code, err
}

// write writes s to out, one writer at a time.
func (t *Terminal) write(s string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, err := io.WriteString(t.out, s); err != nil {
		return fmt.Errorf("writing to the terminal: %w", err)
	}
	return nil
}

// ErrNoURL is returned by Show for a login without a URL: there is nothing to open.
var ErrNoURL = errors.New("the login has no URL to open")

// DefaultPrompt asks for the code when ReadCode is given no prompt.
const DefaultPrompt = "Paste the code: "
