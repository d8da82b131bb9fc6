package flow

import (
	"runtime"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/internal/prompt"
)

func TestChooseFlow(t *testing.T) {
	t.Parallel()
	desktop := map[string]string{"DISPLAY": ":0"}
	cases := []struct {
		name  string
		opt   prompt.Flow
		env   map[string]string
		files []string
		want  prompt.Flow
		why   string
	}{
		{"option wins", prompt.FlowLoopback, map[string]string{"COLAB_RELEASE_TAG": "x", EnvFlow: "copy-code"}, nil, prompt.FlowLoopback, "loopback flow was requested"},
		{"env forces", "", map[string]string{EnvFlow: "loopback", "SSH_CONNECTION": "x"}, nil, prompt.FlowLoopback, EnvFlow},
		{"colab", "", map[string]string{"COLAB_RELEASE_TAG": "r", "DISPLAY": ":0"}, nil, prompt.FlowCopyCode, "Colab"},
		{"databricks", "", map[string]string{"DATABRICKS_RUNTIME_VERSION": "13", "DISPLAY": ":0"}, nil, prompt.FlowCopyCode, "Databricks"},
		{"jupyterhub", "", map[string]string{"JUPYTERHUB_USER": "u", "DISPLAY": ":0"}, nil, prompt.FlowCopyCode, "JupyterHub"},
		{"ssh", "", map[string]string{"SSH_CONNECTION": "1 2 3 4", "DISPLAY": ":0"}, nil, prompt.FlowCopyCode, "SSH"},
		{"docker", "", desktop, []string{"/.dockerenv"}, prompt.FlowCopyCode, "container"},
		{"kubernetes", "", map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", "DISPLAY": ":0"}, nil, prompt.FlowCopyCode, "container"},
		{"desktop", "", desktop, nil, prompt.FlowLoopback, "desktop"},
	}
	if runtime.GOOS == "linux" {
		cases = append(cases, struct {
			name  string
			opt   prompt.Flow
			env   map[string]string
			files []string
			want  prompt.Flow
			why   string
		}{"headless linux", "", nil, nil, prompt.FlowCopyCode, "no graphical display"})
	}
	for _, c := range cases {
		got, err := Choose(c.opt, func(k string) string { return c.env[k] }, func(p string) bool {
			for _, f := range c.files {
				if f == p {
					return true
				}
			}
			return false
		})
		if err != nil || got.Flow != c.want || !strings.Contains(got.Why, c.why) {
			t.Errorf("%s: got %+v, %v; want %s because %q", c.name, got, err, c.want, c.why)
		}
		// The one-click probe is skipped only where the browser is surely elsewhere.
		remote := map[string]bool{"colab": true, "databricks": true, "jupyterhub": true, "ssh": true}[c.name]
		if got.Remote != remote {
			t.Errorf("%s: remote = %v, want %v", c.name, got.Remote, remote)
		}
	}
	if _, err := Choose("device", nil, nil); err == nil || !strings.Contains(err.Error(), "copy-code") {
		t.Errorf("unknown flow: %v", err)
	}
}
