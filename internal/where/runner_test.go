package where

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestRunner(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		argv []string
		want string
	}{
		{"nbconvert via jupyter's exec", []string{"/usr/bin/python3", "/usr/bin/jupyter-nbconvert", "--execute", "x.ipynb"}, "jupyter nbconvert"},
		{"nbconvert entry point", []string{"/usr/local/bin/jupyter-nbconvert", "--to", "notebook", "--execute"}, "jupyter nbconvert"},
		{"jupyter subcommand", []string{"jupyter", "nbconvert", "--execute", "x.ipynb"}, "jupyter nbconvert"},
		{"jupyter script by python", []string{"python3", "/usr/bin/jupyter", "execute", "x.ipynb"}, "jupyter execute"},
		{"jupyter execute", []string{"/venv/bin/jupyter-execute", "x.ipynb"}, "jupyter execute"},
		{"papermill", []string{"/usr/bin/python3.11", "/usr/local/bin/papermill", "in.ipynb", "out.ipynb"}, "papermill"},
		{"papermill module", []string{"python", "-m", "papermill", "in.ipynb", "out.ipynb"}, "papermill"},
		{"nbclient module", []string{"python3", "-m", "nbclient", "x.ipynb"}, "nbclient"},
		{"papermill by python with options", []string{"python3", "-u", "/usr/local/bin/papermill", "in.ipynb", "out.ipynb"}, "papermill"},
		{"papermill module with options", []string{"/usr/bin/python3.11", "-X", "dev", "-Wignore", "-B", "-m", "papermill", "in.ipynb"}, "papermill"},
		{"papermill module in a flag cluster", []string{"python3", "-um", "papermill", "in.ipynb"}, "papermill"},
		{"papermill module attached", []string{"python3", "-mpapermill", "in.ipynb"}, "papermill"},
		{"papermill API script", []string{"python3", "run_report.py", "--date", "today"}, "papermill's Python API, from a script"},
		{"papermill API script, absolute", []string{"/usr/bin/python3", "-u", "/srv/jobs/run_report.py"}, "papermill's Python API, from a script"},
		{"nbclient API script", []string{"python3", "nbclient_job.py"}, "nbclient's Python API, from a script"},
		{"papermill API command", []string{"python3", "-c", "import sys; import papermill as pm; pm.execute_notebook(sys.argv[1], 'o.ipynb')", "in.ipynb"}, "papermill's Python API, from a -c command"},
		{"an option value that looks like -m", []string{"python3", "-Xfrozen_modules=off", "/usr/bin/jupyter-notebook"}, ""},
		{"a script importing something else", []string{"python3", "app.py"}, ""},
		{"classic server", []string{"/usr/bin/python3", "/usr/bin/jupyter-notebook", "--no-browser"}, ""},
		{"lab server", []string{"/usr/bin/python3", "app.py", "--ServerApp.port=8888"}, ""},
		{"hub single-user", []string{"/usr/bin/python3", "/usr/bin/jupyterhub-singleuser", "--allow-root"}, ""},
		{"a file named like a runner", []string{"vim", "papermill"}, ""},
		{"a notebook argument", []string{"jupyter", "notebook", "nbconvert.ipynb"}, ""},
		{"other module", []string{"python", "-m", "jupyterlab"}, ""},
		{"empty", []string{""}, ""},
	} {
		// The runner may be any ancestor: the kernel and a shell come first.
		procs := []process{{argv: []string{"/root/.local/share/jupyter/kernels/gonb/gonb", "--kernel", "/tmp/k.json"}},
			{argv: []string{"bash"}}, {argv: tc.argv, cwd: "/srv/jobs"}}
		if got := runner(procs, scripts); got != tc.want {
			t.Errorf("%s: runner(%q) = %q, want %q", tc.name, tc.argv, got, tc.want)
		}
	}
}

// scripts are the Python files TestRunner's command lines run, by path.
func scripts(path string) []byte {
	return []byte(map[string]string{
		"/srv/jobs/run_report.py":   "#!/usr/bin/env python3\n\"\"\"Daily report.\"\"\"\nimport os, sys\nimport papermill as pm\n\npm.execute_notebook('r.ipynb', 'o.ipynb')\n",
		"/srv/jobs/nbclient_job.py": "from nbclient import NotebookClient\n",
		"/srv/jobs/app.py":          "from jupyterlab_server import LabServerApp\n",
	}[path])
}

func TestUnattendedNotebook(t *testing.T) {
	t.Parallel()
	env := func(ci string) func(string) string {
		return func(k string) string { return map[string]string{"CI": ci}[k] }
	}
	if got := Unattended(env("true")); got != "CI is set" {
		t.Errorf("CI=true: %q", got)
	}
	// This test's own parents (go test, a shell, ...) are no notebook runner.
	if got := Unattended(env("")); got != "" {
		t.Errorf("under go test: %q", got)
	}
}

// TestAncestorsSeesTheParent reads the real process tree: a child process finds this test
// binary among its ancestors.
func TestAncestorsSeesTheParent(t *testing.T) {
	if os.Getenv("GONBAUTH_ANCESTORS_CHILD") == "1" {
		for _, p := range ancestors(os.Getppid()) {
			os.Stdout.WriteString(strings.Join(p.argv, " ") + "\n")
		}
		return
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc: ancestors reads only Linux's process table")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestAncestorsSeesTheParent$")
	cmd.Env = append(os.Environ(), "GONBAUTH_ANCESTORS_CHILD=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if first, _, _ := strings.Cut(string(out), "\n"); !strings.HasPrefix(first, os.Args[0]+" ") {
		t.Errorf("the child's first ancestor is %q, want this test binary %s", first, os.Args[0])
	}
}
