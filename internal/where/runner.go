// Package where tells where the program runs, for deciding who can answer a login: a notebook
// run by a tool with nobody at the keyboard (papermill, jupyter nbconvert --execute), or CI.
package where

import (
	"io"
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

// Unattended says why nobody can answer a login box in this notebook run ("CI is set",
// "run by papermill"), or "" when someone may.
func Unattended(getenv func(string) string) string {
	if unattended(getenv) {
		return "CI is set"
	}
	if tool := runner(ancestors(os.Getppid()), readScript); tool != "" {
		return "run by " + tool
	}
	return ""
}

// runners are the commands that execute notebooks with nobody at the keyboard, by program
// name; jupyterRunners by `jupyter` subcommand, moduleRunners by `python -m` module; apiRunners
// are the Python packages whose API executes notebooks, as imported by a script or a -c
// command. Functions, so that a program pays for the maps only when it looks.
func runners() map[string]string {
	return map[string]string{"jupyter-nbconvert": "jupyter nbconvert", "jupyter-execute": "jupyter execute", "papermill": "papermill"}
}

func jupyterRunners() map[string]string {
	return map[string]string{"nbconvert": "jupyter nbconvert", "execute": "jupyter execute"}
}

func moduleRunners() map[string]string {
	return map[string]string{"nbconvert": "jupyter nbconvert", "nbclient": "nbclient", "papermill": "papermill"}
}

func apiRunners() map[string]string {
	return map[string]string{"papermill": "papermill", "nbclient": "nbclient", "nbconvert": "jupyter nbconvert"}
}

// unattended reports a run where nobody can answer a prompt (CI systems set CI).
func unattended(getenv func(string) string) bool {
	v := getenv("CI")
	return v != "" && v != "0" && v != "false"
}

// process is an ancestor of the kernel: its command line and working folder.
type process struct {
	argv []string
	cwd  string
}

// runner returns the notebook runner among the processes, or "": a runner program, run
// directly or by Python (python3 -u /usr/bin/papermill), a `python -m` runner module, a
// runner subcommand of jupyter (jupyter nbconvert, python3 /usr/bin/jupyter execute), or a
// Python script or -c command that imports a runner's API (papermill.execute_notebook).
// readScript reads the start of a script file, or returns nil.
func runner(procs []process, readScript func(path string) []byte) string {
	for _, p := range procs {
		if len(p.argv) == 0 {
			continue
		}
		if strings.HasPrefix(filepath.Base(p.argv[0]), "python") {
			if tool := pythonRunner(p, readScript); tool != "" {
				return tool
			}
			continue
		}
		if tool := programRunner(p.argv); tool != "" {
			return tool
		}
	}
	return ""
}

// programRunner recognises a runner program and its arguments.
func programRunner(argv []string) string {
	if tool := runners()[filepath.Base(argv[0])]; tool != "" {
		return tool
	}
	if filepath.Base(argv[0]) == "jupyter" && len(argv) > 1 {
		return jupyterRunners()[argv[1]]
	}
	return ""
}

// pythonRunner reads a Python command line past the interpreter's own options (-u, -X dev,
// -W error, -um papermill, ...) to what it runs: a module, a -c command or a script.
func pythonRunner(p process, readScript func(string) []byte) string {
	for i := 1; i < len(p.argv); i++ {
		arg := p.argv[i]
		switch {
		case arg == "--check-hash-based-pycs":
			i++ // its value
		case strings.HasPrefix(arg, "-W") || strings.HasPrefix(arg, "-X"):
			if len(arg) == 2 {
				i++ // a separate value: -X dev
			}
		case arg == "-" || !strings.HasPrefix(arg, "-"): // a script (- is standard input)
			if tool := programRunner(p.argv[i:]); tool != "" {
				return tool
			}
			return apiRunner(readScript(scriptPath(p.cwd, arg)), "a script")
		case strings.HasPrefix(arg, "--"):
		default: // one or more single-letter flags; m and c take the rest or the next argument
			if j := strings.IndexAny(arg, "mc"); j > 0 {
				value := arg[j+1:]
				if value == "" && i+1 < len(p.argv) {
					value = p.argv[i+1]
				}
				if arg[j] == 'm' {
					return moduleRunners()[value]
				}
				return apiRunner([]byte(value), "a -c command")
			}
		}
	}
	return ""
}

// apiRunner names the runner whose Python API the code imports, or "".
func apiRunner(code []byte, what string) string {
	for _, line := range strings.Split(string(code), "\n") {
		f := strings.Fields(strings.ReplaceAll(strings.ReplaceAll(line, ";", " "), ",", " "))
		for i := 0; i+1 < len(f); i++ {
			if f[i] != "import" && f[i] != "from" {
				continue
			}
			pkg, _, _ := strings.Cut(f[i+1], ".")
			if tool := apiRunners()[pkg]; tool != "" {
				return tool + "'s Python API, from " + what
			}
		}
	}
	return ""
}

func scriptPath(cwd, script string) string {
	if filepath.IsAbs(script) || cwd == "" {
		return script
	}
	return filepath.Join(cwd, script)
}

// maxAncestors bounds the walk up the process tree; maxScript, the part of a script read.
const (
	maxAncestors = 16
	maxScript    = 64 << 10
)

// ancestors returns pid and its parents, nearest first, up to init. It reads /proc (Linux);
// elsewhere it returns nothing, so no run counts as unattended by its launcher.
func ancestors(pid int) []process {
	var out []process
	for range maxAncestors {
		if pid <= 1 {
			break
		}
		dir := filepath.Join("/proc", strconv.Itoa(pid))
		b, err := os.ReadFile(filepath.Join(dir, "cmdline"))
		if err != nil {
			break
		}
		cwd, _ := os.Readlink(filepath.Join(dir, "cwd"))
		out = append(out, process{argv: strings.Split(strings.TrimRight(string(b), "\x00"), "\x00"), cwd: cwd})
		pid = parentPID(dir)
	}
	return out
}

// readScript reads the start of a regular file without blocking (a FIFO is refused), or nil.
func readScript(path string) []byte {
	f, err := os.OpenFile(path, os.O_RDONLY|nonBlocking, 0)
	if err != nil {
		return nil
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(f, maxScript))
	return b
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
