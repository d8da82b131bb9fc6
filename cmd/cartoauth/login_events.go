package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/internal/render"
)

// loginEvent is one line of `cartoauth login --json`: a JSON object whose "event" says what
// happened (see docs/cli.md). Its login object is the one `status --json` lists (carto.Info).
// It never holds a token.
type loginEvent struct {
	Event string `json:"event"` // login, code_wanted, status, pending, logged_in, error

	// login: the link to open, the flow, and for copy-code the page that shows the code.
	Flow         string `json:"flow,omitempty"`
	URL          string `json:"url,omitempty"`
	CodePage     string `json:"code_page,omitempty"`
	Instructions string `json:"instructions,omitempty"`
	Why          string `json:"why,omitempty"`
	// code_wanted: write the code (or the whole redirect URL) as one line on stdin.
	Prompt string `json:"prompt,omitempty"`
	// status: waiting, checking, done or failed, as the terminal's status line.
	State string `json:"state,omitempty"`
	Text  string `json:"text,omitempty"`
	Hint  string `json:"hint,omitempty"`
	Retry bool   `json:"retry,omitempty"`
	// pending: --start left a login to finish with this command before Expires.
	Finish  string     `json:"finish,omitempty"`
	Expires *time.Time `json:"expires,omitempty"`
	// logged_in: the login (Cached: it was there already).
	Cached bool        `json:"cached,omitempty"`
	Login  *carto.Info `json:"login,omitempty"`
	// error: what went wrong, the engine's typed hints, the advice in words, the exit code.
	Error    string   `json:"error,omitempty"`
	Hints    []string `json:"hints,omitempty"`
	Advice   string   `json:"advice,omitempty"`
	ExitCode int      `json:"exit_code,omitempty"`
}

// eventWriter writes events, one JSON object per line, from any goroutine.
type eventWriter struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func newEventWriter(w io.Writer) *eventWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // URLs as they are
	return &eventWriter{enc: enc}
}

func (w *eventWriter) emit(ev loginEvent) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.enc.Encode(ev)
}

// jsonPrompter is the Prompter of `login --json`: the login and its progress as events on
// stdout, the code read as one line from stdin.
type jsonPrompter struct {
	events *eventWriter
	lines  *render.Lines
}

func newJSONPrompter(e *env, events *eventWriter) *jsonPrompter {
	lines := render.Stdin()
	if f, ok := e.stdin.(*os.File); !ok || f != os.Stdin {
		lines = render.NewLines(e.stdin)
	}
	return &jsonPrompter{events: events, lines: lines}
}

func (p *jsonPrompter) Show(_ context.Context, l carto.LoginMessage) error {
	ev := loginEvent{Event: "login", Flow: string(l.Flow), URL: l.URL, Instructions: l.Instructions, Why: l.Why}
	if l.Flow == carto.FlowCopyCode {
		if u, err := url.Parse(l.URL); err == nil {
			ev.CodePage = u.Query().Get("redirect_uri")
		}
	}
	return p.events.emit(ev)
}

func (p *jsonPrompter) SetStatus(_ context.Context, s carto.Status) error {
	return p.events.emit(loginEvent{Event: "status", State: stateName(s.State), Text: s.Text, Hint: s.Hint, Retry: s.Retry})
}

func (p *jsonPrompter) ReadCode(ctx context.Context, prompt string) (string, error) {
	if err := p.events.emit(loginEvent{Event: "code_wanted", Prompt: prompt}); err != nil {
		return "", err
	}
	return p.lines.Next(ctx)
}

func stateName(s carto.State) string {
	switch s {
	case carto.StateWaiting:
		return "waiting"
	case carto.StateChecking:
		return "checking"
	case carto.StateDone:
		return "done"
	case carto.StateFailed:
		return "failed"
	}
	return fmt.Sprint(int(s))
}

// loginOutput is where login reports: lines for people on stderr, or events on stdout.
type loginOutput struct {
	e      *env
	events *eventWriter // nil without --json
}

// prompter is what shows the login: the terminal's, or events.
func (o *loginOutput) prompter() carto.Prompter {
	if o.events != nil {
		return newJSONPrompter(o.e, o.events)
	}
	return carto.NewTerminal(o.e.stdin, o.e.stderr)
}

// failed reports err as an error event (nothing for nil, or without --json): the exit code
// and advice report gives it, and the engine's hints by name.
func (o *loginOutput) failed(err error) {
	if err == nil || o.events == nil {
		return
	}
	code, advice := adviceFor(err, err.Error())
	var hints []string
	for _, h := range carto.Hints(err) {
		hints = append(hints, string(h))
	}
	o.events.emit(loginEvent{Event: "error", Error: oneLine(err.Error()), Hints: hints, Advice: advice, ExitCode: code})
}
