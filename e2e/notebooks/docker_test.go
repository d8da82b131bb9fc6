//go:build dockertest

package notebooks_test

// The Docker image as a user runs it. scripts/docker-test.sh (make docker-test) builds it with
// podman, starts the README's two containers (the sandbox, and JupyterLab in the sandbox's
// network) and runs each test below at its step, with the published addresses in DOCKER_TEST_*
// variables. Headless Chromium on this machine does the rest, as a person would: it opens the
// URL JupyterLab printed, quickstart.ipynb from the file browser, and logs in. (docker-test.sh
// mounts a config file that sets c.LabApp.expose_app_in_browser: the helpers drive
// window.jupyterapp.) The build tag keeps them out of `go test ./...`: without those containers
// they cannot run.

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"

	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// dockerRun is what docker-test.sh passes: the published Jupyter (base URL and the token it
// printed), the sandbox's URL (the same inside the container and on this machine), and where
// the token cache volume is on this machine.
type dockerRun struct {
	jupyter, token, sandbox, cache string
}

func dockerSetup(t *testing.T) dockerRun {
	t.Helper()
	get := func(k string) string {
		v := os.Getenv(k)
		if v == "" {
			t.Fatalf("%s is not set: these tests are run by scripts/docker-test.sh (make docker-test)", k)
		}
		return v
	}
	return dockerRun{get("DOCKER_TEST_JUPYTER_URL"), get("DOCKER_TEST_JUPYTER_TOKEN"),
		get("DOCKER_TEST_SANDBOX_URL"), get("DOCKER_TEST_CACHE_DIR")}
}

// openQuickstart opens JupyterLab at the URL it printed (/lab?token=...), checks that the file
// browser lists the example notebooks, and opens quickstart.ipynb from it.
func (d dockerRun) openQuickstart(t *testing.T, b *browser.Browser, art string) *browser.Notebook {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	start := time.Now()
	home, err := b.OpenLabHome(ctx, d.jupyter+"/lab?token="+url.QueryEscape(d.token))
	mustOK(t, err)
	files, err := home.Files(ctx)
	mustOK(t, err)
	for _, name := range []string{"quickstart.ipynb", "m2m-etl.ipynb", "carto-dw.ipynb"} {
		if !slices.Contains(files, name) {
			t.Errorf("the file browser does not list %s: %q", name, files)
		}
	}
	mustOK(t, home.Screenshot(ctx, filepath.Join(art, "file-browser.png")))
	nb, err := home.OpenFile(ctx, "quickstart.ipynb")
	mustOK(t, err)
	t.Logf("JupyterLab open, quickstart.ipynb opened from its file browser, kernel ready, in %v", time.Since(start).Round(time.Millisecond))
	return nb
}

// interactiveLogins returns the cached logins in dir that are not M2M ones.
func interactiveLogins(t *testing.T, dir string) []cacheEntry {
	t.Helper()
	var out []cacheEntry
	for _, e := range cachedTokens(t, dir) {
		if e.Flow != "m2m" {
			out = append(out, e)
		}
	}
	return out
}

// runQuery runs quickstart's query cell after the login (JupyterLab refuses it while a code
// box is left open), and checks the sandbox's cities table: those above the query's @min.
func runQuery(ctx context.Context, t *testing.T, nb *browser.Notebook, d dockerRun, art string) {
	t.Helper()
	checkRestOfQuickstart(ctx, t, nb, art)
	if table, _ := nb.OutputText(ctx, qsQuery); !strings.Contains(table, "rows from "+d.sandbox) {
		t.Errorf("query output %q, want rows from the sandbox %s", table, d.sandbox)
	}
	mustOK(t, nb.PageScreenshot(ctx, filepath.Join(art, "lab-query.png")))
}

// TestDockerCopyCode: quickstart.ipynb served by the container, logged in with the copy-code
// card against the sandbox in the container: click the link, log in on the sandbox's page, copy
// the code, paste it. Port 10000 is not published, and the browser's requests to it are
// refused (this machine's port 10000 may be another program's), so the card stays copy-code.
func TestDockerCopyCode(t *testing.T) {
	d := dockerSetup(t)
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	b := browser.LaunchT(t)
	blocked := blockLoopback(t, b)
	nb := d.openQuickstart(t, b, art)

	// The first cell of a new container's kernel: what it compiles was built into the image.
	start := time.Now()
	mustOK(t, nb.RunCell(ctx, qsLogin))
	_, err := nb.WaitInput(ctx, qsLogin)
	mustOK(t, err)
	mustOK(t, nb.WaitText(ctx, qsLogin, "Waiting for the code"))
	t.Logf("first login cell: card and code box %v after running it", time.Since(start).Round(time.Millisecond))
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
	if u, err := url.Parse(link); err != nil || !strings.HasPrefix(link, d.sandbox+"/authorize?") ||
		u.Query().Get("redirect_uri") != d.sandbox+"/auth/token" {
		t.Errorf("login link %q: want the sandbox's /authorize with its code page as redirect_uri", link)
	}
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-waiting.png")))
	mustOK(t, nb.PageScreenshot(ctx, filepath.Join(art, "lab-waiting.png")))

	tab, err := nb.ClickLink(ctx, qsLogin, ".carto-login-link")
	mustOK(t, err)
	code := pasteCodeFromLoginTab(ctx, t, nb, tab, d.sandbox+"/auth/token?", art)
	mustOK(t, nb.WaitAttr(ctx, qsLogin, ".carto-login", "data-state", "done"))
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-done.png")))
	t.Logf("copy-code login done %v after running the cell", time.Since(start).Round(time.Millisecond))
	if e := interactiveLogins(t, d.cache); len(e) != 1 || e[0].Flow != "copy-code" {
		t.Errorf("cache volume: %d entries, want one copy-code login", len(e))
	}
	runQuery(ctx, t, nb, d, art)
	checkPageNoLeak(ctx, t, nb, tokenSecrets(t, d.cache, map[string]string{"code": code}))
}

