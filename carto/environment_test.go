package carto

import (
	"runtime"
	"strings"
	"testing"
)

func TestChooseFlow(t *testing.T) {
	t.Parallel()
	desktop := map[string]string{"DISPLAY": ":0"}
	cases := []struct {
		name  string
		opt   Flow
		env   map[string]string
		files []string
		want  Flow
		why   string
	}{
		{"option wins", FlowLoopback, map[string]string{"COLAB_RELEASE_TAG": "x", EnvFlow: "copy-code"}, nil, FlowLoopback, "loopback flow was requested"},
		{"env forces", FlowAuto, map[string]string{EnvFlow: "loopback", "SSH_CONNECTION": "x"}, nil, FlowLoopback, EnvFlow},
		{"colab", FlowAuto, map[string]string{"COLAB_RELEASE_TAG": "r", "DISPLAY": ":0"}, nil, FlowCopyCode, "Colab"},
		{"databricks", FlowAuto, map[string]string{"DATABRICKS_RUNTIME_VERSION": "13", "DISPLAY": ":0"}, nil, FlowCopyCode, "Databricks"},
		{"jupyterhub", FlowAuto, map[string]string{"JUPYTERHUB_USER": "u", "DISPLAY": ":0"}, nil, FlowCopyCode, "JupyterHub"},
		{"ssh", FlowAuto, map[string]string{"SSH_CONNECTION": "1 2 3 4", "DISPLAY": ":0"}, nil, FlowCopyCode, "SSH"},
		{"docker", FlowAuto, desktop, []string{"/.dockerenv"}, FlowCopyCode, "container"},
		{"kubernetes", FlowAuto, map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", "DISPLAY": ":0"}, nil, FlowCopyCode, "container"},
		{"desktop", FlowAuto, desktop, nil, FlowLoopback, "desktop"},
	}
	if runtime.GOOS == "linux" {
		cases = append(cases, struct {
			name  string
			opt   Flow
			env   map[string]string
			files []string
			want  Flow
			why   string
		}{"headless linux", FlowAuto, nil, nil, FlowCopyCode, "no graphical display"})
	}
	for _, c := range cases {
		got, err := chooseFlow(c.opt, func(k string) string { return c.env[k] }, func(p string) bool {
			for _, f := range c.files {
				if f == p {
					return true
				}
			}
			return false
		})
		if err != nil || got.flow != c.want || !strings.Contains(got.why, c.why) {
			t.Errorf("%s: got %+v, %v; want %s because %q", c.name, got, err, c.want, c.why)
		}
		// The one-click probe is skipped only where the browser is surely elsewhere.
		remote := map[string]bool{"colab": true, "databricks": true, "jupyterhub": true, "ssh": true}[c.name]
		if got.remote != remote {
			t.Errorf("%s: remote = %v, want %v", c.name, got.remote, remote)
		}
	}
	if _, err := chooseFlow("device", nil, nil); err == nil || !strings.Contains(err.Error(), "copy-code") {
		t.Errorf("unknown flow: %v", err)
	}
}
