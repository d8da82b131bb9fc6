package notebooks_test

// `make demo` end to end: scripts/demo.sh (the real thing, not its smoke mode) on free ports,
// then its JupyterLab, and with JUPYTER_UI=notebook7 its Notebook 7, in headless Chromium: the
// printed URL, the file browser, quickstart.ipynb logged in to the sandbox as a person would,
// and Ctrl-C. (The classic switch, JUPYTER_UI=classic, has its smoke run in `make demo-smoke`.)

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

var (
	demoURLLine     = regexp.MustCompile(`(?m)^\s*Open the notebooks:\s+((http://127\.0\.0\.1:(\d+))/(?:lab|tree)\?token=([0-9a-f]+))\s*$`)
	demoSandboxLine = regexp.MustCompile(`(?m)^\s*CARTO sandbox:\s+(http://\S+)`)
)

// demoRun is scripts/demo.sh running in its own process group, its output in a file.
type demoRun struct {
	cmd  *exec.Cmd
	dir  string // DEMO_DIR
	out  string // stdout+stderr of demo.sh
	done chan struct{}
	err  error // cmd.Wait's, once done is closed
}

func (d *demoRun) output() string { b, _ := os.ReadFile(d.out); return string(b) }

func (d *demoRun) exited() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// waitExit waits up to t for demo.sh to exit.
func (d *demoRun) waitExit(t time.Duration) bool {
	select {
	case <-d.done:
		return true
	case <-time.After(t):
		return false
	}
}

// logs returns demo.sh's output and every file of DEMO_DIR/logs, for the test log.
func (d *demoRun) logs() string {
	var b strings.Builder
	fmt.Fprintf(&b, "--- demo.sh output ---\n%s", d.output())
	files, _ := filepath.Glob(filepath.Join(d.dir, "logs", "*"))
	for _, f := range files {
		c, _ := os.ReadFile(f)
		fmt.Fprintf(&b, "\n--- %s ---\n%s", f, c)
	}
	return b.String()
}

// demoEnv is the test's environment for demo.sh: no smoke mode (CI, DEMO_SMOKE unset), nothing
// that changes the login flow, Jupyter's config and runtime dirs in throw-away folders (a
// user's ~/.jupyter must not change the run), then extra.
func demoEnv(tmp string, extra ...string) []string {
	drop := []string{"CI", "DEMO_SMOKE", "DEMO_DIR", "BIN_DIR", "SANDBOX_ADDR", "JUPYTER_PORT", "SKIP_APT",
		"CARTO_AUTH_SERVER", "CARTO_AUTH_CACHE_DIR", "CARTO_AUTH_FLOW", "CARTO_AUTH_LOOPBACK_HOST",
		"CARTO_CREDENTIALS", "CARTO_CREDENTIALS_FILE", "JUPYTER_DATA_DIR", "JUPYTER_CONFIG_DIR",
		"JUPYTER_RUNTIME_DIR", "JUPYTER_PATH", "JUPYTER_UI"}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, k) {
			env = append(env, kv)
		}
	}
	env = append(env, "JUPYTER_CONFIG_DIR="+filepath.Join(tmp, "config"), "JUPYTER_RUNTIME_DIR="+filepath.Join(tmp, "runtime"))
	return append(env, extra...)
}

