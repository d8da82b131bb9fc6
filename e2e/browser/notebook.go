package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/input"
	"github.com/go-rod/rod/lib/proto"
)

// Notebook is an open notebook page, classic Notebook or JupyterLab (the ui decides how each
// helper reaches the page). Cell indexes count every cell from 0 (markdown cells included), as
// both UIs do; -1 means "anywhere in the notebook".
type Notebook struct {
	// Page is the go-rod page, for anything the helpers do not cover.
	Page *rod.Page
	b    *Browser
	ui   *ui
}

// OpenNotebook opens url (a classic Notebook's /notebooks/...) in a new tab and waits until the
// notebook is loaded and its kernel connected (bounded by ctx).
func (b *Browser) OpenNotebook(ctx context.Context, url string) (*Notebook, error) {
	return b.open(ctx, url, classicUI)
}

// OpenLab opens url (JupyterLab's /lab/tree/...) in a new tab and waits until the notebook is
// the current document with its kernel connected and idle (bounded by ctx).
func (b *Browser) OpenLab(ctx context.Context, url string) (*Notebook, error) {
	return b.open(ctx, url, labUI)
}

func (b *Browser) open(ctx context.Context, url string, u *ui) (*Notebook, error) {
	p, err := b.Rod.Page(proto.TargetCreateTarget{URL: url})
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", url, err)
	}
	n := &Notebook{Page: p, b: b, ui: u}
	// Dismiss dialogs (Jupyter's "leave page?" on navigation) so no CDP call hangs behind one.
	go p.EachEvent(func(e *proto.PageJavascriptDialogOpening) {
		_ = proto.PageHandleJavaScriptDialog{Accept: false}.Call(p)
	})()
	if err := p.Context(ctx).Wait(rod.Eval(u.ready)); err != nil {
		return nil, fmt.Errorf("%s: notebook not loaded with a connected kernel (page: %s): %w", u.name, pageState(p), err)
	}
	return n, nil
}

// WaitKernelIdle waits until the kernel is idle.
func (n *Notebook) WaitKernelIdle(ctx context.Context) error {
	return n.Page.Context(ctx).Wait(rod.Eval(n.ui.kernelIdle))
}

// RunAll executes every cell (Run All) and returns at once.
func (n *Notebook) RunAll(ctx context.Context) error {
	_, err := n.Page.Context(ctx).Eval(n.ui.runAll)
	return err
}

// RunCell executes cell i and returns at once.
func (n *Notebook) RunCell(ctx context.Context, i int) error {
	_, err := n.Page.Context(ctx).Eval(n.ui.runCell, i)
	return err
}

// AddCell appends a code cell holding src to the notebook (not saved), as a person typing a
// new cell would, and returns its index for RunCell and the other helpers once the UI shows it.
func (n *Notebook) AddCell(ctx context.Context, src string) (int, error) {
	r, err := n.Page.Context(ctx).Eval(n.ui.addCell, src)
	if err != nil {
		return 0, fmt.Errorf("%s: adding a cell: %w", n.ui.name, err)
	}
	i := r.Value.Int()
	if err := n.Page.Context(ctx).Wait(rod.Eval(`(i) => (`+n.ui.cells+`)() > i`, i)); err != nil {
		return 0, fmt.Errorf("%s: the added cell %d never showed: %w", n.ui.name, i, err)
	}
	return i, nil
}

// WaitCellDone waits until cell i is no longer queued or running.
func (n *Notebook) WaitCellDone(ctx context.Context, i int) error {
	return n.Page.Context(ctx).Wait(rod.Eval(n.ui.cellDone, i))
}

// WaitAllDone waits until no code cell is queued or running and the kernel is idle.
func (n *Notebook) WaitAllDone(ctx context.Context) error {
	if err := n.Page.Context(ctx).Wait(rod.Eval(n.ui.allDone)); err != nil {
		return err
	}
	return n.WaitKernelIdle(ctx)
}

// inputBox finds the input box in cell i's outputs, or anywhere when i < 0.
func (n *Notebook) inputBox(ctx context.Context, i int) (*rod.Element, error) {
	el, err := n.Page.Context(ctx).ElementByJS(rod.Eval(`(i, s) => { const r = (`+n.ui.outputRoot+`)(i);
		return r ? r.querySelector(s) : null }`, i, n.ui.input))
	if err != nil {
		return nil, fmt.Errorf("no input box in cell %d: %w", i, err)
	}
	return el, nil
}

