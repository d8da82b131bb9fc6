package render

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/carto-go/carto-auth/internal/prompt"
)

const testURL = "https://auth.example.test/authorize?client_id=abc&redirect_uri=https%3A%2F%2Fx.test%2Fcb&state=s1&code_challenge=xyz"

func sampleLogin() Login {
	return Login{Title: "Log in to CARTO", URL: testURL, Flow: FlowCopyCode, Why: "running in Google Colab"}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestTerminalShowPutsURLOnItsOwnLine(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	term := NewTerminal(strings.NewReader(""), &out, nil)
	if err := term.Show(t.Context(), sampleLogin()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	var urlLines []string
	for _, line := range lines {
		if strings.HasPrefix(line, "http") {
			urlLines = append(urlLines, line)
		}
	}
	if len(urlLines) != 1 || urlLines[0] != testURL {
		t.Errorf("URL lines = %q, want exactly [%q]", urlLines, testURL)
	}
	for _, want := range []string{"Log in to CARTO", "paste it below", "(running in Google Colab)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "█") || strings.Contains(out.String(), "QR") {
		t.Errorf("QR code drawn on a non-terminal:\n%s", out.String())
	}
}

func TestTerminalShowLoopbackInstructions(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	l := sampleLogin()
	l.Flow = FlowLoopback
	if err := NewTerminal(strings.NewReader(""), &out, nil).Show(t.Context(), l); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "continues by itself") || strings.Contains(s, "paste") {
		t.Errorf("loopback instructions wrong:\n%s", s)
	}
}

func TestTerminalStripsControlCharacters(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	l := Login{Title: "\x1b[2Jtitle", URL: "https://x.test/a\nhttps://evil.test/", Why: "why\rnot"}
	term := NewTerminal(strings.NewReader(""), &out, nil)
	if err := term.Show(t.Context(), l); err != nil {
		t.Fatal(err)
	}
	if err := term.SetStatus(t.Context(), Status{Text: "a\nb", Hint: "\x07c"}); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.ContainsAny(s, "\x1b\r\x07") || strings.Contains(s, "\nhttps://evil") {
		t.Errorf("control characters reached the terminal: %q", s)
	}
}

func TestIsTerminal(t *testing.T) {
	t.Parallel()
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	for name, out := range map[string]io.Writer{"buffer": &bytes.Buffer{}, "file": f, "pipe": w} {
		if isTerminal(out) {
			t.Errorf("isTerminal(%s) = true", name)
		}
	}
}

func TestTerminalSetStatusWritesOneLine(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	term := NewTerminal(strings.NewReader(""), &out, nil)
	err := term.SetStatus(t.Context(), Status{State: StateFailed, Text: "Access denied.", Hint: "Ask your admin."})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "✕ Access denied. Ask your admin.\n"; got != want {
		t.Errorf("status line = %q, want %q", got, want)
	}
}

func TestTerminalReadsSuccessiveLines(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	term := NewTerminal(strings.NewReader("first-code\nsecond\r\n\nlast"), &out, nil)
	for _, want := range []string{"first-code", "second", "", "last"} {
		got, err := term.ReadCode(t.Context(), "Code: ")
		if err != nil || got != want {
			t.Fatalf("ReadCode = %q, %v; want %q", got, err, want)
		}
	}
	for range 2 {
		if _, err := term.ReadCode(t.Context(), "Code: "); !errors.Is(err, prompt.ErrNoInput) {
			t.Fatalf("ReadCode at end of input: err = %v, want prompt.ErrNoInput", err)
		}
	}
	if s := out.String(); s != strings.Repeat("Code: ", 4)+"Code: \nCode: \n" {
		t.Errorf("prompts or echoed code wrong: %q", s)
	}
}

func TestTerminalReadErrorIsNoInput(t *testing.T) {
	t.Parallel()
	term := NewTerminal(iotest.ErrReader(errors.New("bad file descriptor")), io.Discard, nil)
	_, err := term.ReadCode(t.Context(), "")
	if !errors.Is(err, prompt.ErrNoInput) || !strings.Contains(err.Error(), "bad file descriptor") {
		t.Errorf("err = %v, want prompt.ErrNoInput with the cause", err)
	}
}

func TestTerminalReadCodeCancelKeepsTheLine(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	defer pw.Close()
	term := NewTerminal(pr, io.Discard, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := term.ReadCode(ctx, ""); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("ReadCode took %v to notice the context ended", d)
	}
	go func() { _, _ = io.WriteString(pw, "late-code\nnext\n") }()
	for _, want := range []string{"late-code", "next"} {
		got, err := term.ReadCode(t.Context(), "")
		if err != nil || got != want {
			t.Fatalf("ReadCode after cancel = %q, %v; want %q", got, err, want)
		}
	}
}

func TestTerminalCancelledContextWritesNothing(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	term := NewTerminal(strings.NewReader("code\n"), &out, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := term.ReadCode(ctx, "Code: "); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadCode err = %v", err)
	}
	if err := term.Show(ctx, sampleLogin()); !errors.Is(err, context.Canceled) {
		t.Errorf("Show err = %v", err)
	}
	if err := term.SetStatus(ctx, Status{}); !errors.Is(err, context.Canceled) {
		t.Errorf("SetStatus err = %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("wrote %q with a cancelled context", out.String())
	}
}

func TestTerminalErrors(t *testing.T) {
	t.Parallel()
	if err := NewTerminal(strings.NewReader(""), io.Discard, nil).Show(t.Context(), Login{}); err == nil {
		t.Error("Show without a URL: no error")
	}
	term := NewTerminal(strings.NewReader("x\n"), failWriter{}, nil)
	if err := term.Show(t.Context(), sampleLogin()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Show on a failing writer: err = %v", err)
	}
	if _, err := term.ReadCode(t.Context(), ""); err == nil {
		t.Error("ReadCode on a failing writer: no error")
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestTerminalConcurrentStatusAndRead(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	pr, pw := io.Pipe()
	term := NewTerminal(pr, &out, nil)
	done := make(chan string)
	go func() {
		code, _ := term.ReadCode(t.Context(), "Code: ")
		done <- code
	}()
	for range 20 {
		if err := term.SetStatus(t.Context(), Status{Text: "waiting"}); err != nil {
			t.Fatal(err)
		}
	}
	_, _ = io.WriteString(pw, "abc\n")
	if code := <-done; code != "abc" {
		t.Errorf("code = %q", code)
	}
	pw.Close()
}

func TestStdinReaderIsShared(t *testing.T) {
	t.Parallel()
	if linesFor(os.Stdin) != linesFor(os.Stdin) {
		t.Error("two readers on os.Stdin")
	}
	if r := strings.NewReader(""); linesFor(r) == linesFor(r) {
		t.Error("readers on other inputs are shared")
	}
}
