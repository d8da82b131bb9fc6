package kernel_test

// Experiments whose answers other code relies on; they assert what was observed with GoNB
// v0.11.5, so a change of behaviour fails here first.

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/e2e/kernel"
)

const staleInputCell = `%%
gonbui.RequestInput("never answered", false)
gonbui.Sync()
fmt.Println("exited without reading")
`

// TestUnansweredInput: a cell that opens an input box and exits without reading finishes
// normally; the kernel is not blocked, later cells (also ones reading input) work.
func TestUnansweredInput(t *testing.T) {
	k := start(t)
	run(t, k, "%noautoget", nil)
	res := run(t, k, staleInputCell, func(string, bool) (string, error) { return "", kernel.ErrNoAnswer })
	if len(res.OfType("input_request")) != 1 || res.Stdout() != "exited without reading\n" {
		t.Fatalf("want one input_request and the print, got %s", res)
	}
	if got := run(t, k, "%%\nfmt.Println(\"next\")", nil).Stdout(); got != "next\n" {
		t.Errorf("next cell stdout = %q", got)
	}
	res = run(t, k, inputCell, func(string, bool) (string, error) { return "later", nil })
	if got := res.Stdout(); got != "got \"later\"\n" {
		t.Errorf("input after a stale request: stdout = %q", got)
	}
	if s := k.Stray(); len(s) != 0 {
		t.Errorf("%d stray messages, first %s %v", len(s), s[0].Header.MsgType, s[0].Content)
	}
}

const orderCell = `%%
fmt.Println("out-1")
gonbui.DisplayHTML("<p>html-2</p>")
fmt.Println("out-3")
gonbui.UpdateHTML("u", "<p>html-4</p>")
fmt.Println("out-5")
gonbui.Sync()
`

// TestOutputOrder measures whether stdout and displays arrive in program order. All must
// arrive; the order is only reported (GoNB sends them through different pipes).
func TestOutputOrder(t *testing.T) {
	k := start(t)
	run(t, k, "%noautoget", nil)
	const n = 8
	inOrder := 0
	for i := 0; i < n; i++ {
		res := run(t, k, orderCell, nil)
		var seq []string
		for _, o := range res.Outputs {
			for _, s := range []string{o.Text, o.HTML} {
				for _, f := range strings.Fields(s) {
					if strings.Contains(f, "-") {
						seq = append(seq, strings.Trim(f, "<p>/"))
					}
				}
			}
		}
		got := strings.Join(seq, " ")
		if len(seq) != 5 {
			t.Fatalf("run %d: outputs %q, want 5 items", i, got)
		}
		if got == "out-1 html-2 out-3 html-4 out-5" {
			inOrder++
		}
		t.Logf("run %d order: %s", i, got)
	}
	t.Logf("program order kept in %d/%d runs", inOrder, n)
}

// TestCellTiming reports how long a trivial cell takes: the first in a new kernel and the
// next ones.
func TestCellTiming(t *testing.T) {
	t0 := time.Now()
	k := start(t)
	ready := time.Since(t0)
	var d []time.Duration
	for i := 0; i < 4; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		res, err := k.Execute(ctx, "%%\nfmt.Println(\"x\")", nil)
		cancel()
		if err != nil || res.Stdout() != "x\n" {
			t.Fatalf("trivial cell: %v %v", err, res)
		}
		d = append(d, res.Duration.Round(time.Millisecond))
	}
	t.Logf("kernel ready in %v; trivial cell: first %v, then %v", ready.Round(time.Millisecond), d[0], d[1:])
}