// startDemo starts scripts/demo.sh in its own process group. On cleanup a demo still running
// gets Ctrl-C (SIGINT to its group, so its kernels are shut down by Jupyter), then SIGKILL to
// its group and to every process it started; if the test failed, its output and logs go to
// the test log.
func startDemo(t *testing.T, env []string, dir string) *demoRun {
	t.Helper()
	root := testenv.RepoRoot(t)
	d := &demoRun{dir: dir, out: filepath.Join(dir, "demo.out"), done: make(chan struct{})}
	f, err := os.Create(d.out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d.cmd = exec.Command(filepath.Join(root, "scripts", "demo.sh"))
	d.cmd.Dir = root
	d.cmd.Env = env
	d.cmd.Stdin = nil
	d.cmd.Stdout, d.cmd.Stderr = f, f // a file, not a pipe: Wait never waits for stray writers
	// Setpgid: its own group, like a shell job. SIGTERM if this test process dies: demo.sh's
	// trap stops what it started.
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("starting demo.sh: %v", err)
	}
	go func() { d.err = d.cmd.Wait(); close(d.done) }()
	t.Logf("demo.sh pid %d, DEMO_DIR %s", d.cmd.Process.Pid, dir)
	t.Cleanup(func() {
		if !d.exited() {
			procs := descendants(d.cmd.Process.Pid)
			_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGINT)
			if !d.waitExit(20 * time.Second) {
				t.Errorf("demo.sh still running 20 s after SIGINT: killing it and what it started")
			}
			_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
			for _, p := range procs {
				p.kill()
			}
			<-d.done
		}
		if t.Failed() {
			t.Log(d.logs())
		}
	})
	return d
}

// waitURL waits up to timeout for the "Open the notebooks:" line and returns the URL it gives
// (JupyterLab's /lab with the token Jupyter made), its base URL, and the sandbox URL printed
// below it.
func (d *demoRun) waitURL(t *testing.T, timeout time.Duration) (open, base, sandbox string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		out := d.output()
		if m := demoURLLine.FindStringSubmatch(out); m != nil {
			if s := demoSandboxLine.FindStringSubmatch(out); s != nil {
				return m[1], m[2], s[1]
			}
		}
		if d.exited() {
			t.Fatalf("demo.sh exited (%v) before printing the notebook URL", d.err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo.sh printed no notebook URL within %v", timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// proc is a process seen under demo.sh, with its command line to tell it from a reused PID.
type proc struct {
	pid     int
	cmdline string
}

func readCmdline(pid int) (string, bool) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", false
	}
	s := string(stat)
	if f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]); len(f) > 0 && f[0] == "Z" {
		return "", false // a zombie has exited
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return "", false
	}
	return string(bytes.ReplaceAll(b, []byte{0}, []byte{' '})), true
}

// alive reports whether the process still runs the same command.
func (p proc) alive() bool {
	c, ok := readCmdline(p.pid)
	return ok && c == p.cmdline
}

// kill sends SIGKILL to the process (and to its group if it leads one: Jupyter starts kernels
// in their own sessions), if it is still the same process.
func (p proc) kill() {
	if !p.alive() {
		return
	}
	if pg, err := syscall.Getpgid(p.pid); err == nil && pg == p.pid {
		_ = syscall.Kill(-p.pid, syscall.SIGKILL)
	}
	_ = syscall.Kill(p.pid, syscall.SIGKILL)
}

// descendants returns every live process below pid (Linux /proc), children first.
func descendants(pid int) []proc {
	var out []proc
	for queue := []int{pid}; len(queue) > 0; queue = queue[1:] {
		for _, c := range browser.Children(queue[0]) {
			if cl, ok := readCmdline(c); ok {
				out = append(out, proc{c, cl})
			}
			queue = append(queue, c)
		}
	}
	return out
}

// blockLoopback makes every request of the browser to the one-click listener's port fail, as
// when the browser cannot reach the kernel (Colab, a remote JupyterHub); it returns the count
// of refused requests.
func blockLoopback(t *testing.T, b *browser.Browser) *atomic.Int32 {
	t.Helper()
	var blocked atomic.Int32
	router := b.Rod.HijackRequests()
	for _, host := range []string{"localhost", "127.0.0.1", "[::1]"} {
		mustOK(t, router.Add(fmt.Sprintf("http://%s:%d/*", host, loopbackPort), "", func(h *rod.Hijack) {
			blocked.Add(1)
			h.Response.Fail(proto.NetworkErrorReasonConnectionRefused)
		}))
	}
	go router.Run()
	t.Cleanup(func() { _ = router.Stop() })
	return &blocked
}

