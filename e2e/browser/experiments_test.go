package browser_test

// Experiments in the real classic Notebook UI whose answers other code relies on; they assert
// what was observed with Notebook 6.4, Chromium and GoNB v0.11.5.

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

const staleInputCell = `%%
gonbui.RequestInput("never answered", false)
gonbui.Sync()
fmt.Println("exited without reading")
`

// withStaleBox opens a notebook (pin gonbui, the stale-input cell, print, ask for input) in
// one UI and runs its first two cells: cell 1 exits leaving its input box open. The context
// ends with the test (at most 2 minutes).
func withStaleBox(t *testing.T, ui string) (*browser.Notebook, context.Context) {
	nb := setupUI(t, ui, pinGonbui, staleInputCell, printCell, inputCell)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	t.Cleanup(cancel)
	for _, i := range []int{0, 1} {
		must(t, nb.RunCell(ctx, i))
		must(t, nb.WaitCellDone(ctx, i))
	}
	must(t, nb.WaitText(ctx, 1, "exited without reading"))
	return nb, ctx
}

// TestBrowserStaleInput: a cell opens an input box and exits without reading. Reports whether
// the box stays, whether the next cell runs, and what typing into the stale box does.
func TestBrowserStaleInput(t *testing.T) {
	nb, ctx := withStaleBox(t, "classic")
	art := testenv.Artifacts(t)
	boxes, _ := nb.InputBoxes(ctx)
	t.Logf("after the cell finished: %d input box(es) on the page", boxes)
	must(t, nb.Screenshot(ctx, 1, "", filepath.Join(art, "stale-box.png")))
	if boxes != 1 {
		t.Errorf("want the stale input box to stay (observed), got %d boxes", boxes)
	}

	start := time.Now()
	must(t, nb.RunCell(ctx, 2))
	must(t, nb.WaitText(ctx, 2, "hello from the browser"))
	must(t, nb.WaitCellDone(ctx, 2))
	boxes, _ = nb.InputBoxes(ctx)
	t.Logf("next cell ran normally in %v; %d box(es) still on the page", time.Since(start).Round(time.Millisecond), boxes)

	// A person types into the stale box: the box goes, the text is echoed, nothing reads it.
	must(t, nb.TypeInput(ctx, 1, "typed-too-late"))
	time.Sleep(time.Second)
	text, _ := nb.OutputText(ctx, 1)
	boxes, _ = nb.InputBoxes(ctx)
	t.Logf("after typing into the stale box: %d box(es); cell 1 output now %q", boxes, text)
	must(t, nb.Screenshot(ctx, 1, "", filepath.Join(art, "stale-box-answered.png")))
	if boxes != 0 || !strings.Contains(text, "typed-too-late") {
		t.Errorf("want the box gone and the text echoed")
	}

	// A stale box again, then a cell asking for input: Notebook 6 removes every other input
	// box when it shows a new one (outputarea.js append_raw_input); the new one works.
	must(t, nb.RunCell(ctx, 1))
	must(t, nb.WaitCellDone(ctx, 1))
	must(t, nb.RunCell(ctx, 3))
	if _, err := nb.WaitInput(ctx, 3); err != nil {
		t.Fatal(err)
	}
	boxes, _ = nb.InputBoxes(ctx)
	t.Logf("stale box in cell 1, then cell 3 asks: %d input box(es) on the page", boxes)
	if boxes != 1 {
		t.Errorf("want only cell 3's box, got %d boxes", boxes)
	}
	must(t, nb.TypeInput(ctx, 3, "fresh"))
	must(t, nb.WaitText(ctx, 3, `got "fresh"`))
	must(t, nb.WaitAllDone(ctx))
}

// probeServer records the paths requested from it.
type probeServer struct {
	URL string
	mu  sync.Mutex
	got []string
	hit chan string
}