// WaitInput waits for an input box in cell i (anywhere when i < 0) and returns its prompt.
func (n *Notebook) WaitInput(ctx context.Context, i int) (string, error) {
	el, err := n.inputBox(ctx, i)
	if err != nil {
		return "", err
	}
	prompt, err := el.Eval(`function() { return this.parentElement.innerText }`)
	if err != nil {
		return "", err
	}
	return prompt.Value.Str(), nil
}

// TypeInput waits for an input box in cell i (the first anywhere when i < 0), clicks into it,
// types text and presses Enter, as a person would. Pass the cell: a box left by an earlier
// cell that exited without reading stays on the page.
func (n *Notebook) TypeInput(ctx context.Context, i int, text string) error {
	el, err := n.inputBox(ctx, i)
	if err != nil {
		return err
	}
	if err := el.Click(proto.InputMouseButtonLeft, 1); err != nil {
		return err
	}
	p := n.Page.Context(ctx)
	if err := p.InsertText(text); err != nil {
		return err
	}
	return p.Keyboard.Type(input.Enter)
}

// InputBoxes returns how many input boxes are on the page now (no waiting).
func (n *Notebook) InputBoxes(ctx context.Context) (int, error) {
	r, err := n.Page.Context(ctx).Eval(`(s) => document.querySelectorAll(s).length`, n.ui.input)
	if err != nil {
		return 0, err
	}
	return r.Value.Int(), nil
}

// WaitText waits until the outputs of cell i contain text.
func (n *Notebook) WaitText(ctx context.Context, i int, text string) error {
	err := n.Page.Context(ctx).Wait(rod.Eval(`(i, t) => { const r = (`+n.ui.outputRoot+`)(i);
		return !!r && r.innerText.includes(t) }`, i, text))
	if err != nil {
		got, _ := n.OutputText(context.Background(), i)
		return fmt.Errorf("waiting for %q in cell %d output (now %q): %w", text, i, got, err)
	}
	return nil
}

// OutputText returns the visible text of cell i's outputs (no waiting).
func (n *Notebook) OutputText(ctx context.Context, i int) (string, error) {
	r, err := n.Page.Context(ctx).Eval(`(i) => { const r = (`+n.ui.outputRoot+`)(i); return r ? r.innerText : '' }`, i)
	if err != nil {
		return "", err
	}
	return r.Value.Str(), nil
}

// Outputs returns cell i's output model (nbformat output dicts, as the notebook would save).
func (n *Notebook) Outputs(ctx context.Context, i int) ([]map[string]any, error) {
	r, err := n.Page.Context(ctx).Eval(n.ui.outputsJSON, i)
	if err != nil {
		return nil, err
	}
	var outs []map[string]any
	return outs, json.Unmarshal([]byte(r.Value.Str()), &outs)
}

// Element waits for the first element matching the CSS selector inside cell i's outputs.
func (n *Notebook) Element(ctx context.Context, i int, selector string) (*rod.Element, error) {
	el, err := n.Page.Context(ctx).ElementByJS(rod.Eval(`(i, s) => { const r = (`+n.ui.outputRoot+`)(i);
		return r ? r.querySelector(s) : null }`, i, selector))
	if err != nil {
		return nil, fmt.Errorf("waiting for %q in cell %d output: %w", selector, i, err)
	}
	return el, nil
}

// ClickLink clicks the element matching selector in cell i's outputs and returns the tab it
// opens (loaded), as a link with target=_blank does. It fails after 10 s without a new tab:
// Notebook 6.4 does not add target=_blank to links in outputs, so a plain link would navigate
// the notebook page itself (the "leave page?" dialog is dismissed); JupyterLab keeps it.
func (n *Notebook) ClickLink(ctx context.Context, i int, selector string) (*rod.Page, error) {
	el, err := n.Element(ctx, i, selector)
	if err != nil {
		return nil, err
	}
	// Wait with the page's own (background) context so the new page is not tied to a
	// shorter one; bound the wait here instead.
	type opened struct {
		p   *rod.Page
		err error
	}
	ch := make(chan opened, 1)
	wait := n.Page.WaitOpen()
	if err := el.Click(proto.InputMouseButtonLeft, 1); err != nil {
		return nil, err
	}
	go func() { p, err := wait(); ch <- opened{p, err} }()
	var p *rod.Page
	select {
	case o := <-ch:
		p, err = o.p, o.err
	case <-time.After(10 * time.Second):
		err = fmt.Errorf("timeout")
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("no new tab after clicking %q (does the link have target=_blank?): %w", selector, err)
	}
	if err := p.Context(ctx).WaitLoad(); err != nil {
		return nil, err
	}
	return p, nil
}

