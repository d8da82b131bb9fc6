package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// LabHome is JupyterLab's main page (/lab) as a person first sees it: the file browser on the
// left, listing the served folder. The server must expose the app (window.jupyterapp:
// --expose-app-in-browser, or c.LabApp.expose_app_in_browser in a config file).
type LabHome struct {
	// Page is the go-rod page, for anything the helpers do not cover.
	Page *rod.Page
	b    *Browser
}

// labFiles lists the names the file browser shows (its visible listing).
const labFiles = `() => [...document.querySelectorAll('.jp-FileBrowser .jp-DirListing-item .jp-DirListing-itemText')]
	.filter(e => e.offsetParent !== null).map(e => e.innerText.trim())`

// OpenLabHome opens url (JupyterLab's /lab, with ?token=... as the server printed it) in a new
// tab and waits until the application has started and the file browser shows the folder, at
// least one entry (bounded by ctx).
func (b *Browser) OpenLabHome(ctx context.Context, url string) (*LabHome, error) {
	p, err := b.Rod.Page(proto.TargetCreateTarget{URL: url})
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", url, err)
	}
	go p.EachEvent(func(e *proto.PageJavascriptDialogOpening) {
		_ = proto.PageHandleJavaScriptDialog{Accept: false}.Call(p)
	})()
	ready := `() => !!window.jupyterapp && document.body.dataset.labReady === 'true' && (` + labFiles + `)().length > 0`
	if err := p.Context(ctx).Wait(rod.Eval(ready)); err != nil {
		return nil, fmt.Errorf("JupyterLab's page did not start with a file browser listing files (page: %s): %w", pageState(p), err)
	}
	return &LabHome{Page: p, b: b}, nil
}

// Files returns the names the file browser lists now, in its order.
func (h *LabHome) Files(ctx context.Context) ([]string, error) {
	r, err := h.Page.Context(ctx).Eval(`() => JSON.stringify((` + labFiles + `)())`)
	if err != nil {
		return nil, err
	}
	var names []string
	return names, json.Unmarshal([]byte(r.Value.Str()), &names)
}

// OpenFile double-clicks name in the file browser, as a person opens a notebook, and waits until
// the notebook is the current document with its kernel connected and idle.
func (h *LabHome) OpenFile(ctx context.Context, name string) (*Notebook, error) {
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
	if err := el.Click(proto.InputMouseButtonLeft, 2); err != nil {
		return nil, fmt.Errorf("double-clicking %s in the file browser: %w", name, err)
	}
	if err := h.Page.Context(ctx).Wait(rod.Eval(labUI.ready)); err != nil {
		return nil, fmt.Errorf("JupyterLab: %s did not open with a connected kernel (page: %s): %w", name, pageState(h.Page), err)
	}
	return &Notebook{Page: h.Page, b: h.b, ui: labUI}, nil
}

// Screenshot saves a PNG of the whole visible page to path.
func (h *LabHome) Screenshot(ctx context.Context, path string) error {
	png, err := h.Page.Context(ctx).Screenshot(false, nil)
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	return os.WriteFile(path, png, 0o644)
}

// PageScreenshot saves a PNG of the whole visible page (JupyterLab's shell around the
// notebook: menus, file browser, tabs) to path.
func (n *Notebook) PageScreenshot(ctx context.Context, path string) error {
	png, err := n.Page.Context(ctx).Screenshot(false, nil)
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	return os.WriteFile(path, png, 0o644)
}

// LabLogin opens url (a JupyterLab page of a server with a password), expects Jupyter's login
// page, types password into it and submits it, as a person does, and waits for JupyterLab's
// main page with its file browser (bounded by ctx).
func (b *Browser) LabLogin(ctx context.Context, url, password string) (*LabHome, error) {
	ready := `() => !!window.jupyterapp && document.body.dataset.labReady === 'true' && (` + labFiles + `)().length > 0`
	p, err := b.login(ctx, url, password, ready, "JupyterLab")
	if err != nil {
		return nil, err
	}
	return &LabHome{Page: p, b: b}, nil
}

// Notebook7Login is LabLogin for Notebook 7: after the login, its tree page (/tree) with the
// folder in its file browser, checked to be Notebook 7's own (CheckNotebook7Page).
func (b *Browser) Notebook7Login(ctx context.Context, url, password string) (*Notebook7Tree, error) {
	ready := `() => !!window.jupyterapp && document.body.dataset.notebookReady === 'true' && (` + labFiles + `)().length > 0`
	p, err := b.login(ctx, url, password, ready, "Notebook 7")
	if err != nil {
		return nil, err
	}
	if _, err := CheckNotebook7Page(ctx, p, "/tree"); err != nil {
		return nil, err
	}
	return &Notebook7Tree{Page: p, b: b}, nil
}

// login opens url, types password into Jupyter's login page and submits it, and waits until
// ready (the UI named name started) or the login page comes back saying why not.
func (b *Browser) login(ctx context.Context, url, password, ready, name string) (*rod.Page, error) {
	p, err := b.Rod.Page(proto.TargetCreateTarget{URL: url})
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", url, err)
	}
	pc := p.Context(ctx)
	box, err := pc.Element("#password_input")
	if err != nil {
		return nil, fmt.Errorf("no password box on the login page (page: %s): %w", pageState(p), err)
	}
	if err := box.Input(password); err != nil {
		return nil, err
	}
	btn, err := pc.Element("#login_submit")
	if err != nil {
		return nil, err
	}
	if err := btn.Click(proto.InputMouseButtonLeft, 1); err != nil {
		return nil, err
	}
	// The UI starts, or the login page comes back saying why not.
	refused := `() => { const m = document.querySelector('#password_input') && document.querySelector('.message.error'); return m ? m.innerText.trim() : '' }`
	if err := pc.Wait(rod.Eval(`() => (` + ready + `)() || !!(` + refused + `)()`)); err != nil {
		return nil, fmt.Errorf("%s did not start after the login (page: %s): %w", name, pageState(p), err)
	}
	if r, err := pc.Eval(refused); err == nil && r.Value.Str() != "" {
		return nil, fmt.Errorf("%w: the login page says %q", ErrLoginRefused, r.Value.Str())
	}
	return p, nil
}

// ErrLoginRefused is LabLogin's error when Jupyter's login page refuses the password.
var ErrLoginRefused = errors.New("login refused")