func startProbe(t *testing.T) *probeServer {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &probeServer{URL: "http://" + l.Addr().String(), hit: make(chan string, 16)}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.got = append(p.got, r.URL.Path)
		p.mu.Unlock()
		p.hit <- r.URL.Path
		if r.URL.Path == "/probe" {
			w.Header().Set("Content-Type", "image/gif") // 1x1 transparent GIF
			w.Write([]byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"))
			return
		}
		fmt.Fprint(w, "<title>landing</title>landing page")
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return p
}

func (p *probeServer) wait(ctx context.Context, path string) error {
	for {
		select {
		case got := <-p.hit:
			if got == path {
				return nil
			}
		case <-ctx.Done():
			return fmt.Errorf("no request for %s (got %v): %w", path, p.got, ctx.Err())
		}
	}
}

// TestBrowserProbeAndLink: an <img> in a cell's HTML is fetched by Chromium from another
// loopback port; a link in the output opens a new tab.
func TestBrowserProbeAndLink(t *testing.T) {
	probe := startProbe(t)
	cell := fmt.Sprintf(`%%%%
gonbui.DisplayHTML(%q)
gonbui.Sync()
`, `<img id=probe src="`+probe.URL+`/probe" width=1 height=1><a id=plain href="`+probe.URL+
		`/landing">plain link</a> <a id=blank target=_blank href="`+probe.URL+`/landing">blank link</a>`)
	nb := setup(t, pinGonbui, cell)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	must(t, nb.RunAll(ctx))
	must(t, nb.WaitText(ctx, 1, "plain link"))
	start := time.Now()
	pctx, pcancel := context.WithTimeout(ctx, 10*time.Second)
	defer pcancel()
	if err := probe.wait(pctx, "/probe"); err != nil {
		t.Fatalf("the browser did not load the probe image: %v", err)
	}
	t.Logf("probe image requested %v after the output appeared", time.Since(start).Round(time.Millisecond))
	timing, _ := nb.Page.Eval(`(u) => JSON.stringify(performance.getEntriesByName(u).map(e =>
		({start: Math.round(e.startTime), end: Math.round(e.responseEnd)}))) + ' now=' + Math.round(performance.now())`, probe.URL+"/probe")
	t.Logf("resource timing of the probe (ms since page load): %s", timing.Value.Str())

	target, _ := nb.Page.Eval(`() => document.querySelector('#plain').getAttribute('target')`)
	t.Logf("plain link target attribute after rendering: %v", target.Value)
	if target.Value.Nil() != true {
		t.Errorf("Notebook set target=%v on a plain link; observed: it does not", target.Value)
	}
	page, err := nb.ClickLink(ctx, 1, "#blank")
	if err != nil {
		t.Fatalf("clicking a target=_blank link: %v", err)
	}
	info, err := page.Info()
	must(t, err)
	if !strings.HasSuffix(info.URL, "/landing") {
		t.Errorf("new tab URL = %q", info.URL)
	}
	must(t, page.Close())
	must(t, nb.Screenshot(ctx, 1, "", filepath.Join(testenv.Artifacts(t), "probe-cell.png")))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// submitStale submits every input box in cell i's output area with an empty value, as a
// script in that output area can (the mechanism of the login card's fix, done here by hand).
const submitStale = `(i) => { const r = window.__e2eNotebook.content.widgets[i].outputArea.node; let n = 0;
	for (const b of r.querySelectorAll('input.jp-Stdin-input')) { b.value = '';
		b.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', keyCode: 13, which: 13, bubbles: true})); n++ }
	return n }`

// TestUIStaleInput: in JupyterLab (lab) and in Notebook 7 (notebook7) a cell that exits with its
// input box unanswered leaves a pending input, and the next cell is refused with a dialog;
// submitting the stale box with an empty value from a script clears it, GoNB drops the late
// answer, and the next cell runs.
func TestUIStaleInput(t *testing.T) { forLabFamily(t, staleInput) }

func staleInput(t *testing.T, ui string) {
	nb, ctx := withStaleBox(t, ui)
	art := testenv.Artifacts(t)
	if boxes, _ := nb.InputBoxes(ctx); boxes != 1 {
		t.Fatalf("want the stale box to stay, got %d boxes", boxes)
	}
	must(t, nb.RunCell(ctx, 2))
	dialog, err := nb.WaitCellDoneOrDialog(ctx, 2)
	must(t, err)
	must(t, nb.Screenshot(ctx, -1, "", filepath.Join(art, "pending-input-dialog.png")))
	t.Logf("next cell with a stale box: dialog %q", dialog)
	if dialog != "Cell not executed due to pending input" {
		t.Fatalf("dialog %q, want the pending-input refusal (observed in JupyterLab 4.6 and Notebook 7.6)", dialog)
	}
	must(t, nb.DismissDialog(ctx))

	r, err := nb.Page.Context(ctx).Eval(submitStale, 1)
	must(t, err)
	t.Logf("submitted %d stale box(es) from a script", r.Value.Int())
	must(t, nb.RunCell(ctx, 2))
	dialog, err = nb.WaitCellDoneOrDialog(ctx, 2)
	must(t, err)
	if dialog != "" {
		t.Fatalf("after submitting the stale box: dialog %q", dialog)
	}
	must(t, nb.WaitText(ctx, 2, "hello from the browser"))
	// The next input request is answered normally: the late empty answer went nowhere.
	must(t, nb.RunCell(ctx, 3))
	must(t, nb.TypeInput(ctx, 3, "fresh"))
	must(t, nb.WaitText(ctx, 3, `got "fresh"`))
	must(t, nb.WaitAllDone(ctx))
}
