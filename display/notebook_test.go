package display

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/carto-go/carto-auth/internal/render"
)

type shown struct{ id, html, text string }

type inputRequest struct {
	prompt   string
	password bool
}

// fakeFrontend records what a Notebook sends to GoNB.
type fakeFrontend struct {
	mu        sync.Mutex
	notebook  bool
	shows     []shown
	inputs    []inputRequest
	syncs     int
	block     chan struct{} // when set, sync waits for it
	brokenErr error
}

func (f *fakeFrontend) available() bool { return f.notebook }

func (f *fakeFrontend) show(id, html, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.shows = append(f.shows, shown{id, html, text})
}

func (f *fakeFrontend) sync() {
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.syncs++
}

func (f *fakeFrontend) requestInput(prompt string, password bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inputs = append(f.inputs, inputRequest{prompt, password})
}

func (f *fakeFrontend) err() error { return f.brokenErr }

func newTestNotebook(in io.Reader) (*Notebook, *fakeFrontend) {
	fe := &fakeFrontend{notebook: true}
	return &Notebook{fe: fe, lines: render.NewLines(in), id: "carto-login-test"}, fe
}

func TestNotebookShowThenUpdateInPlace(t *testing.T) {
	t.Parallel()
	n, fe := newTestNotebook(strings.NewReader(""))
	ctx := t.Context()
	if err := n.Show(ctx, sampleLogin()); err != nil {
		t.Fatal(err)
	}
	if err := n.SetStatus(ctx, Status{State: StateChecking, Text: "Exchanging"}); err != nil {
		t.Fatal(err)
	}
	if err := n.SetStatus(ctx, Status{State: StateDone, Text: "Logged in"}); err != nil {
		t.Fatal(err)
	}
	if len(fe.shows) != 4 || fe.syncs != 3 {
		t.Fatalf("%d shows and %d syncs, want 4 (the result repeated) and 3", len(fe.shows), fe.syncs)
	}
	for i, want := range []string{"waiting", "checking", "done"} {
		s := fe.shows[i]
		if s.id != "carto-login-test" || !strings.Contains(s.html, `id="carto-login-test" class="carto-login" data-state="`+want+`"`) {
			t.Errorf("show %d: id %q, html %.120q; want state %s", i, s.id, s.html, want)
		}
	}
	if !strings.Contains(fe.shows[0].text, "\n"+testURL+"\n") || !strings.Contains(fe.shows[0].text, "the code box this cell opens") {
		t.Errorf("plain-text fallback lacks the URL line or notebook wording:\n%s", fe.shows[0].text)
	}
	if !strings.Contains(fe.shows[1].html, qrDataURI(testURL)) {
		t.Error("status update lost the QR code")
	}
}

// TestNotebookRepeatsTheResult: the status that ends a login is repeated once as a new output
// (no display id) whose text is the status line, for frontends that ignore display updates.
func TestNotebookRepeatsTheResult(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		states []Status
		want   string // the repeated line, "" for none
	}{
		{"done", []Status{{State: StateChecking}, {State: StateDone, Text: "Logged in"}}, "✓ Logged in\n"},
		{"failed", []Status{{State: StateFailed, Text: "Timed out.", Hint: "Run it again."}}, "✕ Timed out. Run it again.\n"},
		{"retry", []Status{{State: StateFailed, Text: "Rejected.", Retry: true}}, ""},
		{"twice", []Status{{State: StateDone, Text: "A"}, {State: StateDone, Text: "B"}}, "✓ A\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, fe := newTestNotebook(strings.NewReader(""))
			if err := n.Show(t.Context(), sampleLogin()); err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.states {
				if err := n.SetStatus(t.Context(), s); err != nil {
					t.Fatal(err)
				}
			}
			var repeats []shown
			for _, s := range fe.shows {
				if s.id == "" {
					repeats = append(repeats, s)
				}
			}
			switch {
			case tc.want == "" && len(repeats) != 0:
				t.Errorf("repeated %q", repeats[0].text)
			case tc.want != "" && (len(repeats) != 1 || repeats[0].text != tc.want):
				t.Errorf("repeats %+v, want one %q", repeats, tc.want)
			case tc.want != "" && (!strings.Contains(repeats[0].html, `class="carto-login-result"`) || !strings.Contains(repeats[0].html, " hidden>")):
				t.Errorf("repeat html %q: want a hidden carto-login-result", repeats[0].html)
			}
		})
	}
}

