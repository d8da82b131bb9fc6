// Package browser drives a real notebook UI for end-to-end tests: a classic Jupyter Notebook
// 6.4 server (Debian's apt package), the project's JupyterLab 4.6 or Notebook 7.6 (jupyterlab/
// and notebook7/ at the repository root: built from npm, served by Debian's jupyter_server),
// or a JupyterHub 3.0, with the GoNB kernel, and headless Chromium driven by go-rod, typing
// into input boxes and clicking links as a person would.
//
// Typical use in a test:
//
//	srv := browser.StartServerT(t, browser.ServerOptions{NotebookDir: dir})
//	b := browser.LaunchT(t)
//	nb := b.OpenNotebookT(t, srv.NotebookURL("login.ipynb"))
//	nb.RunAll(ctx)
//	nb.TypeInput(ctx, "the-code")
package browser

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/e2e/testenv"
)

// ServerOptions configures StartServer.
type ServerOptions struct {
	// NotebookDir is the folder the server serves (required).
	NotebookDir string
	// DataDir is the JUPYTER_DATA_DIR holding kernels/gonb/kernel.json (see
	// scripts/install-deps.sh --kernel DIR). Required.
	DataDir string
	// Env holds extra KEY=VALUE entries for the server and so for its kernels and cells.
	Env []string
	// Jupyter is the jupyter-notebook command; "" means jupyter-notebook on PATH. Unused
	// with Lab.
	Jupyter string
	// Lab, when set, is the directory of the project's JupyterLab (jupyterlab/, built): the
	// server is its app.py run by Python (default /usr/bin/python3) instead of the classic
	// Notebook, with --expose-app-in-browser (the helpers drive window.jupyterapp).
	Lab string
	// Notebook7, when set (and Lab is not), is the directory of the project's Notebook 7
	// (notebook7/, built): its app.py, run as Lab's is.
	Notebook7 string
	// Python runs Lab's or Notebook7's app.py; "" means /usr/bin/python3.
	Python string
	// Password, with Lab or Notebook7, sets a Jupyter password as a user does
	// (`jupyterlab/jupyter-lab password`, `notebook7/jupyter-notebook7 password`, answered on
	// stdin, into the server's own config dir) and starts the server without a token, so that
	// it asks for the password: Server.Token is then "".
	Password string
	// Args are extra command-line arguments of the server.
	Args []string
	// Log, when set, receives the server's output.
	Log io.Writer
}

// Server is a running Jupyter Notebook server on 127.0.0.1.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:PORT (no trailing slash).
	URL string
	// Token is the server's access token.
	Token string
	app   string // "" (classic Notebook), "lab" or "notebook7"
	dir   string
	process
}

// StartServer starts `jupyter notebook` (or JupyterLab, see ServerOptions.Lab) on a free
// loopback port with throw-away runtime and config dirs, and returns once /api/status answers.
func StartServer(ctx context.Context, opts ServerOptions) (*Server, error) {
	if opts.NotebookDir == "" || opts.DataDir == "" {
		return nil, fmt.Errorf("ServerOptions: NotebookDir and DataDir are required")
	}
	port, err := testenv.FreePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "e2e-jupyter-")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Token: randomHex(16), dir: dir}
	switch {
	case opts.Lab != "":
		s.app = "lab"
	case opts.Notebook7 != "":
		s.app = "notebook7"
	}
	env := append(os.Environ(), "JUPYTER_DATA_DIR="+opts.DataDir,
		"JUPYTER_CONFIG_DIR="+filepath.Join(dir, "config"), "JUPYTER_RUNTIME_DIR="+filepath.Join(dir, "runtime"),
		"JUPYTERLAB_SETTINGS_DIR=", "JUPYTERLAB_WORKSPACES_DIR=", // under JUPYTER_CONFIG_DIR
		"JUPYTER_PATH=", "JUPYTER_TOKEN=", "PYDEVD_DISABLE_FILE_VALIDATION=1")
	env = append(env, opts.Env...)
	ready := s.URL + "/api/status?token=" + s.Token
	if opts.Password != "" {
		var launcher string
		switch {
		case opts.Lab != "":
			launcher = filepath.Join(opts.Lab, "jupyter-lab")
		case opts.Notebook7 != "":
			launcher = filepath.Join(opts.Notebook7, "jupyter-notebook7")
		default:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("ServerOptions: Password is for JupyterLab (Lab) and Notebook 7 (Notebook7)")
		}
		pw := exec.CommandContext(ctx, launcher, "password")
		pw.Env = env
		pw.Stdin = strings.NewReader(opts.Password + "\n" + opts.Password + "\n")
		if out, err := pw.CombinedOutput(); err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("%s password: %v: %s", filepath.Base(launcher), err, out)
		}
		s.Token, ready = "", s.URL+"/login"
	}
	cmd := serverCommand(opts, port, s.Token)
	cmd.Env = env
	if err := s.start(cmd, opts.Log); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := s.waitHTTP(ctx, ready, s.URL+"/api/status", 30*time.Second); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%s not ready: %w\n--- server output ---\n%s", cmd.Path, err, s.Output())
	}
	return s, nil
}

