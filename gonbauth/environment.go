package gonbauth

import (
	"fmt"
	"os"
	"runtime"
)

// flowChoice is the flow picked for a login and why, in words shown to the user.
type flowChoice struct {
	flow Flow
	why  string
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
			return flowChoice{FlowCopyCode, r.why}, nil
		}
	}
	if runtime.GOOS == "linux" && getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return flowChoice{FlowCopyCode, "no graphical display (DISPLAY is not set), so no browser can be opened here"}, nil
	}
	return flowChoice{FlowLoopback, "a desktop session: your browser opens and hands the login back by itself"}, nil
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
	return flowChoice{f, why}, nil
}

// remoteSigns are the places where the browser runs on another machine than this program.
var remoteSigns = []struct {
	why  string
	test func(getenv func(string) string, exists func(string) bool) bool
}{
	{"running in Google Colab", func(env func(string) string, ex func(string) bool) bool {
		return env("COLAB_RELEASE_TAG") != "" || env("COLAB_GPU") != "" || ex("/content/.config")
	}},
	{"running in Databricks", func(env func(string) string, _ func(string) bool) bool {
		return env("DATABRICKS_RUNTIME_VERSION") != ""
	}},
	{"running in JupyterHub", func(env func(string) string, _ func(string) bool) bool {
		return env("JUPYTERHUB_API_TOKEN") != "" || env("JUPYTERHUB_USER") != ""
	}},
	{"running over SSH", func(env func(string) string, _ func(string) bool) bool {
		return env("SSH_CONNECTION") != "" || env("SSH_CLIENT") != "" || env("SSH_TTY") != ""
	}},
	{"running in a container", func(env func(string) string, ex func(string) bool) bool {
		return env("KUBERNETES_SERVICE_HOST") != "" || ex("/.dockerenv") || ex("/run/.containerenv")
	}},
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
