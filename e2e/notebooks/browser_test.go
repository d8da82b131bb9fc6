package notebooks_test

// quickstart.ipynb in classic Jupyter Notebook with headless Chromium (package browser), logged
// in as a person would: click the card's link, fill in the stand-in's login page, and either
// copy the code back into the box (copy-code) or let the browser come back to the kernel's
// listener by itself (one-click).

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// updateDocs (E2E_UPDATE_DOCS=1) makes TestBrowserCopyCode write docs/login-card.png.
var updateDocs = os.Getenv("E2E_UPDATE_DOCS") == "1"

// Cell indexes of quickstart.ipynb in the browser (markdown cells count).
const (
	qsLogin   = 1
	qsHelpers = 3
	qsQuery   = 4
)

// browserFixture is a Jupyter server on a copy of notebooks/ with the kernel pointed at a
// stand-in, and a Chromium.
type browserFixture struct {
	srv   *cartotest.Server
	cache string
	js    *browser.Server
	b     *browser.Browser
}

func newBrowserFixture(t *testing.T, cfg cartotest.Config) *browserFixture {
	t.Helper()
	f := &browserFixture{srv: standin(t, cfg), cache: t.TempDir()}
	dir := t.TempDir()
	src := filepath.Join(testenv.RepoRoot(t), "notebooks")
	nbs, err := filepath.Glob(filepath.Join(src, "*.ipynb"))
	if err != nil || len(nbs) == 0 {
		t.Fatalf("no notebooks in %s: %v", src, err)
	}
	for _, p := range nbs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(p)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f.js = browser.StartServerT(t, browser.ServerOptions{NotebookDir: dir, Env: cellEnv(f.srv, f.cache)})
	f.b = browser.LaunchT(t)
	return f
}

// cardAttr returns an attribute of the element matching sel inside the login card of cell i
// (now, no waiting); "" when absent.
func cardAttr(ctx context.Context, nb *browser.Notebook, i int, sel, name string) string {
	r, err := nb.Page.Context(ctx).Eval(`(i, s, n) => { const e = Jupyter.notebook.get_cell(i).output_area.element[0].querySelector(s);
		return e ? (e.getAttribute(n) || '') : '' }`, i, sel, name)
	if err != nil {
		return ""
	}
	return r.Value.Str()
}

// waitJS waits until the JS predicate (given the cell index) holds on the notebook page.
func waitJS(ctx context.Context, nb *browser.Notebook, what, js string, i int) error {
	if err := nb.Page.Context(ctx).Wait(rod.Eval(js, i)); err != nil {
		return fmt.Errorf("waiting for %s: %w", what, err)
	}
	return nil
}

// fillLoginPage logs in on the stand-in's login page in tab, as a person would.
func fillLoginPage(ctx context.Context, tab *rod.Page) error {
	p := tab.Context(ctx)
	for sel, text := range map[string]string{"#username": cartotest.TestUser, "#password": cartotest.TestPassword} {
		el, err := p.Element(sel)
		if err != nil {
			return fmt.Errorf("login page: %s: %w", sel, err)
		}
		if err := el.Input(text); err != nil {
			return err
		}
	}
	btn, err := p.Element("#login")
	if err != nil {
		return err
	}
	return btn.Click(proto.InputMouseButtonLeft, 1)
}

// pageURL returns the tab's current URL.
func pageURL(t *testing.T, p *rod.Page) string {
	t.Helper()
	info, err := p.Info()
	if err != nil {
		t.Fatal(err)
	}
	return info.URL
}

// pasteCodeFromLoginTab does what a person does in the login tab the card's link opened: log
// in on the stand-in's page, copy the code it shows (the page must be under codePage), close
// the tab, paste the code into the login cell's box, and wait until the cell says it logged in
// with the pasted code. It returns the code; the code page's screenshot goes to art.
func pasteCodeFromLoginTab(ctx context.Context, t *testing.T, nb *browser.Notebook, tab *rod.Page, codePage, art string) (code string) {
	t.Helper()
	mustOK(t, fillLoginPage(ctx, tab))
	codeEl, err := tab.Context(ctx).Element("#code")
	mustOK(t, err)
	code, err = codeEl.Text()
	mustOK(t, err)
	code = strings.TrimSpace(code)
	if u := pageURL(t, tab); !strings.HasPrefix(u, codePage) || code == "" {
		t.Fatalf("after logging in the tab shows %s with code %q", u, code)
	}
	if png, err := tab.Screenshot(false, nil); err == nil {
		_ = os.WriteFile(filepath.Join(art, "code-page.png"), png, 0o644)
	}
	mustOK(t, tab.Close())
	_, err = nb.Page.Activate()
	mustOK(t, err)
	mustOK(t, nb.TypeInput(ctx, qsLogin, code))
	mustOK(t, nb.WaitText(ctx, qsLogin, "Logged in to"))
	mustOK(t, nb.WaitCellDone(ctx, qsLogin))
	if text, _ := nb.OutputText(ctx, qsLogin); !strings.Contains(text, "(pasted code)") {
		t.Errorf("login cell output %q, want the status to say (pasted code)", text)
	}
	return code
}

