package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// Notebook7AppName is the name Notebook 7's application gives itself (NotebookApp.name);
// JupyterLab's is "JupyterLab".
const Notebook7AppName = "Jupyter Notebook"

// OpenNotebook7 opens url (Notebook 7's /notebooks/PATH) in a new tab and waits until the
// notebook is loaded with its kernel connected and idle, then checks that the page is Notebook
// 7's own application on its notebook page (see CheckNotebook7Page), all bounded by ctx.
func (b *Browser) OpenNotebook7(ctx context.Context, url string) (*Notebook, error) {
	n, err := b.open(ctx, url, notebook7UI)
	if err != nil {
		return nil, err
	}
	if _, err := CheckNotebook7Page(ctx, n.Page, "/notebooks/"); err != nil {
		return nil, err
	}
	return n, nil
}

// Notebook7Page is what CheckNotebook7Page read off a page.
type Notebook7Page struct {
	AppName, Version, Path, Page string // Path: the URL's path; Page: page config notebookPage
}

// CheckNotebook7Page checks that p runs Notebook 7's own application, not JupyterLab: the app
// is named "Jupyter Notebook", its shell is Notebook 7's (#main-panel, no JupyterLab
// #jp-main-dock-panel), and the URL's path starts with prefix ("/tree" or "/notebooks/"),
// the page config naming the same page.
func CheckNotebook7Page(ctx context.Context, p *rod.Page, prefix string) (*Notebook7Page, error) {
	r, err := p.Context(ctx).Eval(`() => { const a = window.jupyterapp;
		const c = document.getElementById('jupyter-config-data');
		return JSON.stringify({AppName: a ? a.name : '', Version: a ? a.version : '', Path: location.pathname,
			Page: c ? (JSON.parse(c.textContent).notebookPage || '') : '',
			shell: a && a.shell ? a.shell.constructor.name : '', lab: !!document.getElementById('jp-main-dock-panel'),
			main: !!document.getElementById('main-panel')}) }`)
	if err != nil {
		return nil, err
	}
	var got struct {
		Notebook7Page
		Shell     string `json:"shell"`
		Lab, Main bool
	}
	if err := json.Unmarshal([]byte(r.Value.Str()), &got); err != nil {
		return nil, err
	}
	page := &got.Notebook7Page
	var bad []string
	if page.AppName != Notebook7AppName {
		bad = append(bad, fmt.Sprintf("the app is named %q, not %q", page.AppName, Notebook7AppName))
	}
	if got.Lab || !got.Main {
		bad = append(bad, fmt.Sprintf("the page has JupyterLab's dock panel (%v) or lacks Notebook 7's main panel (%v)", got.Lab, !got.Main))
	}
	if !strings.HasPrefix(page.Path, prefix) {
		bad = append(bad, fmt.Sprintf("the page is at %s, not under %s", page.Path, prefix))
	}
	if want, _, _ := strings.Cut(strings.Trim(prefix, "/"), "/"); page.Page != want {
		bad = append(bad, fmt.Sprintf("the page config names page %q, not %q", page.Page, want))
	}
	if len(bad) > 0 {
		return page, fmt.Errorf("not Notebook 7's own %s page: %s", prefix, strings.Join(bad, "; "))
	}
	return page, nil
}

// Notebook7Tree is Notebook 7's file browser page (/tree) as a person first sees it.
type Notebook7Tree struct {
	// Page is the go-rod page, for anything the helpers do not cover.
	Page *rod.Page
	b    *Browser
}

// OpenNotebook7Tree opens url (Notebook 7's /tree, with ?token=... as the server printed it) in
// a new tab, waits until the application has started and the file browser lists at least one
// entry, and checks that it is Notebook 7's tree page (bounded by ctx).
func (b *Browser) OpenNotebook7Tree(ctx context.Context, url string) (*Notebook7Tree, error) {
	p, err := b.Rod.Page(proto.TargetCreateTarget{URL: url})
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", url, err)
	}
	go p.EachEvent(func(e *proto.PageJavascriptDialogOpening) {
		_ = proto.PageHandleJavaScriptDialog{Accept: false}.Call(p)
	})()
	ready := `() => !!window.jupyterapp && document.body.dataset.notebookReady === 'true' && (` + labFiles + `)().length > 0`
	if err := p.Context(ctx).Wait(rod.Eval(ready)); err != nil {
		return nil, fmt.Errorf("Notebook 7's tree page did not start with a file browser listing files (page: %s): %w", pageState(p), err)
	}
	if _, err := CheckNotebook7Page(ctx, p, "/tree"); err != nil {
		return nil, err
	}
	return &Notebook7Tree{Page: p, b: b}, nil
}

// Files returns the names the file browser lists now, in its order.
func (h *Notebook7Tree) Files(ctx context.Context) ([]string, error) {
	r, err := h.Page.Context(ctx).Eval(`() => JSON.stringify((` + labFiles + `)())`)
	if err != nil {
		return nil, err
	}
	var names []string
	return names, json.Unmarshal([]byte(r.Value.Str()), &names)
}

// OpenFile double-clicks name in the file browser, as a person opens a notebook: Notebook 7
// opens it in a new tab at /notebooks/NAME. It waits for that tab, the notebook loaded with a
// connected, idle kernel, and checks the tab is Notebook 7's notebook page.
func (h *Notebook7Tree) OpenFile(ctx context.Context, name string) (*Notebook, error) {
	names, err := h.Files(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(names, name) {
		return nil, fmt.Errorf("the file browser does not list %s (it lists %q)", name, names)
	}
	el, err := h.Page.Context(ctx).ElementByJS(rod.Eval(`(n) => [...document.querySelectorAll('.jp-FileBrowser .jp-DirListing-item')]
		.find(e => e.offsetParent !== null && e.querySelector('.jp-DirListing-itemText').innerText.trim() === n)`, name))
	if err != nil {
		return nil, fmt.Errorf("finding %s in the file browser: %w", name, err)
	}
	wait := h.Page.WaitOpen()
	if err := el.Click(proto.InputMouseButtonLeft, 2); err != nil {
		return nil, fmt.Errorf("double-clicking %s in the file browser: %w", name, err)
	}
	ch := make(chan *rod.Page, 1)
	errs := make(chan error, 1)
	go func() {
		if p, err := wait(); err != nil {
			errs <- err
		} else {
			ch <- p
		}
	}()
	var p *rod.Page
	select {
	case p = <-ch:
	case err := <-errs:
		return nil, fmt.Errorf("no new tab after opening %s: %w", name, err)
	case <-time.After(20 * time.Second):
		return nil, fmt.Errorf("no new tab within 20 s after opening %s from the tree", name)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	go p.EachEvent(func(e *proto.PageJavascriptDialogOpening) {
		_ = proto.PageHandleJavaScriptDialog{Accept: false}.Call(p)
	})()
	if err := p.Context(ctx).Wait(rod.Eval(notebook7UI.ready)); err != nil {
		return nil, fmt.Errorf("Notebook 7: %s did not open with a connected kernel (page: %s): %w", name, pageState(p), err)
	}
	if _, err := CheckNotebook7Page(ctx, p, "/notebooks/"+(&url.URL{Path: name}).EscapedPath()); err != nil {
		return nil, err
	}
	return &Notebook{Page: p, b: h.b, ui: notebook7UI}, nil
}