// guardFile fails the test if the run changed path, and restores it: the demo serves a copy of
// the notebooks, so a run must never write outputs or checkpoints into the checkout. A
// .ipynb_checkpoints folder the run created is removed.
func guardFile(t *testing.T, path string) {
	t.Helper()
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(filepath.Dir(path), ".ipynb_checkpoints")
	_, statErr := os.Stat(cp)
	hadCheckpoints := statErr == nil
	t.Cleanup(func() {
		if now, err := os.ReadFile(path); err != nil || !bytes.Equal(now, orig) {
			t.Errorf("the run changed %s (autosave?); restoring it", path)
			_ = os.WriteFile(path, orig, 0o644)
		}
		if !hadCheckpoints {
			if _, err := os.Stat(cp); err == nil {
				t.Logf("removing %s created by the run", cp)
				_ = os.RemoveAll(cp)
			}
		}
	})
}

// TestMakeDemo proves `make demo`'s promise: scripts/demo.sh (what `make demo` runs; not the
// smoke mode) leaves a running JupyterLab (lab), or with JUPYTER_UI=notebook7 a Notebook 7
// (notebook7): the URL it prints opens the file browser listing the example notebooks,
// quickstart.ipynb opens from there (in Notebook 7, in a tab of its own at
// /notebooks/quickstart.ipynb), logs in to the sandbox and shows the SQL result table, and
// Ctrl-C stops it all. The browser cannot reach the kernel's one-click
// listener (port 10000 refused, as in TestBrowserCopyCode), so the login is always the
// copy-code one: click the card's link, log in on the sandbox's page, paste the code.
// E2E_UPDATE_DOCS=1 saves JupyterLab with the waiting card as docs/jupyterlab-login.png.
func TestMakeDemo(t *testing.T) { forLabFamily(t, makeDemo) }

// demoHome is the page the demo's printed URL opens: JupyterLab's /lab or Notebook 7's /tree.
type demoHome interface {
	Files(ctx context.Context) ([]string, error)
	OpenFile(ctx context.Context, name string) (*browser.Notebook, error)
}

