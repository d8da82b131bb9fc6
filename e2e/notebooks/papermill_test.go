package notebooks_test

// papermill is not packaged in Debian 12 and PyPI is out of reach here, so these tests run a
// stand-in `papermill` package with papermill's entry points (the papermill program, `python
// -m papermill`, papermill.execute_notebook) that executes notebooks the way papermill does:
// with nbclient (apt python3-nbclient), which starts the GoNB kernel from the runner's own
// process. What the login sees — the kernel's ancestors and their command lines — is what it
// sees under papermill.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// papermillInit is the stand-in's papermill/__init__.py.
const papermillInit = `"""A stand-in for papermill's execution: nbclient runs the notebook, as papermill does."""
import nbformat
from nbclient import NotebookClient


def execute_notebook(input_path, output_path, kernel_name=None, **_):
    nb = nbformat.read(input_path, as_version=4)
    try:
        NotebookClient(nb, kernel_name=kernel_name, timeout=180).execute()
    finally:
        nbformat.write(nb, output_path)
    return nb


def main(argv):
    args = [a for a in argv if not a.startswith("-")]
    execute_notebook(args[0], args[1], kernel_name="gonb")
`

// papermillMain is papermill/__main__.py (python -m papermill).
const papermillMain = `import sys
from papermill import main
main(sys.argv[1:])
`

// papermillBin is the papermill program, as pip installs it.
const papermillBin = `#!/usr/bin/python3
import sys
from papermill import main
if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
`

// papermillScript is a job that calls papermill's Python API.
const papermillScript = `import sys
import papermill as pm

pm.execute_notebook("quickstart.ipynb", "out.ipynb", kernel_name="gonb")
`

// TestPapermillFormsFailFast: quickstart.ipynb run by papermill in each way people start it,
// without CI: the login cell fails within 30 s naming the runner and M2M, and the login
// service is never asked.
func TestPapermillFormsFailFast(t *testing.T) {
	python := testenv.Python(t, "apt python3-nbclient python3-nbformat", "nbclient", "nbformat")
	srv := standin(t, cartotest.Config{})
	dir, lib := t.TempDir(), t.TempDir()
	src, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "notebooks", "quickstart.ipynb"))
	mustOK(t, err)
	mustOK(t, os.WriteFile(filepath.Join(dir, "quickstart.ipynb"), src, 0o644))
	mustOK(t, os.Mkdir(filepath.Join(lib, "papermill"), 0o755))
	mustOK(t, os.Mkdir(filepath.Join(lib, "bin"), 0o755))
	for name, body := range map[string]string{"papermill/__init__.py": papermillInit, "papermill/__main__.py": papermillMain, "bin/papermill": papermillBin} {
		mustOK(t, os.WriteFile(filepath.Join(lib, name), []byte(body), 0o755))
	}
	mustOK(t, os.WriteFile(filepath.Join(dir, "run_report.py"), []byte(papermillScript), 0o644))
	data := testenv.KernelSpec(t)
	env := append(withoutCI(cellEnv(srv, t.TempDir())), "PYTHONPATH="+lib)
	warmBuild(t)

	for _, c := range []struct {
		name string
		argv []string
		want string
	}{
		{"python -m papermill", []string{python, "-m", "papermill", "quickstart.ipynb", "out.ipynb"}, "run by papermill"},
		{"python -u papermill", []string{python, "-u", filepath.Join(lib, "bin", "papermill"), "quickstart.ipynb", "out.ipynb"}, "run by papermill"},
		{"papermill's Python API", []string{python, "run_report.py"}, "run by papermill's Python API"},
	} {
		os.Remove(filepath.Join(dir, "out.ipynb"))
		run := runJupyterTool(t, dir, data, env, c.argv...)
		t.Logf("%s: %v in %v", c.name, run.err, run.elapsed.Round(time.Millisecond))
		if run.err == nil || !strings.Contains(run.output, "CellExecutionError") {
			t.Errorf("%s: want the run to fail at the login cell; output:\n%s", c.name, run.output)
			continue
		}
		if run.elapsed > unattendedLimit {
			t.Errorf("%s: the run took %v, want < %v (the login waited for someone)", c.name, run.elapsed.Round(time.Millisecond), unattendedLimit)
		}
		login := nbconvertCellText(t, filepath.Join(dir, "out.ipynb"), 1)
		for _, want := range []string{"interactive login required", c.want, "M2M"} {
			if !strings.Contains(login, want) {
				t.Errorf("%s: the login cell's output lacks %q:\n%s", c.name, want, login)
			}
		}
	}
	if n := srv.Count(cartotest.EndpointAuthorize) + srv.Count(cartotest.EndpointToken); n != 0 {
		t.Errorf("%d requests to the login service", n)
	}
}
