package notebooks_test

// quickstart.ipynb in classic Jupyter Notebook, JupyterLab 4.6 and Notebook 7.6 with headless
// Chromium (package browser), logged in as a person would: click the card's link, fill in the
// stand-in's login page, and either copy the code back into the box (copy-code) or let the
// browser come back to the kernel's listener by itself (one-click). After the login the next
// cells run: JupyterLab and Notebook 7 refuse any cell while an input box is left open.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
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
	qsLogin = 1
	qsQuery = 3
)

// uiKind names a notebook UI the browser tests drive.
type uiKind string

const (
	uiClassic   uiKind = "classic"   // the classic Notebook 6.4 (apt)
	uiLab       uiKind = "lab"       // the project's JupyterLab 4.6 (jupyterlab/)
	uiNotebook7 uiKind = "notebook7" // the project's Notebook 7.6 (notebook7/)
)

// labFamily are the UIs built on JupyterLab's notebook packages: the same flows, the same
// "pending input" guard, each its own application and pages.
var labFamily = []uiKind{uiLab, uiNotebook7}

// forLabFamily runs test once per UI of labFamily, as subtests named after the UI (run one with
// -run 'TestName/notebook7').
func forLabFamily(t *testing.T, test func(t *testing.T, ui uiKind)) {
	for _, ui := range labFamily {
		t.Run(string(ui), func(t *testing.T) { test(t, ui) })
	}
}

// browserFixture is a Jupyter server (classic Notebook, JupyterLab or Notebook 7) on a copy of
// notebooks/ with the kernel pointed at a stand-in, and a Chromium.
type browserFixture struct {
	srv   *cartotest.Server
	cache string
	dir   string // the notebook folder the server serves
	js    *browser.Server
	b     *browser.Browser
	ui    uiKind
}

func newBrowserFixture(t *testing.T, cfg cartotest.Config) *browserFixture {
	t.Helper()
	return newUIFixture(t, cfg, uiClassic)
}

// newUIFixture is newBrowserFixture in the UI ui.
func newUIFixture(t *testing.T, cfg cartotest.Config, ui uiKind) *browserFixture {
	t.Helper()
	return newUIFixtureEnv(t, standin(t, cfg), ui)
}

// newUIFixtureEnv is newUIFixture on the stand-in srv, with extra variables (KEY=value) in the
// kernel's environment.
func newUIFixtureEnv(t *testing.T, srv *cartotest.Server, ui uiKind, extra ...string) *browserFixture {
	t.Helper()
	f := &browserFixture{srv: srv, cache: t.TempDir(), ui: ui}
	dir := t.TempDir()
	f.dir = dir
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
	opts := browser.ServerOptions{NotebookDir: dir, Env: cellEnv(f.srv, f.cache, extra...)}
	switch ui {
	case uiLab:
		f.js = browser.StartLabT(t, opts)
	case uiNotebook7:
		f.js = browser.StartNotebook7T(t, opts)
	default:
		f.js = browser.StartServerT(t, opts)
	}
	f.b = browser.LaunchT(t)
	return f
}

// open opens a notebook of the fixture's folder in its UI. In Notebook 7 it also checks that the
// page is Notebook 7's own application on /notebooks/NAME (browser.OpenNotebook7).
func (f *browserFixture) open(t *testing.T, name string) *browser.Notebook {
	t.Helper()
	switch f.ui {
	case uiLab:
		return f.b.OpenLabT(t, f.js.NotebookURL(name))
	case uiNotebook7:
		return f.b.OpenNotebook7T(t, f.js.NotebookURL(name))
	}
	return f.b.OpenNotebookT(t, f.js.NotebookURL(name))
}

// cardAttr returns an attribute of the element matching sel inside the login card of cell i
// (now, no waiting); "" when absent.
func cardAttr(ctx context.Context, nb *browser.Notebook, i int, sel, name string) string {
	return nb.Attr(ctx, i, sel, name)
}

