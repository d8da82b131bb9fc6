package kernel

import (
	"fmt"
	"strings"
	"time"
)

// Output is one thing a cell produced, as the frontend saw it.
type Output struct {
	// Type is the message type: "stream", "display_data", "update_display_data",
	// "execute_result", "error", "clear_output", or "input_request" (an input box).
	Type string
	// Name is the stream name ("stdout" or "stderr") of a stream.
	Name string
	// Text is the stream text, the text/plain of a display, or the prompt of an input_request.
	Text string
	// HTML is the text/html of a display, if any.
	HTML string
	// Data is the whole MIME bundle of a display.
	Data map[string]any
	// DisplayID is the transient display_id of a display (set by UpdateHTML-able blocks).
	DisplayID string
	// Password is set on an input_request for a password box.
	Password bool
	// Ename, Evalue and Traceback describe an error.
	Ename, Evalue string
	Traceback     []string
	// At is when it arrived, counted from the execute_request.
	At time.Duration
}

// Result is what one Execute collected.
type Result struct {
	MsgID string
	// Status is the execute_reply status: "ok", "error" or "aborted".
	Status         string
	ExecutionCount int
	// Outputs are in arrival order (iopub and stdin interleaved as received).
	Outputs []Output
	// Duration is from sending the request until the cell was done.
	Duration time.Duration
}

func outputOf(m *Message, at time.Duration) Output {
	c := m.Content
	o := Output{Type: m.Header.MsgType, At: at}
	switch o.Type {
	case "stream":
		o.Name, o.Text = str(c, "name"), str(c, "text")
	case "display_data", "update_display_data", "execute_result":
		o.Data, _ = c["data"].(map[string]any)
		o.Text, o.HTML = str(o.Data, "text/plain"), str(o.Data, "text/html")
		if tr, ok := c["transient"].(map[string]any); ok {
			o.DisplayID = str(tr, "display_id")
		}
	case "error":
		o.Ename, o.Evalue = str(c, "ename"), str(c, "evalue")
		if tb, ok := c["traceback"].([]any); ok {
			for _, l := range tb {
				s, _ := l.(string)
				o.Traceback = append(o.Traceback, s)
			}
		}
	case "input_request":
		o.Text = str(c, "prompt")
		o.Password, _ = c["password"].(bool)
	}
	return o
}

// Stream returns the concatenated text of one stream ("stdout" or "stderr").
func (r *Result) Stream(name string) string {
	var b strings.Builder
	for _, o := range r.Outputs {
		if o.Type == "stream" && o.Name == name {
			b.WriteString(o.Text)
		}
	}
	return b.String()
}

// Stdout returns everything the cell printed to stdout.
func (r *Result) Stdout() string { return r.Stream("stdout") }

// Stderr returns everything the cell printed to stderr.
func (r *Result) Stderr() string { return r.Stream("stderr") }

// OfType returns the outputs of the given type, in order.
func (r *Result) OfType(typ string) []Output {
	var out []Output
	for _, o := range r.Outputs {
		if o.Type == typ {
			out = append(out, o)
		}
	}
	return out
}

// Error returns the cell's error output, or nil.
func (r *Result) Error() *Output {
	for i := range r.Outputs {
		if r.Outputs[i].Type == "error" {
			return &r.Outputs[i]
		}
	}
	return nil
}

// String lists the outputs one per line, for test logs.
func (r *Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "status=%q in %v\n", r.Status, r.Duration.Round(time.Millisecond))
	for _, o := range r.Outputs {
		fmt.Fprintf(&b, "  +%-6v %s", o.At.Round(time.Millisecond), o.Type)
		switch o.Type {
		case "stream":
			fmt.Fprintf(&b, " %s %q", o.Name, o.Text)
		case "error":
			fmt.Fprintf(&b, " %s: %s %q", o.Ename, o.Evalue, strings.Join(o.Traceback, "\n"))
		case "input_request":
			fmt.Fprintf(&b, " prompt=%q password=%v", o.Text, o.Password)
		default:
			fmt.Fprintf(&b, " id=%q html=%q text=%q", o.DisplayID, o.HTML, o.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
