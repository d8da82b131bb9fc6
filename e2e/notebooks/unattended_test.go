package notebooks_test

// Notebooks run by a tool, with nobody at the keyboard and no CI variable: the real
// `jupyter nbconvert --execute` (apt jupyter-nbconvert) starts the GoNB kernel itself.

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// unattendedLimit is how fast an unattended run that would need a login must fail, kernel
// start and compiling the cell included (the login timeout it replaces is 5 minutes).
const unattendedLimit = 30 * time.Second

// toolRun is one run of a Jupyter tool (nbconvert, papermill) on a notebook.
type toolRun struct {
	err     error
	output  string // stdout and stderr
	elapsed time.Duration
}

// runNbconvert executes dir/name with the GoNB kernel registered in data and env added to this
// process's environment minus CI; extra arguments come last. Bounded by 3 minutes.
func runNbconvert(t *testing.T, dir, name, data string, env []string, extra ...string) toolRun {
	t.Helper()
	bin := testenv.Command(t, "jupyter-nbconvert", "apt jupyter-nbconvert")
	args := append([]string{"--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=gonb",
		"--ExecutePreprocessor.timeout=180", "--output", "out.ipynb"}, extra...)
	return runJupyterTool(t, dir, data, env, append([]string{bin}, append(args, name)...)...)
}

// runJupyterTool runs argv in dir with the kernels registered in data, a private Jupyter
// config and runtime folder, and env added to this process's environment minus CI; its whole
// process group is killed after 3 minutes, which fails the test.
func runJupyterTool(t *testing.T, dir, data string, env []string, argv ...string) toolRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(withoutCI(os.Environ()), "JUPYTER_DATA_DIR="+data, "JUPYTER_CONFIG_DIR="+t.TempDir(),
		"JUPYTER_RUNTIME_DIR="+t.TempDir(), "PYDEVD_DISABLE_FILE_VALIDATION=1")
	cmd.Env = append(cmd.Env, env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s still running after 3 minutes (the login waits?):\n%s", filepath.Base(argv[0]), out.String())
	}
	return toolRun{err: err, output: out.String(), elapsed: time.Since(start)}
}

// withoutCI drops CI from env: the run must be recognised without it.
func withoutCI(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "CI=") {
			out = append(out, e)
		}
	}
	return out
}

// warmBuild compiles gonbauth so that the timing below is the run's, not a cold build cache's.
func warmBuild(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", os.DevNull, "./gonbauth")
	cmd.Dir = testenv.RepoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./gonbauth: %v\n%s", err, out)
	}
	t.Logf("gonbauth built in %v", time.Since(start).Round(time.Millisecond))
}

// TestNbconvertFailsFast: quickstart.ipynb executed by jupyter nbconvert without CI set, as a
// scheduled job would. The login cell fails within 30 s (not the 5-minute login timeout),
// the run fails, the cell's output names M2M, and the login service is never asked. A second
// run with --allow-errors keeps the outputs to read them.
func TestNbconvertFailsFast(t *testing.T) {
	srv := standin(t, cartotest.Config{})
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "notebooks", "quickstart.ipynb"))
	mustOK(t, err)
	mustOK(t, os.WriteFile(filepath.Join(dir, "quickstart.ipynb"), src, 0o644))
	data := testenv.KernelSpec(t)
	env := withoutCI(cellEnv(srv, t.TempDir())) // CI absent, not empty
	warmBuild(t)

	run := runNbconvert(t, dir, "quickstart.ipynb", data, env)
	t.Logf("jupyter nbconvert --execute: %v in %v", run.err, run.elapsed.Round(time.Millisecond))
	if run.err == nil {
		t.Errorf("jupyter nbconvert succeeded; want the run to fail at the login cell")
	}
	if !strings.Contains(run.output, "CellExecutionError") || !strings.Contains(run.output, loginLine(t)) {
		t.Errorf("want nbconvert to report the login cell failing (%q):\n%s", loginLine(t), run.output)
	}
	if run.elapsed > unattendedLimit {
		t.Errorf("the run took %v, want < %v", run.elapsed.Round(time.Millisecond), unattendedLimit)
	}

	run = runNbconvert(t, dir, "quickstart.ipynb", data, env, "--allow-errors")
	mustOK(t, run.err)
	login := nbconvertCellText(t, filepath.Join(dir, "out.ipynb"), 1)
	// Only the runner among the kernel's parents tells this run from an interactive one (CI
	// is not set): had it not been found, a login box would have waited 5 minutes.
	for _, want := range []string{"Login failed: interactive login required", "M2M", "exit status 1"} {
		if !strings.Contains(login, want) {
			t.Errorf("login cell output lacks %q:\n%s", want, login)
		}
	}
	if strings.Contains(login, "carto-login") {
		t.Errorf("an unattended run showed a login card:\n%s", login)
	}
	if n := srv.Count(cartotest.EndpointAuthorize) + srv.Count(cartotest.EndpointToken); n != 0 {
		t.Errorf("%d requests to the login service", n)
	}
}

// loginLine is the line of quickstart's login cell that calls gonbauth.
func loginLine(t *testing.T) string {
	t.Helper()
	for _, l := range strings.Split(codeCells(t, "quickstart.ipynb")[0], "\n") {
		if strings.Contains(l, ":= gonbauth.") {
			return strings.TrimSpace(l)
		}
	}
	t.Fatal("quickstart's login cell calls no gonbauth function")
	return ""
}

// nbconvertCellText returns every output of cell i of the notebook at path as text (streams,
// errors, MIME bundles).
func nbconvertCellText(t *testing.T, path string, i int) string {
	t.Helper()
	b, err := os.ReadFile(path)
	mustOK(t, err)
	var nb struct {
		Cells []struct {
			Outputs []json.RawMessage `json:"outputs"`
		} `json:"cells"`
	}
	mustOK(t, json.Unmarshal(b, &nb))
	if i >= len(nb.Cells) {
		t.Fatalf("%s has %d cells", path, len(nb.Cells))
	}
	var out strings.Builder
	for _, o := range nb.Cells[i].Outputs {
		var v struct {
			Text      any            `json:"text"`
			Evalue    string         `json:"evalue"`
			Traceback []string       `json:"traceback"`
			Data      map[string]any `json:"data"`
		}
		mustOK(t, json.Unmarshal(o, &v))
		out.WriteString(joinText(v.Text) + v.Evalue + "\n" + strings.Join(v.Traceback, "\n"))
		for _, d := range v.Data {
			out.WriteString(joinText(d))
		}
	}
	return out.String()
}

// joinText flattens an nbformat text field (a string or a list of strings).
func joinText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var b strings.Builder
		for _, s := range x {
			b.WriteString(joinText(s))
		}
		return b.String()
	}
	return ""
}