func makeDemo(t *testing.T, ui uiKind) {
	if ui == uiNotebook7 {
		testenv.Notebook7App(t)
	} else {
		testenv.LabApp(t)
	}
	testenv.Chromium(t)
	for _, tool := range []string{"go", "python3", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			testenv.Missing(t, tool, err.Error())
		}
	}
	waitPortFree(t, loopbackPort, 10*time.Second)
	root := testenv.RepoRoot(t)
	guardFile(t, filepath.Join(root, "notebooks", "quickstart.ipynb"))
	art := testenv.Artifacts(t)
	begin := time.Now()

	dir := t.TempDir()
	sandboxAddr := fmt.Sprintf("127.0.0.1:%d", testenv.FreePortT(t))
	jupyterPort := testenv.FreePortT(t)
	// The test drives the page through window.jupyterapp: the user's way to ask for it, a
	// config file (JUPYTER_CONFIG_DIR is the test's own).
	tmp := t.TempDir()
	mustOK(t, os.MkdirAll(filepath.Join(tmp, "config"), 0o755))
	mustOK(t, os.WriteFile(filepath.Join(tmp, "config", "jupyter_lab_config.json"),
		[]byte(`{"LabApp": {"expose_app_in_browser": true}}`), 0o644))
	mustOK(t, os.WriteFile(filepath.Join(tmp, "config", "jupyter_notebook7_config.json"),
		[]byte(`{"JupyterNotebookApp": {"expose_app_in_browser": true}}`), 0o644))
	d := startDemo(t, demoEnv(tmp, "DEMO_DIR="+dir, "SANDBOX_ADDR="+sandboxAddr,
		fmt.Sprintf("JUPYTER_PORT=%d", jupyterPort), "SKIP_APT=1", "JUPYTER_UI="+string(ui)), dir)
	open, base, sandboxURL := d.waitURL(t, 120*time.Second)
	t.Logf("demo ready in %v: %s, sandbox %s", time.Since(begin).Round(time.Millisecond), base, sandboxURL)
	if want := fmt.Sprintf("http://127.0.0.1:%d", jupyterPort); base != want {
		t.Errorf("notebook URL base %s, want %s (JUPYTER_PORT)", base, want)
	}
	if want := "http://" + sandboxAddr; sandboxURL != want {
		t.Errorf("sandbox URL %s, want %s (SANDBOX_ADDR)", sandboxURL, want)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	b := launchWebGL(t) // the quickstart's map draws WebGL in software
	blocked := blockLoopback(t, b)
	// The printed URL: JupyterLab (/lab) or Notebook 7 (/tree) with the example notebooks in its
	// file browser.
	var home demoHome
	var shot func(ctx context.Context, path string) error
	if ui == uiNotebook7 {
		if !strings.Contains(open, "/tree?token=") {
			t.Errorf("demo.sh printed %s, want Notebook 7's /tree", open)
		}
		tree, err := b.OpenNotebook7Tree(ctx, open)
		mustOK(t, err)
		home = tree
		shot = func(ctx context.Context, path string) error {
			png, err := tree.Page.Context(ctx).Screenshot(false, nil)
			if err != nil {
				return err
			}
			return os.WriteFile(path, png, 0o644)
		}
	} else {
		lab, err := b.OpenLabHome(ctx, open)
		mustOK(t, err)
		home, shot = lab, lab.Screenshot
	}
	files, err := home.Files(ctx)
	mustOK(t, err)
	for _, nbName := range []string{"quickstart.ipynb", "m2m-etl.ipynb", "two-cell-login.ipynb", "carto-dw.ipynb", "colab-and-docker.ipynb"} {
		if !slices.Contains(files, nbName) {
			t.Errorf("the file browser does not list %s: %q", nbName, files)
		}
	}
	mustOK(t, shot(ctx, filepath.Join(art, "file-browser.png")))
	nb, err := home.OpenFile(ctx, "quickstart.ipynb")
	mustOK(t, err)
	t.Logf("%s open, quickstart.ipynb opened from its file browser %v after demo.sh started", nb.UI(), time.Since(begin).Round(time.Millisecond))

	start := time.Now()
	mustOK(t, nb.RunCell(ctx, qsLogin))
	prompt, err := nb.WaitInput(ctx, qsLogin)
	mustOK(t, err)
	mustOK(t, nb.WaitText(ctx, qsLogin, "Waiting for the code"))
	t.Logf("login card and box after %v; prompt %q", time.Since(start).Round(time.Millisecond), prompt)
	for deadline := time.Now().Add(10 * time.Second); blocked.Load() == 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if blocked.Load() == 0 {
		t.Errorf("the browser never tried the one-click probe")
	}
	time.Sleep(300 * time.Millisecond) // a switch to one-click would come now, if at all
	link := cardAttr(ctx, nb, qsLogin, ".carto-login-link", "href")
	if !strings.HasPrefix(link, sandboxURL+"/authorize?") {
		t.Errorf("login link %q, want the sandbox's %s/authorize", link, sandboxURL)
	}
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-waiting.png")))
	mustOK(t, nb.PageScreenshot(ctx, filepath.Join(art, "lab-waiting.png")))
	if updateDocs && ui == uiLab {
		docs := filepath.Join(root, "docs", "jupyterlab-login.png")
		mustOK(t, nb.PageScreenshot(ctx, docs))
		t.Logf("wrote %s", docs)
	}

	// Click the link, log in on the sandbox's page, copy the code it shows.
	tab, err := nb.ClickLink(ctx, qsLogin, ".carto-login-link")
	mustOK(t, err)
	code := pasteCodeFromLoginTab(ctx, t, nb, tab, sandboxURL+"/", art)
	t.Logf("logged in %v after running the cell", time.Since(start).Round(time.Millisecond))
	cache := filepath.Join(dir, "cache") // the demo's CARTO_AUTH_CACHE_DIR
	entries := cachedTokens(t, cache)
	if len(entries) != 1 || entries[0].Flow != "copy-code" {
		t.Errorf("demo cache %s: %d entries, want one copy-code login", cache, len(entries))
	}

	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, "cell-done.png")))

	// The next cell runs (JupyterLab refuses any while a code box is left open): the query,
	// the sandbox's cities above its @min in a table.
	checkRestOfQuickstart(ctx, t, nb, art)
	if out, _ := nb.OutputText(ctx, qsQuery); !strings.Contains(out, "rows from "+sandboxURL) {
		t.Errorf("query output %q, want rows from the sandbox %s", out, sandboxURL)
	}
	// The quickstart's last cell: the cities on a map, its libraries from the sandbox.
	mapStart := time.Now()
	nextCellRuns(ctx, t, nb, qsQuery+2, "Map of the cities", art)
	m, st := waitDrawn(ctx, t, nb, qsQuery+2, art, "quickstart-map")
	cities, pts := citiesAbove(quickstartMin)
	checkPicks(ctx, t, m, "the demo's quickstart map", "name", pts, cities)
	t.Logf("the demo's quickstart map: run → first frame with data %v; loader → drawn %d ms; %s",
		time.Since(mapStart).Round(time.Millisecond), st.Drawn, st.Note)
	mustOK(t, nb.PageScreenshot(ctx, filepath.Join(art, "lab-done.png")))
	s := map[string]string{"code": code}
	for i, e := range entries {
		s[fmt.Sprintf("access token #%d", i)] = e.AccessToken
		if e.RefreshToken != "" {
			s[fmt.Sprintf("refresh token #%d", i)] = e.RefreshToken
		}
	}
	checkPageNoLeak(ctx, t, nb, s)
	t.Logf("notebook done %v after running its login cell", time.Since(start).Round(time.Millisecond))

	// Ctrl-C: SIGINT to demo.sh's process group, as a terminal does.
	procs := descendants(d.cmd.Process.Pid)
	var names []string
	for _, p := range procs {
		names = append(names, fmt.Sprintf("%d %.80s", p.pid, p.cmdline))
	}
	t.Logf("under demo.sh before Ctrl-C:\n  %s", strings.Join(names, "\n  "))
	sigint := time.Now()
	mustOK(t, syscall.Kill(-d.cmd.Process.Pid, syscall.SIGINT))
	if !d.waitExit(15 * time.Second) {
		t.Fatalf("demo.sh still running 15 s after Ctrl-C")
	}
	t.Logf("demo.sh exited %v after Ctrl-C: %v", time.Since(sigint).Round(time.Millisecond), d.err)
	// Its INT trap stops everything and exits 130 (128+SIGINT). If the sandbox, which gets the
	// SIGINT too, exits before bash acts on it, bash's `wait -n` returns normally and the script
	// ends through its EXIT trap, status 0. Both are a clean stop.
	var ee *exec.ExitError
	switch {
	case d.err == nil:
	case errors.As(d.err, &ee) && ee.ExitCode() == 130:
	default:
		t.Errorf("demo.sh ended with %v after Ctrl-C, want exit status 130 (or 0)", d.err)
	}
	if out := d.output(); !strings.Contains(out, "demo: stopped") {
		t.Errorf("demo.sh did not say it stopped:\n%s", out)
	}
	for _, p := range procs {
		if p.alive() {
			t.Errorf("still running after Ctrl-C: %d %s", p.pid, p.cmdline)
		}
	}
	_, sbPort, _ := net.SplitHostPort(sandboxAddr)
	sp, _ := strconv.Atoi(sbPort)
	for _, port := range []int{sp, jupyterPort, loopbackPort} {
		if !portFree(port) {
			t.Errorf("port %d still in use after Ctrl-C", port)
		}
	}
	t.Logf("TestMakeDemo took %v", time.Since(begin).Round(time.Millisecond))
}