// Screenshot saves a PNG of the element matching selector in cell i's outputs (or, with an
// empty selector, of cell i itself; of the whole page when i < 0) to path.
func (n *Notebook) Screenshot(ctx context.Context, i int, selector, path string) error {
	var el *rod.Element
	var err error
	switch {
	case selector != "":
		el, err = n.Element(ctx, i, selector)
	case i >= 0:
		el, err = n.Page.Context(ctx).ElementByJS(rod.Eval(n.ui.cell, i))
	default:
		el, err = n.Page.Context(ctx).ElementByJS(rod.Eval(n.ui.notebook))
	}
	if err != nil {
		return err
	}
	png, err := el.Context(ctx).Screenshot(proto.PageCaptureScreenshotFormatPng, 0)
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	return os.WriteFile(path, png, 0o644)
}

// UI names the notebook UI ("classic Notebook" or "JupyterLab").
func (n *Notebook) UI() string { return n.ui.name }

// Dialog returns the title of the modal dialog open on the page, or "" (no waiting).
func (n *Notebook) Dialog(ctx context.Context) (string, error) {
	r, err := n.Page.Context(ctx).Eval(n.ui.dialog)
	if err != nil {
		return "", err
	}
	return r.Value.Str(), nil
}

// DismissDialog presses the default button of the open modal dialog, if any.
func (n *Notebook) DismissDialog(ctx context.Context) error {
	_, err := n.Page.Context(ctx).Eval(n.ui.dismiss)
	return err
}

// WaitCellDoneOrDialog waits until cell i has run or a modal dialog opens (JupyterLab refuses
// to run a cell behind one, e.g. "Cell not executed due to pending input"). It returns the
// dialog's title, or "" when the cell ran.
func (n *Notebook) WaitCellDoneOrDialog(ctx context.Context, i int) (string, error) {
	err := n.Page.Context(ctx).Wait(rod.Eval(`(i) => !!(`+n.ui.dialog+`)() || (`+n.ui.cellDone+`)(i)`, i))
	if err != nil {
		return "", fmt.Errorf("waiting for cell %d to run (or a dialog): %w", i, err)
	}
	return n.Dialog(ctx)
}

// pageState describes a page that did not get ready: its title, any dialog, the start of its text.
func pageState(p *rod.Page) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r, err := p.Context(ctx).Eval(`() => { const d = document.querySelector('.jp-Dialog, .modal.in');
		const w = window.jupyterapp && jupyterapp.shell.currentWidget;
		const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
		return JSON.stringify({title: document.title, dialog: d ? d.innerText.slice(0, 300) : '',
			kernel: k ? k.connectionStatus + '/' + k.status : (window.Jupyter ? 'classic' : 'none'),
			text: document.body ? document.body.innerText.slice(0, 300) : ''}) }`)
	if err != nil {
		return "unreadable: " + err.Error()
	}
	return r.Value.Str()
}

// Attr returns attribute name of the first element matching sel in cell i's outputs, or ""
// when there is none (no waiting).
func (n *Notebook) Attr(ctx context.Context, i int, sel, name string) string {
	r, err := n.Page.Context(ctx).Eval(`(i, s, a) => { const r = (`+n.ui.outputRoot+`)(i);
		const e = r && r.querySelector(s); return e ? (e.getAttribute(a) || '') : '' }`, i, sel, name)
	if err != nil {
		return ""
	}
	return r.Value.Str()
}

// WaitAttr waits until attribute name of an element matching sel in cell i's outputs
// contains want.
func (n *Notebook) WaitAttr(ctx context.Context, i int, sel, name, want string) error {
	err := n.Page.Context(ctx).Wait(rod.Eval(`(i, s, a, w) => { const r = (`+n.ui.outputRoot+`)(i);
		const e = r && r.querySelector(s); return !!e && (e.getAttribute(a) || '').includes(w) }`, i, sel, name, want))
	if err != nil {
		return fmt.Errorf("waiting for %s[%s] containing %q in cell %d (now %q): %w", sel, name, want, i,
			n.Attr(context.Background(), i, sel, name), err)
	}
	return nil
}