// nextCellRuns runs cell i and waits until it has run, failing the test when the UI refuses
// it with a dialog (JupyterLab's "Cell not executed due to pending input": an input box of an
// earlier cell is still open) or it does not print want. The dialog goes to art.
func nextCellRuns(ctx context.Context, t *testing.T, nb *browser.Notebook, i int, want, art string) {
	t.Helper()
	mustOK(t, nb.RunCell(ctx, i))
	dialog, err := nb.WaitCellDoneOrDialog(ctx, i)
	mustOK(t, err)
	if dialog != "" {
		_ = nb.Screenshot(ctx, -1, "", filepath.Join(art, fmt.Sprintf("refused-cell-%d.png", i)))
		_ = nb.DismissDialog(ctx)
		t.Fatalf("%s refused to run cell %d: %q", nb.UI(), i, dialog)
	}
	mustOK(t, nb.WaitText(ctx, i, want))
	mustOK(t, nb.WaitCellDone(ctx, i))
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
// with the pasted code. It returns the code; the code page's screenshot, with the code masked,
// goes to art.
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
	// The screenshot shows the page, not the code: artifacts hold no secret, even a spent one.
	if _, err := tab.Eval(`() => { document.getElementById('code').textContent = '••••••••' }`); err == nil {
		if png, err := tab.Screenshot(false, nil); err == nil {
			_ = os.WriteFile(filepath.Join(art, "code-page.png"), png, 0o644)
		}
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
	var model strings.Builder
	for i := range 8 { // the cells' output models (quickstart has 4 cells)
		if outs, err := nb.Outputs(ctx, i); err == nil {
			b, _ := json.Marshal(outs)
			model.Write(b)
		}
	}
	for label, s := range secrets {
		if strings.Contains(dom, s) || strings.Contains(model.String(), s) {
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

// TestBrowserCopyCode logs in through the copy-code card in classic Notebook as a person would,
// with the kernel's one-click listener unreachable for the browser (requests to port 10000
// are refused, as in Colab or a remote JupyterHub): click the link, log in on the login page,
// copy the code, paste it into the box. It saves the waiting card as docs/login-card.png
// (E2E_UPDATE_DOCS=1) and screenshots of every step in the artifacts.
func TestBrowserCopyCode(t *testing.T) { copyCodeLogin(t, uiClassic) }

// TestUICopyCode is TestBrowserCopyCode in JupyterLab 4.6 (lab) and Notebook 7.6 (notebook7).
func TestUICopyCode(t *testing.T) { forLabFamily(t, copyCodeLogin) }

func copyCodeLogin(t *testing.T, ui uiKind) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	f := newUIFixture(t, cartotest.Config{LoginPage: true}, ui)
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	// The browser cannot reach the kernel: every request to the listener's port fails.
	blocked := blockLoopback(t, f.b)

	nb := f.open(t, "quickstart.ipynb")
	start := time.Now()
	mustOK(t, nb.RunCell(ctx, qsLogin))
	prompt, err := nb.WaitInput(ctx, qsLogin)
	mustOK(t, err)
	t.Logf("login card and box after %v; prompt %q", time.Since(start).Round(time.Millisecond), prompt)
	mustOK(t, nb.WaitText(ctx, qsLogin, "Waiting for the code"))
	if typ := cardAttr(ctx, nb, qsLogin, "input", "type"); typ != "password" {
		t.Errorf("input box type %q, want password", typ)
	}
	// The probe image was requested (and refused): the card stays a copy-code card.
	for deadline := time.Now().Add(10 * time.Second); blocked.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if blocked.Load() == 0 {
		t.Errorf("the browser never tried the one-click probe")
	}
	time.Sleep(300 * time.Millisecond) // a one-click link would come now, if at all
	if st := cardAttr(ctx, nb, qsLogin, ".carto-login", "data-state"); st != "waiting" {
		t.Errorf("card state %q, want waiting", st)
	}
	if oc := cardAttr(ctx, nb, qsLogin, ".carto-login-oneclick", "href"); oc != "" {
		t.Errorf("one-click link %q offered though the browser cannot reach the kernel", oc)
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
	if updateDocs && ui == uiClassic {
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
	mustOK(t, nb.WaitAttr(ctx, qsLogin, ".carto-login", "data-state", "done"))
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
	checkRestOfQuickstart(ctx, t, nb, art)
	checkPageNoLeak(ctx, t, nb, secrets(t, f.srv, f.cache))
}

// checkRestOfQuickstart runs quickstart's query cell after the login: it must run (no
// refusal), with no input box, and show the stand-in's cities above the query's @min, most
// people first, and not the others.
func checkRestOfQuickstart(ctx context.Context, t *testing.T, nb *browser.Notebook, art string) {
	t.Helper()
	nextCellRuns(ctx, t, nb, qsQuery, "rows from", art)
	mustOK(t, nb.WaitAllDone(ctx))
	out, _ := nb.OutputText(ctx, qsQuery)
	if want := fmt.Sprintf("%d rows from ", len(quickstartRows())); !strings.Contains(out, want) {
		t.Errorf("query output %q, want %q…", out, want)
	}
	headers, rows, err := browserTable(ctx, nb, qsQuery)
	mustOK(t, err)
	checkQuickstartTable(t, "the query's table", headers, rows)
	if n, _ := nb.InputBoxes(ctx); n != 0 {
		t.Errorf("%d input boxes left", n)
	}
	mustOK(t, nb.Screenshot(ctx, qsQuery, "", filepath.Join(art, "query-cell.png")))
}

// TestBrowserOneClick: in classic Notebook the browser reaches the kernel's listener, so the
// card adds the one-click login, keeping the copy-code link and QR code; the person clicks it,
// logs in, and the browser brings the code back to the kernel by itself. Nothing is pasted;
// the card closes the code box it no longer needs, and the next cells run.
func TestBrowserOneClick(t *testing.T) { oneClickLogin(t, uiClassic) }

// TestUIOneClick is TestBrowserOneClick in JupyterLab 4.6 (lab) and Notebook 7.6 (notebook7),
// where an input box left open would make the UI refuse every next cell.
func TestUIOneClick(t *testing.T) { forLabFamily(t, oneClickLogin) }

func oneClickLogin(t *testing.T, ui uiKind) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	f := newUIFixture(t, cartotest.Config{LoginPage: true}, ui)
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	nb := f.open(t, "quickstart.ipynb")
	start := time.Now()
	mustOK(t, nb.RunCell(ctx, qsLogin))
	loopbackURI := fmt.Sprintf("http://localhost:%d/callback/", loopbackPort)
	waitOneClick(ctx, t, nb, qsLogin)
	mustOK(t, nb.WaitAttr(ctx, qsLogin, ".carto-login-oneclick", "href", "redirect_uri="+url.QueryEscape(loopbackURI)))
	t.Logf("one-click link added %v after running the cell", time.Since(start).Round(time.Millisecond))
	checkAuthURL(t, f.srv, cardAttr(ctx, nb, qsLogin, ".carto-login-oneclick", "href"), loopbackURI)
	// The copy-code way stays: its link and the QR code.
	checkAuthURL(t, f.srv, cardAttr(ctx, nb, qsLogin, ".carto-login-link", "href"), f.srv.CodePageURL())
	if cardAttr(ctx, nb, qsLogin, ".carto-login-qr", "src") == "" {
		t.Errorf("the QR code went when one click was added")
	}
	if st := cardAttr(ctx, nb, qsLogin, ".carto-login", "data-state"); st != "waiting" {
		t.Errorf("card state %q, want waiting", st)
	}
	if text, _ := nb.OutputText(ctx, qsLogin); !strings.Contains(text, "One-click login: your browser reached this kernel") {
		t.Errorf("the card does not say why one click is offered: %q", text)
	}
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-one-click.png")))

	tab, err := nb.ClickLink(ctx, qsLogin, ".carto-login-oneclick")
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
	// Nobody pasted: the card's last update closed the code box that opened alongside.
	if err := waitNoInputBox(ctx, nb); err != nil {
		t.Error(err)
	}
	if !portFree(loopbackPort) {
		t.Errorf("port %d still in use after the cell finished", loopbackPort)
	}
	checkRestOfQuickstart(ctx, t, nb, art)
	checkPageNoLeak(ctx, t, nb, secrets(t, f.srv, f.cache))
}

// waitOneClick waits until the card in cell i offers one click. When the login could not
// listen on port 10000 (another test or program took it after waitPortFree: tests of other
// checkouts may run at the same time), the card says so; the test stops at once saying why.
func waitOneClick(ctx context.Context, t *testing.T, nb *browser.Notebook, i int) {
	t.Helper()
	const busy = "loopback port is in use"
	for {
		if nb.Attr(ctx, i, ".carto-login-oneclick", "href") != "" {
			return
		}
		text, _ := nb.OutputText(ctx, i)
		if strings.Contains(text, busy) {
			t.Fatalf("port %d was taken by another program during the test (re-run): %q", loopbackPort, text)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no one-click link in cell %d (card now %q): %v", i, text, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitNoInputBox waits up to 5 s for the page to have no open input box.
func waitNoInputBox(ctx context.Context, nb *browser.Notebook) error {
	n := 0
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if n, _ = nb.InputBoxes(ctx); n == 0 {
			return nil
		}
	}
	return fmt.Errorf("%d input box(es) still open on the page 5 s after the login ended", n)
}

// TestBrowserProbeOnlyFromLoopbackPages: the notebook page comes from another host name
// (notebook.test, which this Chromium resolves to 127.0.0.1), as a page from a remote server
// would: the card does not load the one-click probe (Chrome would block it, or ask for
// local-network access each time) and says why; it stays a copy-code card.
func TestBrowserProbeOnlyFromLoopbackPages(t *testing.T) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	f := &browserFixture{srv: standin(t, cartotest.Config{LoginPage: true}), cache: t.TempDir(), dir: t.TempDir()}
	src, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "notebooks", "quickstart.ipynb"))
	mustOK(t, err)
	mustOK(t, os.WriteFile(filepath.Join(f.dir, "quickstart.ipynb"), src, 0o644))
	f.js = browser.StartServerT(t, browser.ServerOptions{NotebookDir: f.dir, Env: cellEnv(f.srv, f.cache),
		Args: []string{"--NotebookApp.allow_remote_access=True"}}) // answer Host: notebook.test
	f.b = browser.LaunchT(t, "host-resolver-rules=MAP notebook.test 127.0.0.1")
	probes := blockLoopback(t, f.b) // counts any request to the listener's port
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	nb := f.b.OpenNotebookT(t, strings.Replace(f.js.NotebookURL("quickstart.ipynb"), "127.0.0.1", "notebook.test", 1))
	mustOK(t, nb.RunCell(ctx, qsLogin))
	_, err = nb.WaitInput(ctx, qsLogin)
	mustOK(t, err)
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second) // the card is there: the script runs at once
	defer wcancel()
	mustOK(t, nb.WaitText(wctx, qsLogin, "this notebook page comes from notebook.test, not from this computer"))
	time.Sleep(2 * time.Second) // a probe request would come now, if at all
	if n := probes.Load(); n != 0 {
		t.Errorf("the browser sent %d request(s) to the kernel's loopback port from a non-loopback page", n)
	}
	if src := cardAttr(ctx, nb, qsLogin, ".carto-login-probe", "src"); src != "" {
		t.Errorf("the probe image was loaded: src=%q", src)
	}
	if oc := cardAttr(ctx, nb, qsLogin, ".carto-login-oneclick", "href"); oc != "" {
		t.Errorf("one-click link offered: %s", oc)
	}
	checkAuthURL(t, f.srv, cardAttr(ctx, nb, qsLogin, ".carto-login-link", "href"), f.srv.CodePageURL())
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-remote-page.png")))
}