// checkPageNoLeak fails if the notebook page (DOM and the cells' output model) holds a secret.
func checkPageNoLeak(ctx context.Context, t *testing.T, nb *browser.Notebook, secrets map[string]string) {
	t.Helper()
	dom, err := nb.Page.Context(ctx).HTML()
	if err != nil {
		t.Fatal(err)
	}
	r, err := nb.Page.Context(ctx).Eval(`() => JSON.stringify(Jupyter.notebook.toJSON())`)
	if err != nil {
		t.Fatal(err)
	}
	for label, s := range secrets {
		if strings.Contains(dom, s) || strings.Contains(r.Value.Str(), s) {
			t.Errorf("the %s appears in the notebook page", label)
		}
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestBrowserCopyCode logs in through the copy-code card as a person would, with the kernel's
// one-click listener unreachable for the browser (requests to port 10000 are refused, as in
// Colab or a remote JupyterHub): click the link, log in on the login page, copy the code, paste
// it into the box. It saves the waiting card as docs/login-card.png (E2E_UPDATE_DOCS=1) and
// screenshots of every step in the artifacts.
func TestBrowserCopyCode(t *testing.T) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	f := newBrowserFixture(t, cartotest.Config{LoginPage: true})
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	// The browser cannot reach the kernel: every request to the listener's port fails.
	blocked := blockLoopback(t, f.b)

	nb := f.b.OpenNotebookT(t, f.js.NotebookURL("quickstart.ipynb"))
	start := time.Now()
	mustOK(t, nb.RunCell(ctx, qsLogin))
	prompt, err := nb.WaitInput(ctx, qsLogin)
	mustOK(t, err)
	t.Logf("login card and box after %v; prompt %q", time.Since(start).Round(time.Millisecond), prompt)
	mustOK(t, nb.WaitText(ctx, qsLogin, "Waiting for the code"))
	if typ := cardAttr(ctx, nb, qsLogin, "input.raw_input", "type"); typ != "password" {
		t.Errorf("input box type %q, want password", typ)
	}
	// The probe image was requested (and refused): the card stays a copy-code card.
	for deadline := time.Now().Add(10 * time.Second); blocked.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if blocked.Load() == 0 {
		t.Errorf("the browser never tried the one-click probe")
	}
	time.Sleep(300 * time.Millisecond) // a switch to one-click would come now, if at all
	if st := cardAttr(ctx, nb, qsLogin, ".carto-login", "data-state"); st != "waiting" {
		t.Errorf("card state %q, want waiting", st)
	}
	link := cardAttr(ctx, nb, qsLogin, ".carto-login-link", "href")
	checkAuthURL(t, f.srv, link, f.srv.CodePageURL())
	if tgt := cardAttr(ctx, nb, qsLogin, ".carto-login-link", "target"); tgt != "_blank" {
		t.Errorf("link target %q", tgt)
	}
	if w := cardAttr(ctx, nb, qsLogin, ".carto-login-qr", "width"); w == "" {
		t.Errorf("no QR code image")
	}
	mustOK(t, nb.Screenshot(ctx, qsLogin, ".carto-login", filepath.Join(art, "card-waiting.png")))
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-waiting.png")))
	if updateDocs {
		docs := filepath.Join(testenv.RepoRoot(t), "docs", "login-card.png")
		mustOK(t, os.MkdirAll(filepath.Dir(docs), 0o755))
		mustOK(t, nb.Screenshot(ctx, qsLogin, ".carto-login", docs))
		t.Logf("wrote %s", docs)
	}

	// The person clicks the link, logs in, and copies the code the page shows.
	tab, err := nb.ClickLink(ctx, qsLogin, ".carto-login-link")
	mustOK(t, err)
	if u := pageURL(t, tab); !strings.HasPrefix(u, f.srv.AuthorizeURL()+"?") {
		t.Errorf("the new tab opened %s, want the stand-in's /authorize", u)
	}
	pasteCodeFromLoginTab(ctx, t, nb, tab, f.srv.CodePageURL()+"?", art)
	mustOK(t, waitJS(ctx, nb, "the done card", `(i) => { const c = Jupyter.notebook.get_cell(i).output_area.element[0].querySelector('.carto-login');
		return !!c && c.dataset.state === 'done' }`, qsLogin))
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-done.png")))
	t.Logf("copy-code login done %v after running the cell", time.Since(start).Round(time.Millisecond))
	if n := f.srv.Count(cartotest.EndpointTokenCode); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
	if e := cachedTokens(t, f.cache); len(e) != 1 || e[0].Flow != "copy-code" {
		t.Errorf("cache: %d entries, want one copy-code login", len(e))
	}
	waitPortFree(t, loopbackPort, 5*time.Second)

	// The rest of the notebook: no box, the table.
	mustOK(t, nb.RunCell(ctx, qsHelpers))
	mustOK(t, nb.RunCell(ctx, qsQuery))
	mustOK(t, nb.WaitText(ctx, qsQuery, "rows from"))
	mustOK(t, nb.WaitAllDone(ctx))
	table, _ := nb.OutputText(ctx, qsQuery)
	for _, c := range cartotest.BigQueryCities() {
		if !strings.Contains(table, c.Name) {
			t.Errorf("query output lacks %s: %q", c.Name, table)
		}
	}
	if n, _ := nb.InputBoxes(ctx); n != 0 {
		t.Errorf("%d input boxes left", n)
	}
	mustOK(t, nb.Screenshot(ctx, qsQuery, "", filepath.Join(art, "query-cell.png")))
	checkPageNoLeak(ctx, t, nb, secrets(t, f.srv, f.cache))
}

// TestBrowserOneClick: the browser reaches the kernel's listener, so the card turns into the
// one-click login; the person clicks, logs in, and the browser brings the code back to the
// kernel by itself. Nothing is pasted.
func TestBrowserOneClick(t *testing.T) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	f := newBrowserFixture(t, cartotest.Config{LoginPage: true})
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	nb := f.b.OpenNotebookT(t, f.js.NotebookURL("quickstart.ipynb"))
	start := time.Now()
	mustOK(t, nb.RunCell(ctx, qsLogin))
	mustOK(t, waitJS(ctx, nb, "the one-click link", `(i) => { const a = Jupyter.notebook.get_cell(i).output_area.element[0].querySelector('.carto-login-link');
		return !!a && a.getAttribute('href').includes('redirect_uri=http%3A%2F%2Flocalhost') }`, qsLogin))
	t.Logf("card switched to one-click %v after running the cell", time.Since(start).Round(time.Millisecond))
	loopbackURI := fmt.Sprintf("http://localhost:%d/callback/", loopbackPort)
	checkAuthURL(t, f.srv, cardAttr(ctx, nb, qsLogin, ".carto-login-link", "href"), loopbackURI)
	if st := cardAttr(ctx, nb, qsLogin, ".carto-login", "data-state"); st != "waiting" {
		t.Errorf("card state %q, want waiting", st)
	}
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-one-click.png")))

	tab, err := nb.ClickLink(ctx, qsLogin, ".carto-login-link")
	mustOK(t, err)
	mustOK(t, fillLoginPage(ctx, tab))
	// The login page redirects the browser to the kernel's listener.
	err = tab.Context(ctx).Wait(rod.Eval(`(u) => location.href.startsWith(u) && document.title === 'Logged in to CARTO'`, loopbackURI))
	if err != nil {
		t.Fatalf("the tab did not land on the listener's page (now %s): %v", pageURL(t, tab), err)
	}
	if png, err := tab.Screenshot(false, nil); err == nil {
		_ = os.WriteFile(filepath.Join(art, "callback-page.png"), png, 0o644)
	}
	mustOK(t, tab.Close())
	_, err = nb.Page.Activate()
	mustOK(t, err)
	mustOK(t, nb.WaitText(ctx, qsLogin, "Logged in to"))
	mustOK(t, nb.WaitCellDone(ctx, qsLogin))
	text, _ := nb.OutputText(ctx, qsLogin)
	if !strings.Contains(text, "(one-click browser login)") {
		t.Errorf("login cell output %q, want the status to say (one-click browser login)", text)
	}
	if st := cardAttr(ctx, nb, qsLogin, ".carto-login", "data-state"); st != "done" {
		t.Errorf("final card state %q, want done", st)
	}
	t.Logf("one-click login done %v after running the cell", time.Since(start).Round(time.Millisecond))
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-done.png")))
	if n := f.srv.Count(cartotest.EndpointTokenCode); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
	if e := cachedTokens(t, f.cache); len(e) != 1 || e[0].Flow != "loopback" {
		t.Errorf("cache: %d entries, want one loopback login", len(e))
	}
	// Nobody pasted: the copy-code box that opened alongside is left as it was.
	boxes, _ := nb.InputBoxes(ctx)
	outs, _ := nb.Outputs(ctx, qsLogin)
	ob, _ := json.Marshal(outs)
	t.Logf("after the one-click login: %d unanswered input box(es) on the page; saved outputs %d bytes", boxes, len(ob))
	if !portFree(loopbackPort) {
		t.Errorf("port %d still in use after the cell finished", loopbackPort)
	}
	checkPageNoLeak(ctx, t, nb, secrets(t, f.srv, f.cache))
}
