package browser_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"

	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/kernel"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

const (
	printCell = "%%\nfmt.Println(\"hello from the browser\")"
	// pinGonbui: GoNB resolves a new import with `go get` @latest, which the proxy refuses for gonb.
	pinGonbui   = "!*go get github.com/janpfeifer/gonb/gonbui@v0.11.5"
	displayCell = `import "github.com/janpfeifer/gonb/gonbui"

%%
gonbui.DisplayHTML("<b id=static>static</b>")
gonbui.UpdateHTML("card", "<i id=card>first</i>")
gonbui.UpdateHTML("card", "<i id=card>second</i>")
gonbui.Sync()
`
	inputCell = `%%
gonbui.RequestInput("code", true)
var line string
fmt.Scanln(&line)
fmt.Printf("got %q\n", line)
`
)

// setup starts a classic Notebook server serving a notebook made of cells, a browser, and
// opens the notebook.
func setup(t *testing.T, cells ...string) *browser.Notebook {
	t.Helper()
	return setupUI(t, "classic", cells...)
}

// labFamily are the UIs built on JupyterLab's notebook packages: the project's JupyterLab 4.6
// and Notebook 7.6.
var labFamily = []string{"lab", "notebook7"}

// forLabFamily runs test once per UI of labFamily, as subtests named after the UI.
func forLabFamily(t *testing.T, test func(t *testing.T, ui string)) {
	for _, ui := range labFamily {
		t.Run(ui, func(t *testing.T) { test(t, ui) })
	}
}

// setupUI is setup in ui: "classic", "lab" (JupyterLab) or "notebook7" (Notebook 7).
func setupUI(t *testing.T, ui string, cells ...string) *browser.Notebook {
	t.Helper()
	dir := t.TempDir()
	if err := kernel.WriteNotebook(filepath.Join(dir, "t.ipynb"), cells...); err != nil {
		t.Fatal(err)
	}
	switch ui {
	case "lab":
		srv := browser.StartLabT(t, browser.ServerOptions{NotebookDir: dir})
		return browser.LaunchT(t).OpenLabT(t, srv.NotebookURL("t.ipynb"))
	case "notebook7":
		srv := browser.StartNotebook7T(t, browser.ServerOptions{NotebookDir: dir})
		return browser.LaunchT(t).OpenNotebook7T(t, srv.NotebookURL("t.ipynb"))
	}
	srv := browser.StartServerT(t, browser.ServerOptions{NotebookDir: dir})
	return browser.LaunchT(t).OpenNotebookT(t, srv.NotebookURL("t.ipynb"))
}

func TestBrowserSmoke(t *testing.T) { smoke(t, "classic") }

// TestUISmoke is TestBrowserSmoke in JupyterLab (lab) and Notebook 7 (notebook7).
func TestUISmoke(t *testing.T) { forLabFamily(t, smoke) }

