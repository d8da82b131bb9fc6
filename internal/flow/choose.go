package flow

import (
	"fmt"
	"os"
	"runtime"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// EnvFlow forces a flow: copy-code or loopback.
const EnvFlow = "CARTO_AUTH_FLOW"

// Choice is the flow picked for a login and why, in words shown to the person.
type Choice struct {
	Flow prompt.Flow
	Why  string
	// Remote: the environment says the person's browser runs on another machine (Colab,
	// Databricks, JupyterHub, SSH), so a notebook skips the one-click probe: it cannot succeed
	// there, and Chrome would ask for local-network access on every render.
	Remote bool
}

// Choose picks the interactive flow: an explicit option ("" for none) wins, then
// CARTO_AUTH_FLOW, then where the program runs. getenv and exists are seams for tests.
func Choose(opt prompt.Flow, getenv func(string) string, exists func(string) bool) (Choice, error) {
	if opt != "" {
		return checkFlow(opt, "the "+string(opt)+" flow was requested")
	}
	if v := getenv(EnvFlow); v != "" {
		return checkFlow(prompt.Flow(v), EnvFlow+"="+v)
	}
	for _, r := range remoteSigns {
		if r.test(getenv, exists) {
			why := r.why
			if r.remote {
				why = "Copy-code login: " + why + ", where your browser is on another machine and cannot hand the login back to this one"
			}
			return Choice{Flow: prompt.FlowCopyCode, Why: why, Remote: r.remote}, nil
		}
	}
	if runtime.GOOS == "linux" && getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return Choice{Flow: prompt.FlowCopyCode, Why: "no graphical display (DISPLAY is not set), so no browser can be opened here"}, nil
	}
	return Choice{Flow: prompt.FlowLoopback, Why: "a desktop session: your browser opens and hands the login back by itself"}, nil
}

// Validate checks a flow option and the CARTO_AUTH_FLOW value up front, before any cached
// login is used, so that a typo is reported at once.
func Validate(opt prompt.Flow, env string) error {
	if opt != "" {
		if _, err := checkFlow(opt, "the flow option"); err != nil {
			return err
		}
	}
	if env != "" {
		_, err := checkFlow(prompt.Flow(env), EnvFlow+"="+env)
		return err
	}
	return nil
}

func checkFlow(f prompt.Flow, why string) (Choice, error) {
	if f != prompt.FlowCopyCode && f != prompt.FlowLoopback {
		return Choice{}, fmt.Errorf("unknown login flow %q (%s); use %q or %q", f, why, prompt.FlowCopyCode, prompt.FlowLoopback)
	}
	return Choice{Flow: f, Why: why}, nil
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

// FileExists reports whether path exists (Choose's exists).
func FileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