// TestDockerRestart runs after the Jupyter container was replaced by a new one with the same
// cache volume: quickstart.ipynb is still logged in (no card, no box, the same cached token)
// and its query works.
func TestDockerRestart(t *testing.T) {
	d := dockerSetup(t)
	art := testenv.Artifacts(t)
	before := interactiveLogins(t, d.cache)
	if len(before) != 1 {
		t.Fatalf("cache volume: %d interactive logins before the run, want the one of TestDockerCopyCode", len(before))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	b := browser.LaunchT(t)
	blockLoopback(t, b)
	nb := d.openQuickstart(t, b, art)
	start := time.Now()
	mustOK(t, nb.RunCell(ctx, qsLogin))
	mustOK(t, nb.WaitText(ctx, qsLogin, "Logged in:"))
	mustOK(t, nb.WaitCellDone(ctx, qsLogin))
	t.Logf("login cell from the cache volume in %v", time.Since(start).Round(time.Millisecond))
	if st := cardAttr(ctx, nb, qsLogin, ".carto-login", "data-state"); st != "" {
		t.Errorf("a login card (state %q) after the restart: the cached login was not used", st)
	}
	if n, _ := nb.InputBoxes(ctx); n != 0 {
		t.Errorf("%d input boxes after the restart", n)
	}
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-cached.png")))
	runQuery(ctx, t, nb, d, art)
	after := interactiveLogins(t, d.cache)
	if len(after) != 1 || after[0].AccessToken != before[0].AccessToken {
		t.Errorf("the cached login changed (%d now): a new login or renewal, want the cached token reused", len(after))
	}
	checkPageNoLeak(ctx, t, nb, tokenSecrets(t, d.cache, nil))
}

// TestDockerOneClick runs with port 10000 published as 10000: the browser reaches the kernel's
// listener in the container, the card turns one-click, and the login completes with nothing
// pasted.
func TestDockerOneClick(t *testing.T) {
	d := dockerSetup(t)
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	b := browser.LaunchT(t)
	nb := d.openQuickstart(t, b, art)
	start := time.Now()
	mustOK(t, nb.RunCell(ctx, qsLogin))
	mustOK(t, nb.WaitAttr(ctx, qsLogin, ".carto-login-oneclick", "href", "redirect_uri="+url.QueryEscape("http://localhost:10000/callback/")))
	t.Logf("one-click link added %v after running the cell", time.Since(start).Round(time.Millisecond))
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-one-click.png")))
	mustOK(t, nb.PageScreenshot(ctx, filepath.Join(art, "lab-one-click.png")))

	tab, err := nb.ClickLink(ctx, qsLogin, ".carto-login-oneclick")
	mustOK(t, err)
	mustOK(t, fillLoginPage(ctx, tab))
	loopbackURI := fmt.Sprintf("http://localhost:%d/callback/", loopbackPort)
	err = tab.Context(ctx).Wait(rod.Eval(`(u) => location.href.startsWith(u) && document.title === 'Logged in to CARTO'`, loopbackURI))
	if err != nil {
		t.Fatalf("the tab did not land on the listener's page in the container: %v", err)
	}
	if png, err := tab.Screenshot(false, nil); err == nil {
		_ = os.WriteFile(filepath.Join(art, "callback-page.png"), png, 0o644)
	}
	mustOK(t, tab.Close())
	_, err = nb.Page.Activate()
	mustOK(t, err)
	mustOK(t, nb.WaitText(ctx, qsLogin, "Logged in to"))
	mustOK(t, nb.WaitCellDone(ctx, qsLogin))
	if text, _ := nb.OutputText(ctx, qsLogin); !strings.Contains(text, "(one-click browser login)") {
		t.Errorf("login cell output %q, want the status to say (one-click browser login)", text)
	}
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-done.png")))
	t.Logf("one-click login done %v after running the cell", time.Since(start).Round(time.Millisecond))
	if e := interactiveLogins(t, d.cache); len(e) != 1 || e[0].Flow != "loopback" {
		t.Errorf("cache volume: %d entries, want one loopback login", len(e))
	}
	// Nobody pasted: the card's last update closed the code box, so the next cells run.
	if err := waitNoInputBox(ctx, nb); err != nil {
		t.Error(err)
	}
	runQuery(ctx, t, nb, d, art)
	checkPageNoLeak(ctx, t, nb, tokenSecrets(t, d.cache, nil))
}
