package gonbauth

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Unattended notebook runs. GoNB ignores the allow_stdin=false of a notebook executed by a
// tool, so a login box there would wait for the whole login timeout. The tool is found among
// the kernel's parent processes instead: nbclient-based runners (jupyter nbconvert --execute,
// jupyter execute, papermill) start the kernel themselves, whereas an interactive notebook's
// kernel is started by a Jupyter server.

// unattendedNotebook says why nobody can answer a login box in this notebook run ("CI is set",
// "run by papermill"), or "" when someone may; always "" when notebook is false.
func unattendedNotebook(notebook bool, getenv func(string) string) string {
	if !notebook {
		return ""
	}
	if unattended(getenv) {
		return "CI is set"
	}
	if tool := runner(ancestors(os.Getppid())); tool != "" {
		return "run by " + tool
	}
	return ""
}

// runners are the commands that execute notebooks with nobody at the keyboard, by program
// name; jupyterRunners by `jupyter` subcommand, moduleRunners by `python -m` module.
var (
	runners        = map[string]string{"jupyter-nbconvert": "jupyter nbconvert", "jupyter-execute": "jupyter execute", "papermill": "papermill"}
	jupyterRunners = map[string]string{"nbconvert": "jupyter nbconvert", "execute": "jupyter execute"}
	moduleRunners  = map[string]string{"nbconvert": "jupyter nbconvert", "nbclient": "nbclient", "papermill": "papermill"}
)

// runner returns the notebook runner among the command lines (argv lists), or "": a runner
// program, run directly or by Python (python3 /usr/bin/papermill), a `python -m` runner module,
// or a runner subcommand of jupyter (jupyter nbconvert, python3 /usr/bin/jupyter execute).
func runner(cmdlines [][]string) string {
	for _, argv := range cmdlines {
		if len(argv) > 1 && strings.HasPrefix(filepath.Base(argv[0]), "python") {
			if argv[1] == "-m" && len(argv) > 2 {
				if tool := moduleRunners[argv[2]]; tool != "" {
					return tool
				}
				continue
			}
			argv = argv[1:] // the script Python runs
		}
		if tool := runners[filepath.Base(argv[0])]; tool != "" {
			return tool
		}
		if filepath.Base(argv[0]) == "jupyter" && len(argv) > 1 {
			if tool := jupyterRunners[argv[1]]; tool != "" {
				return tool
			}
		}
	}
	return ""
}

// maxAncestors bounds the walk up the process tree.
const maxAncestors = 16

// ancestors returns the command lines of pid and its parents, nearest first, up to init. It
// reads /proc (Linux); elsewhere it returns nothing, so no run counts as unattended by its
// launcher.
func ancestors(pid int) [][]string {
	var out [][]string
	for range maxAncestors {
		if pid <= 1 {
			break
		}
		dir := filepath.Join("/proc", strconv.Itoa(pid))
		b, err := os.ReadFile(filepath.Join(dir, "cmdline"))
		if err != nil {
			break
		}
		out = append(out, strings.Split(strings.TrimRight(string(b), "\x00"), "\x00"))
		pid = parentPID(dir)
	}
	return out
}

// parentPID reads the parent's pid from dir/stat, or 0.
func parentPID(dir string) int {
	b, err := os.ReadFile(filepath.Join(dir, "stat"))
	if err != nil {
		return 0
	}
	s := string(b)
	// Fields after the ")" that closes the command name: state ppid ...
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return 0
	}
	p, _ := strconv.Atoi(f[1])
	return p
}
