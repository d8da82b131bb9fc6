package testenv

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Ports handed out by FreePort lie below Linux's ephemeral range (32768–60999): a port in that
// range can be taken by a retrying client's own connect (TCP self-connect) before the server
// binds it.
const (
	portLow  = 20000
	portHigh = 32000
)

// FreePort returns a port in 20000–31999 that nothing listens on at 127.0.0.1 right now.
func FreePort() (int, error) {
	for range 200 {
		p := portLow + rand.IntN(portHigh-portLow)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue
		}
		l.Close()
		return p, nil
	}
	return 0, fmt.Errorf("no free port in %d–%d after 200 tries", portLow, portHigh-1)
}

// FreePortT is FreePort for a test.
func FreePortT(t testing.TB) int {
	t.Helper()
	p, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Command returns the path of an installed command, applying the skip policy when it is
// missing; part names what provides it (an apt package).
func Command(t testing.TB, name, part string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, part, err.Error())
	}
	return p
}

// systemPython is Debian's Python, which has the apt Jupyter packages (a pyenv or venv python
// earlier on PATH may not).
const systemPython = "/usr/bin/python3"

// Python returns the system Python after checking that it imports modules (apt packages named
// in part), applying the skip policy otherwise.
func Python(t testing.TB, part string, modules ...string) string {
	t.Helper()
	if _, err := os.Stat(systemPython); err != nil {
		Missing(t, part, err.Error())
		return ""
	}
	code := "import " + strings.Join(modules, ", ")
	if out, err := exec.Command(systemPython, "-c", code).CombinedOutput(); err != nil {
		Missing(t, part, fmt.Sprintf("%s -c %q: %v: %s", systemPython, code, err, strings.TrimSpace(string(out))))
	}
	return systemPython
}

// LabSources are the files the JupyterLab front end is built from; jupyterlab/build.sh
// records their SHA-256 in build/.sources-sha256.
var LabSources = []string{"package.json", "package-lock.json", "index.js", "rspack.config.js"}

// LabApp returns the directory of the project's JupyterLab (jupyterlab/ at the repository root,
// with app.py and a build of the current sources), applying the skip policy when it is not
// built or out of date.
// It also checks that the system Python has jupyter_server and jupyterlab_server.
func LabApp(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "jupyterlab")
	want, err := LabSourcesHash(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "build", ".sources-sha256"))
	if err != nil || strings.TrimSpace(string(got)) != want {
		Missing(t, "the JupyterLab front end build", "build it with jupyterlab/build.sh (needs node ≥ 20.19 and npm; scripts/install-deps.sh runs it)")
	}
	Python(t, "apt python3-jupyter-server python3-jupyterlab-server", "jupyter_server", "jupyterlab_server")
	return dir
}

// LabSourcesHash is the hex SHA-256 of LabSources in dir, concatenated in that order.
func LabSourcesHash(dir string) (string, error) { return sourcesHash(dir, LabSources) }

// Notebook7Sources are the files the Notebook 7 front end is built from; notebook7/build.sh
// records their SHA-256 in build/.sources-sha256.
var Notebook7Sources = []string{"package.json", "package-lock.json", "index.js", "rspack.config.js"}

// Notebook7App returns the directory of the project's Notebook 7 (notebook7/ at the repository
// root, with app.py and a build of the current sources), applying the skip policy when it is
// not built or out of date. It also checks that the system Python has jupyter_server and
// jupyterlab_server.
func Notebook7App(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "notebook7")
	want, err := sourcesHash(dir, Notebook7Sources)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "build", ".sources-sha256"))
	if err != nil || strings.TrimSpace(string(got)) != want {
		Missing(t, "the Notebook 7 front end build", "build it with notebook7/build.sh (needs node ≥ 20.19 and npm; scripts/install-deps.sh --e2e runs it)")
	}
	Python(t, "apt python3-jupyter-server python3-jupyterlab-server", "jupyter_server", "jupyterlab_server")
	return dir
}

// sourcesHash is the hex SHA-256 of files in dir, concatenated in that order.
func sourcesHash(dir string, files []string) (string, error) {
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return "", err
		}
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