func TestNotebookShowResetsStatus(t *testing.T) {
	t.Parallel()
	n, fe := newTestNotebook(strings.NewReader(""))
	if err := n.SetStatus(t.Context(), Status{State: StateFailed, Text: "denied"}); err != nil {
		t.Fatal(err)
	}
	l := sampleLogin()
	l.URL = "https://auth.example.test/second"
	if err := n.Show(t.Context(), l); err != nil {
		t.Fatal(err)
	}
	last := fe.shows[len(fe.shows)-1].html
	if !strings.Contains(last, `data-state="waiting"`) || strings.Contains(last, "denied") {
		t.Errorf("new login kept the old status:\n%s", last)
	}
	if !strings.Contains(last, qrDataURI(l.URL)) {
		t.Error("QR code not redrawn for the new URL")
	}
}

func TestNotebookReadCode(t *testing.T) {
	t.Parallel()
	n, fe := newTestNotebook(strings.NewReader("secret-code-123\n"))
	if err := n.Show(t.Context(), sampleLogin()); err != nil {
		t.Fatal(err)
	}
	code, err := n.ReadCode(t.Context(), "Paste\x1b the code:")
	if err != nil || code != "secret-code-123" {
		t.Fatalf("ReadCode = %q, %v", code, err)
	}
	if len(fe.inputs) != 1 || fe.inputs[0] != (inputRequest{"Paste  the code:", true}) {
		t.Errorf("input requests = %+v, want one password box with the cleaned prompt", fe.inputs)
	}
	if err := n.SetStatus(t.Context(), Status{State: StateDone}); err != nil {
		t.Fatal(err)
	}
	for _, s := range fe.shows {
		if strings.Contains(s.html+s.text, "secret-code") {
			t.Error("the code appears in the notebook output")
		}
	}
	if _, err := n.ReadCode(t.Context(), ""); !errors.Is(err, ErrNoInput) {
		t.Errorf("ReadCode at end of input: %v", err)
	}
	if fe.inputs[1].prompt != render.DefaultPrompt {
		t.Errorf("empty prompt became %q", fe.inputs[1].prompt)
	}
}

func TestNotebookOutsideGoNB(t *testing.T) {
	t.Parallel()
	n, fe := newTestNotebook(strings.NewReader("code\n"))
	fe.notebook = false
	ctx := t.Context()
	if err := n.Show(ctx, sampleLogin()); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Show: %v", err)
	}
	if err := n.SetStatus(ctx, Status{}); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("SetStatus: %v", err)
	}
	if _, err := n.ReadCode(ctx, ""); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("ReadCode: %v", err)
	}
	if len(fe.shows)+len(fe.inputs) != 0 {
		t.Error("sent output outside GoNB")
	}
}

func TestNotebookErrors(t *testing.T) {
	t.Parallel()
	n, fe := newTestNotebook(strings.NewReader(""))
	if err := n.Show(t.Context(), Login{Title: "no URL"}); err == nil {
		t.Error("Show without URL: no error")
	}
	fe.brokenErr = errors.New("pipe closed")
	if err := n.Show(t.Context(), sampleLogin()); err == nil || !strings.Contains(err.Error(), "pipe closed") {
		t.Errorf("Show on a broken connection: %v", err)
	}
}

func TestNotebookSyncHonoursContext(t *testing.T) {
	t.Parallel()
	n, fe := newTestNotebook(strings.NewReader(""))
	fe.block = make(chan struct{})
	defer close(fe.block)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := n.Show(ctx, sampleLogin()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Show with a stuck kernel: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Show took %v", d)
	}
}

func TestNotebookReadCodeCancel(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	defer pw.Close()
	n, _ := newTestNotebook(pr)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(30*time.Millisecond, cancel)
	if _, err := n.ReadCode(ctx, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadCode: %v", err)
	}
	go func() { _, _ = io.WriteString(pw, "answer\n") }()
	if code, err := n.ReadCode(t.Context(), ""); code != "answer" || err != nil {
		t.Errorf("next ReadCode = %q, %v", code, err)
	}
}

// TestRealNotebookOutsideKernel runs the GoNB code paths this test binary can reach: it was not
// started by GoNB, so they must refuse or do nothing, never block or panic.
func TestRealNotebookOutsideKernel(t *testing.T) {
	if gonbui.IsNotebook {
		t.Skip("running inside GoNB")
	}
	n := NewNotebook()
	if !strings.HasPrefix(n.id, "carto-login-") || n.id == NewNotebook().id {
		t.Errorf("ids not unique: %q", n.id)
	}
	if err := n.Show(t.Context(), sampleLogin()); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Show outside GoNB: %v", err)
	}
	fe := gonbFrontend{}
	fe.show("x", "<b>x</b>", "x")
	fe.requestInput("p", true)
	fe.sync()
	if fe.available() {
		t.Error("gonbFrontend available outside GoNB")
	}
	if _, ok := Default().(*Terminal); !ok {
		t.Errorf("Default() outside GoNB = %T, want *Terminal", Default())
	}
}
