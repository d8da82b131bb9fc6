package notebooks_test

// Notebook 7's own pages, as `jupyter notebook` opens them: the file browser at /tree, a
// notebook opened from it in a new tab at /notebooks/<path>. (The login flows in Notebook 7:
// TestUICopyCode, TestUIOneClick, TestUILoginEndings.)

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// TestNotebook7Tree: the server's default page is Notebook 7's tree (/ redirects to /tree), the
// app on it is Notebook 7's ("Jupyter Notebook", its own shell; /lab is not served), it lists
// the example notebooks, and quickstart.ipynb opened from it by a double click opens in a new
// tab at /notebooks/quickstart.ipynb, where its first cell runs: the login card and its code
// box. It logs the times a person waits: the tree, the notebook with its kernel, the card.
func TestNotebook7Tree(t *testing.T) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	f := newUIFixture(t, cartotest.Config{LoginPage: true}, uiNotebook7)
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	// / goes to /tree; /lab is not this server's.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(f.js.URL + "/?token=" + f.js.Token)
	mustOK(t, err)
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode/100 != 3 || !strings.HasPrefix(loc, "/tree") {
		t.Errorf("GET / answered %d Location %q, want a redirect to /tree", resp.StatusCode, loc)
	}
	resp, err = http.Get(f.js.URL + "/lab?token=" + f.js.Token)
	mustOK(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /lab answered %d, want 404: the server is Notebook 7's, not JupyterLab's", resp.StatusCode)
	}

	begin := time.Now()
	tree, err := f.b.OpenNotebook7Tree(ctx, f.js.HomeURL())
	mustOK(t, err)
	t.Logf("Notebook 7's tree listed the folder %v after opening /tree", time.Since(begin).Round(time.Millisecond))
	page, err := browser.CheckNotebook7Page(ctx, tree.Page, "/tree")
	mustOK(t, err)
	t.Logf("tree page: app %q %s at %s", page.AppName, page.Version, page.Path)
	files, err := tree.Files(ctx)
	mustOK(t, err)
	for _, name := range []string{"quickstart.ipynb", "m2m-etl.ipynb", "two-cell-login.ipynb"} {
		if !slices.Contains(files, name) {
			t.Errorf("the tree does not list %s: %q", name, files)
		}
	}
	png, err := tree.Page.Context(ctx).Screenshot(false, nil)
	mustOK(t, err)
	mustOK(t, os.WriteFile(filepath.Join(art, "tree.png"), png, 0o644))

	opened := time.Now()
	nb, err := tree.OpenFile(ctx, "quickstart.ipynb")
	mustOK(t, err)
	t.Logf("quickstart.ipynb opened from the tree in a new tab, kernel connected, %v after the double click", time.Since(opened).Round(time.Millisecond))

	start := time.Now()
	mustOK(t, nb.RunCell(ctx, qsLogin))
	_, err = nb.WaitInput(ctx, qsLogin)
	mustOK(t, err)
	mustOK(t, nb.WaitAttr(ctx, qsLogin, ".carto-login", "data-state", "waiting"))
	t.Logf("first cell: the login card and its code box %v after running it", time.Since(start).Round(time.Millisecond))
	mustOK(t, nb.PageScreenshot(ctx, filepath.Join(art, "notebook7-waiting.png")))
}
