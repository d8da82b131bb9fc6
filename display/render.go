package display

import (
	"io"

	"github.com/carto-go/carto-auth/internal/render"
)

// RenderCard renders a login and its status as the HTML of the notebook card: a root element
// with class "carto-login" and data-state "waiting", "checking", "done" or "failed", the link
// (class "carto-login-link"), the one-click link when l.OneClickURL is set (class
// "carto-login-oneclick"), the QR code of the link (img class "carto-login-qr"), the
// instructions, why this flow, and the status line (class "carto-login-status"). Every value
// is HTML-escaped; URLs that are not http or https get no link, QR code or probe. Once the
// login has ended (done, or failed without Retry) the card shrinks to its title and status
// line. The probe image (class "carto-login-probe") carries its URL in data-src: only the
// notebook card's script, which RenderCard leaves out, loads it.
func RenderCard(l Login, s Status) string { return render.Card(l, s, "", qrDataURI(l.URL)) }

// RenderText renders a login as plain text: the title, the instructions (worded for a
// terminal), the URL on a line of its own, why this flow, and the status line.
func RenderText(l Login, s Status) string { return render.Text(l, s, false) }

// StatusLine renders s as one line of plain text without a line break, for example
// "✕ Login failed: access denied. Ask your CARTO admin for access.".
func StatusLine(s Status) string { return render.StatusLine(s) }

// Terminal is a Prompter for plain text streams: a terminal, a log, a pipe. It writes the
// login as a few lines (the URL on a line of its own, so it can be clicked or copied, and a
// QR code when out is a terminal) and reads the code as one line of input.
type Terminal = render.Terminal

// NewTerminal returns a Terminal that reads from in and writes to out (normally os.Stdin and
// os.Stderr), with a text QR code of the link when out is a terminal. All Terminals on
// os.Stdin share one reader, so no typed line is lost between them.
func NewTerminal(in io.Reader, out io.Writer) *Terminal { return render.NewTerminal(in, out, qrText) }
