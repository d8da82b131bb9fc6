package carto

import (
	"fmt"
	"os"
	"runtime"
)

// flowChoice is the flow picked for a login and why, in words shown to the user.
type flowChoice struct {
	flow Flow
	why  string
	// remote: the environment says the user's browser runs on another machine (Colab,
	// Databricks, JupyterHub, SSH), so a notebook skips the one-click probe: it cannot succeed
	// there, and Chrome would ask for local-network access on every render.
	remote bool
}

// chooseFlow picks the interactive flow: an explicit option wins, then CARTO_AUTH_FLOW, then
// where the program runs. getenv and exists are seams for tests.
func chooseFlow(opt Flow, getenv func(string) string, exists func(string) bool) (flowChoice, error) {
	if opt != FlowAuto {
		return checkFlow(opt, "the "+string(opt)+" flow was requested")
	}
	if v := getenv(EnvFlow); v != "" {
		return checkFlow(Flow(v), EnvFlow+"="+v)
	}
	for _, r := range remoteSigns {
		if r.test(getenv, exists) {
			why := r.why
			if r.remote {
				why = "Copy-code login: " + why + ", where your browser is on another machine and cannot hand the login back to this one"
			}
			return flowChoice{flow: FlowCopyCode, why: why, remote: r.remote}, nil
		}
	}
	if runtime.GOOS == "linux" && getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return flowChoice{flow: FlowCopyCode, why: "no graphical display (DISPLAY is not set), so no browser can be opened here"}, nil
	}
	return flowChoice{flow: FlowLoopback, why: "a desktop session: your browser opens and hands the login back by itself"}, nil
}

// validateFlow checks a flow option and the CARTO_AUTH_FLOW value up front, before any
// cached login is used, so that a typo is reported at once.
func validateFlow(opt Flow, env string) error {
	if opt != FlowAuto {
		if _, err := checkFlow(opt, "the flow option"); err != nil {
			return err
		}
	}
	if env != "" {
		_, err := checkFlow(Flow(env), EnvFlow+"="+env)
		return err
	}
	return nil
}

func checkFlow(f Flow, why string) (flowChoice, error) {
	if f != FlowCopyCode && f != FlowLoopback {
		return flowChoice{}, fmt.Errorf("unknown login flow %q (%s); use %q or %q", f, why, FlowCopyCode, FlowLoopback)
	}
	return flowChoice{flow: f, why: why}, nil
}

// remoteSigns are the places where the browser may run on another machine than this program:
// certainly (remote) in Colab, Databricks, JupyterHub and over SSH; perhaps in a container,
// whose port the user may have published (there the notebook probe can tell).
var remoteSigns = []struct {
	why    string
	remote bool
	test   func(getenv func(string) string, exists func(string) bool) bool
}{
	{"running in Google Colab", true, func(env func(string) string, ex func(string) bool) bool {
		return env("COLAB_RELEASE_TAG") != "" || env("COLAB_GPU") != "" || ex("/content/.config")
	}},
	{"running in Databricks", true, func(env func(string) string, _ func(string) bool) bool {
		return env("DATABRICKS_RUNTIME_VERSION") != ""
	}},
	{"running in JupyterHub", true, func(env func(string) string, _ func(string) bool) bool {
		return env("JUPYTERHUB_API_TOKEN") != "" || env("JUPYTERHUB_USER") != ""
	}},
	{"running over SSH", true, func(env func(string) string, _ func(string) bool) bool {
		return env("SSH_CONNECTION") != "" || env("SSH_CLIENT") != "" || env("SSH_TTY") != ""
	}},
	{"running in a container", false, func(env func(string) string, ex func(string) bool) bool {
		return env("KUBERNETES_SERVICE_HOST") != "" || ex("/.dockerenv") || ex("/run/.containerenv")
	}},
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