// smoke prints, displays and updates a block, and answers an input box in one notebook UI.
func smoke(t *testing.T, ui string) {
	start := time.Now()
	nb := setupUI(t, ui, printCell, pinGonbui, displayCell, inputCell)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	if err := nb.RunAll(ctx); err != nil {
		t.Fatal(err)
	}
	prompt, err := nb.WaitInput(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(prompt, "code") {
		t.Errorf("input prompt = %q, want it to contain %q", prompt, "code")
	}
	if err := nb.TypeInput(ctx, 3, "typed-by-a-person"); err != nil {
		t.Fatal(err)
	}
	if err := nb.WaitText(ctx, 3, `got "typed-by-a-person"`); err != nil {
		t.Fatal(err)
	}
	if err := nb.WaitAllDone(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := nb.OutputText(ctx, 0); got != "hello from the browser\n" && got != "hello from the browser" {
		t.Errorf("cell 0 output = %q", got)
	}
	// The updated block replaced its first content in place.
	text, _ := nb.OutputText(ctx, 2)
	if !strings.Contains(text, "static") || !strings.Contains(text, "second") || strings.Contains(text, "first") {
		t.Errorf("cell 2 output = %q, want static and second (not first)", text)
	}
	outs, err := nb.Outputs(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 {
		t.Errorf("cell 2 has %d outputs, want 2: %v", len(outs), outs)
	}
	if n, _ := nb.InputBoxes(ctx); n != 0 {
		t.Errorf("%d input boxes left after answering", n)
	}
	if err := nb.Screenshot(ctx, 2, "", filepath.Join(testenv.Artifacts(t), "display-cell.png")); err != nil {
		t.Error(err)
	}
	// A cell added on the page runs like the notebook's own.
	added, err := nb.AddCell(ctx, "%%\nfmt.Println(\"an added cell ran\")")
	if err != nil {
		t.Fatal(err)
	}
	if added != 4 {
		t.Errorf("the added cell has index %d, want 4", added)
	}
	if err := nb.RunCell(ctx, added); err != nil {
		t.Fatal(err)
	}
	if err := nb.WaitText(ctx, added, "an added cell ran"); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s smoke test: %v", nb.UI(), time.Since(start).Round(time.Millisecond))
}

// TestUIPassword: JupyterLab (lab) and Notebook 7 (notebook7) with a password set as a user
// sets it (`jupyterlab/jupyter-lab password`, `notebook7/jupyter-notebook7 password`) behave
// like `jupyter lab` and `jupyter notebook`: no token in the URL they print (/lab, /tree), the
// API refuses requests without a login, the login page refuses a wrong password, and the right
// one opens the UI with the folder in its file browser and a notebook that runs.
func TestUIPassword(t *testing.T) { forLabFamily(t, passwordLogin) }

// uiHome is the page a login opens: JupyterLab's /lab or Notebook 7's /tree.
type uiHome interface {
	OpenFile(ctx context.Context, name string) (*browser.Notebook, error)
}

func passwordLogin(t *testing.T, ui string) {
	dir := t.TempDir()
	if err := kernel.WriteNotebook(filepath.Join(dir, "t.ipynb"), printCell); err != nil {
		t.Fatal(err)
	}
	const password = "jupyter-password-for-the-test"
	opts := browser.ServerOptions{NotebookDir: dir, Password: password}
	var srv *browser.Server
	home := "/lab"
	if ui == "notebook7" {
		srv, home = browser.StartNotebook7T(t, opts), "/tree"
	} else {
		srv = browser.StartLabT(t, opts)
	}
	out := srv.Output()
	if srv.Token != "" || strings.Contains(out, "token=") {
		t.Errorf("a token with a password set: %q", out)
	}
	if !strings.Contains(out, srv.URL+home+"\n") {
		t.Errorf("the server did not print its URL %s%s: %q", srv.URL, home, out)
	}
	resp, err := http.Get(srv.URL + "/api/contents")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET /api/contents without a login: %s, want 403", resp.Status)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	b := browser.LaunchT(t)
	art := testenv.Artifacts(t)
	login := func(pw string) (uiHome, *rod.Page, error) {
		if ui == "notebook7" {
			h, err := b.Notebook7Login(ctx, srv.URL+home, pw)
			if err != nil {
				return nil, nil, err
			}
			return h, h.Page, nil
		}
		h, err := b.LabLogin(ctx, srv.URL+home, pw)
		if err != nil {
			return nil, nil, err
		}
		return h, h.Page, nil
	}
	if _, _, err := login("not-the-password"); !errors.Is(err, browser.ErrLoginRefused) {
		t.Errorf("a wrong password: %v, want the login page to refuse it", err)
	}
	h, page, err := login(password)
	if err != nil {
		t.Fatal(err)
	}
	if png, err := page.Context(ctx).Screenshot(false, nil); err != nil {
		t.Error(err)
	} else if err := os.WriteFile(filepath.Join(art, "file-browser.png"), png, 0o644); err != nil {
		t.Error(err)
	}
	nb, err := h.OpenFile(ctx, "t.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if err := nb.RunCell(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if err := nb.WaitText(ctx, 0, "hello from the browser"); err != nil {
		t.Fatal(err)
	}
}