// serverCommand is the command line of a classic Notebook, JupyterLab or Notebook 7 server.
func serverCommand(opts ServerOptions, port int, token string) *exec.Cmd {
	if opts.Lab == "" && opts.Notebook7 != "" {
		opts.Lab = opts.Notebook7 // the same launcher's command line
	}
	if opts.Lab != "" {
		py := opts.Python
		if py == "" {
			py = "/usr/bin/python3"
		}
		cmd := exec.Command(py, filepath.Join(opts.Lab, "app.py"), "--no-browser", "--allow-root", "--expose-app-in-browser",
			"--ServerApp.ip=127.0.0.1", fmt.Sprintf("--ServerApp.port=%d", port), "--ServerApp.port_retries=0",
			"--ServerApp.root_dir="+opts.NotebookDir)
		if opts.Password == "" {
			cmd.Args = append(cmd.Args, "--ServerApp.token="+token)
		}
		cmd.Args = append(cmd.Args, opts.Args...)
		cmd.Dir = opts.Lab
		return cmd
	}
	bin := opts.Jupyter
	if bin == "" {
		bin = "jupyter-notebook"
	}
	args := append([]string{"--no-browser", "--allow-root", "--ip=127.0.0.1",
		fmt.Sprintf("--port=%d", port), "--port-retries=0", "--NotebookApp.token=" + token,
		"--notebook-dir=" + opts.NotebookDir}, opts.Args...)
	return exec.Command(bin, args...)
}

// NotebookURL returns the URL (with token, if any) that opens the notebook at path, relative to
// NotebookDir: /notebooks/PATH in the classic Notebook and in Notebook 7, /lab/tree/PATH in
// JupyterLab.
func (s *Server) NotebookURL(path string) string {
	prefix := "/notebooks/"
	if s.app == "lab" {
		prefix = "/lab/tree/"
	}
	u := s.URL + prefix + (&url.URL{Path: path}).EscapedPath()
	if s.Token != "" {
		u += "?token=" + s.Token
	}
	return u
}

// HomeURL returns the URL (with token, if any) of the server's main page: /lab in JupyterLab,
// /tree (the file browser) in the classic Notebook and in Notebook 7.
func (s *Server) HomeURL() string {
	u := s.URL + "/tree"
	if s.app == "lab" {
		u = s.URL + "/lab"
	}
	if s.Token != "" {
		u += "?token=" + s.Token
	}
	return u
}

// Stop stops the server by its PID (SIGTERM, which shuts its kernels down; SIGKILL to its
// process group after 10 s; leftover kernels by PID) and removes its temp dirs. It is
// idempotent.
func (s *Server) Stop() {
	s.stop(10 * time.Second)
	os.RemoveAll(s.dir)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
