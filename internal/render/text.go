package render

import (
	"strings"
	"unicode"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// instructions returns the one-line instructions for a flow, worded for a notebook cell or
// for a terminal. The notebook wording does not say where the code box is: Jupyter shows it
// under the cell, VS Code at the top of its window, jupyter console as a prompt.
func instructions(f prompt.Flow, notebook bool) string {
	switch {
	case f == FlowLoopback && notebook:
		return "Open the login page and log in; this cell continues by itself."
	case f == FlowLoopback:
		return "Open the login page and log in; this program continues by itself."
	case notebook:
		return "Open the login page, log in, copy the code it shows and paste it into the code box this cell opens " +
			"(under the cell in Jupyter, at the top of the window in VS Code)."
	default:
		return "Open the login page, log in, copy the code it shows and paste it below."
	}
}

// oneClickSteps are the instructions of a copy-code login that also offers one click.
const oneClickSteps = "Log in with one click (this cell continues by itself), or log in with a code: " +
	"open that page, copy the code it shows and paste it into the code box this cell opens."

// steps returns l.Instructions, or the flow's own instructions.
func steps(l Login, notebook bool) string {
	if s := strings.TrimSpace(l.Instructions); s != "" {
		return Plain(s)
	}
	if oneClick(l) {
		return oneClickSteps
	}
	return instructions(l.Flow, notebook)
}

// title returns l.Title or the default title.
func title(l Login) string {
	if t := strings.TrimSpace(l.Title); t != "" {
		return t
	}
	return prompt.DefaultTitle
}

// stateName is the data-state value of a State; unknown states read as "waiting".
func stateName(s State) string {
	switch s {
	case StateChecking:
		return "checking"
	case StateDone:
		return "done"
	case StateFailed:
		return "failed"
	default:
		return "waiting"
	}
}

// statusText returns s.Text or a default message for its state.
func statusText(s Status) string {
	if t := strings.TrimSpace(s.Text); t != "" {
		return t
	}
	switch s.State {
	case StateChecking:
		return "Checking…"
	case StateDone:
		return "Logged in."
	case StateFailed:
		return "Login failed."
	default:
		return "Waiting for you to log in…"
	}
}

// statusIcon is the symbol shown before the status text.
func statusIcon(s State) string {
	switch s {
	case StateChecking:
		return "↻"
	case StateDone:
		return "✓"
	case StateFailed:
		return "✕"
	default:
		return "○"
	}
}

// isWebURL reports whether u is an http or https URL, the only kinds put in a link or image.
func isWebURL(u string) bool {
	lower := strings.ToLower(u)
	ok := strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://")
	return ok && !strings.ContainsFunc(u, unicode.IsSpace)
}

// Plain removes control characters (terminal escapes, line breaks) from a value written to a
// terminal, so a value can neither forge lines nor drive the terminal.
func Plain(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// StatusLine renders s as one line of plain text without a line break, for example
// "✕ Login failed: access denied. Ask your CARTO admin for access.".
func StatusLine(s Status) string {
	line := statusIcon(s.State) + " " + Plain(statusText(s))
	if h := strings.TrimSpace(s.Hint); h != "" {
		line += " " + Plain(h)
	}
	return line
}

// Text renders a login as plain text: the title, the instructions (worded for a notebook cell
// or a terminal), the URL on a line of its own, why this flow, and the status line.
func Text(l Login, s Status, notebook bool) string {
	var b strings.Builder
	if s.Ends() {
		l = Login{Title: l.Title} // logged in or failed for good: the link is of no more use
	}
	writeLoginText(&b, l, notebook)
	b.WriteString(StatusLine(s))
	b.WriteByte('\n')
	return b.String()
}

// writeLoginText writes the title, instructions, URL (the one-click URL first, when offered)
// and why, each on its own line; only the title when there is no URL (a status set before any
// Show).
func writeLoginText(b *strings.Builder, l Login, notebook bool) {
	b.WriteString(Plain(title(l)))
	b.WriteByte('\n')
	if l.URL == "" {
		return
	}
	b.WriteString(steps(l, notebook))
	b.WriteByte('\n')
	if oneClick(l) {
		b.WriteString("One click: " + Plain(l.OneClickURL) + "\nWith a code: ")
	}
	b.WriteString(Plain(l.URL))
	b.WriteByte('\n')
	if why := strings.TrimSpace(l.Why); why != "" {
		b.WriteString("(" + strings.TrimSuffix(Plain(why), ".") + ")\n")
	}
}

// oneClick reports whether the card offers l's one-click link.
func oneClick(l Login) bool { return l.Flow == FlowCopyCode && isWebURL(l.OneClickURL) }
