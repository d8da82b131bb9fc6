// Package testenv finds the parts the end-to-end tests need (gonb, goimports, Jupyter,
// Chromium, JupyterLab, JupyterHub, jupyter console) and applies the skip policy: a missing
// part skips the test with a hint to run scripts/install-deps.sh, except under CI=true or
// E2E_STRICT=1 (set by `make test`), where it fails the test: nothing may skip there.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// InCI reports whether CI is set to a true value (CI=true, CI=1).
func InCI() bool {
	v, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && v
}

// Strict reports whether a missing part must fail the test rather than skip it: under CI, and
// when E2E_STRICT=1 (`make test` sets it, so it never reports green with tests skipped).
func Strict() bool {
	v, err := strconv.ParseBool(os.Getenv("E2E_STRICT"))
	return InCI() || (err == nil && v)
}

// Missing skips t (or fails it when Strict) saying which part is missing and how to install it.
func Missing(t testing.TB, part, detail string) {
	t.Helper()
	msg := part + " is missing (" + detail + "); install with: scripts/install-deps.sh --e2e [--bin DIR] and put DIR on PATH"
	if Strict() {
		t.Fatal(msg + " [CI=true or E2E_STRICT=1: not skipping]")
		return
	}
	t.Skip(msg)
}

// Gonb returns the gonb binary ($GONB or gonb on PATH). It also requires goimports and go on
// PATH, which every GoNB cell needs.
func Gonb(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("GONB")
	if bin == "" {
		bin = "gonb"
	}
	p, err := exec.LookPath(bin)
	if err != nil {
		Missing(t, "gonb", err.Error())
	}
	for _, tool := range []string{"goimports", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			Missing(t, tool, err.Error())
		}
	}
	return p
}

// Jupyter returns the jupyter command of the system Python (classic Notebook 6, apt package
// jupyter-notebook).
func Jupyter(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("jupyter-notebook")
	if err != nil {
		Missing(t, "jupyter notebook", err.Error())
	}
	return p
}

// Chromium returns the Chromium binary ($CHROMIUM, /usr/bin/chromium or chromium on PATH).
func Chromium(t testing.TB) string {
	t.Helper()
	for _, c := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "chromium"} {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	Missing(t, "chromium", "no /usr/bin/chromium")
	return ""
}

var moduleLine = regexp.MustCompile(`(?m)^module\s+github\.com/carto-go/carto-auth\s*$`)

// RepoRoot returns the checkout root (the directory of the library's go.mod), found by walking
// up from the working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && moduleLine.Match(b) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("checkout root not found above the working directory")
		}
		dir = parent
	}
}

// Artifacts returns e2e/artifacts/<test name>, created, for screenshots and logs kept after
// the run (the folder is gitignored).
func Artifacts(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "e2e", "artifacts", filepath.FromSlash(t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// KernelSpec registers the GoNB kernel (gonb from Gonb) into a throw-away Jupyter data dir
// with scripts/install-deps.sh --kernel, with this checkout as --go_work, and returns the dir
// (use it as JUPYTER_DATA_DIR).
func KernelSpec(t testing.TB) string {
	t.Helper()
	gonb := Gonb(t)
	root := RepoRoot(t)
	dir := t.TempDir()
	cmd := exec.Command(filepath.Join(root, "scripts", "install-deps.sh"), "--kernel", dir, "--go-work", root)
	cmd.Env = append(os.Environ(), "GONB="+gonb)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("registering the gonb kernel: %v\n%s", err, out)
	}
	return dir
}
