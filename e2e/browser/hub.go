package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"

	"github.com/carto-go/carto-auth/e2e/testenv"
)

// HubOptions configures StartHub.
type HubOptions struct {
	// Users are the user names that will log in (DummyAuthenticator: any password).
	Users []string
	// HomeRoot holds each user's home, HomeRoot/<name>: the single-user server (and so the
	// kernel) runs there with HOME set to it. Required.
	HomeRoot string
	// DataDir is the JUPYTER_DATA_DIR with the gonb kernel spec. Required.
	DataDir string
	// Env is the environment of the single-user servers besides what JupyterHub sets (PATH
	// is kept from this process).
	Env map[string]string
	// Log, when set, receives the hub's output.
	Log io.Writer
}

// Hub is a running JupyterHub 3.0 (Debian's apt package) on 127.0.0.1: DummyAuthenticator,
// SimpleLocalProcessSpawner (every user's server runs as this process's Unix user, with its own
// HOME), the classic Notebook as the single-user UI, configurable-http-proxy in front.
type Hub struct {
	// URL is the proxy's public URL, e.g. http://127.0.0.1:PORT (no trailing slash).
	URL string
	dir string
	process
}

// StartHub starts jupyterhub with a generated config in a temp dir, on ports from
// testenv.FreePort (the proxy, its API, the hub, one per user), and returns once the hub
// answers through the proxy.
func StartHub(ctx context.Context, opts HubOptions) (*Hub, error) {
	if opts.HomeRoot == "" || opts.DataDir == "" || len(opts.Users) == 0 {
		return nil, fmt.Errorf("HubOptions: Users, HomeRoot and DataDir are required")
	}
	dir, err := os.MkdirTemp("", "e2e-hub-")
	if err != nil {
		return nil, err
	}
	h := &Hub{dir: dir}
	cfg, public, err := hubConfig(dir, opts)
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "jupyterhub_config.py"), []byte(cfg), 0o600)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	h.URL = fmt.Sprintf("http://127.0.0.1:%d", public)
	cmd := exec.Command("jupyterhub", "-f", filepath.Join(dir, "jupyterhub_config.py"))
	cmd.Dir = dir
	// Debian's configurable-http-proxy finds its Node modules only through NODE_PATH.
	cmd.Env = append(os.Environ(), "NODE_PATH=/usr/share/nodejs", "JUPYTER_DATA_DIR="+opts.DataDir)
	if err := h.start(cmd, opts.Log); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := h.waitHTTP(ctx, h.URL+"/hub/api", h.URL+"/hub/api", 60*time.Second); err != nil {
		h.Stop()
		return nil, fmt.Errorf("jupyterhub not ready: %w\n--- hub output ---\n%s", err, h.Output())
	}
	return h, nil
}

// hubConfig renders jupyterhub_config.py and returns it with the public port.
func hubConfig(dir string, opts HubOptions) (string, int, error) {
	ports := map[string]int{}
	for _, name := range append([]string{" public", " api", " hub"}, opts.Users...) {
		p, err := testenv.FreePort()
		if err != nil {
			return "", 0, err
		}
		ports[name] = p
	}
	env := map[string]string{"JUPYTERHUB_SINGLEUSER_APP": "notebook.notebookapp.NotebookApp",
		"JUPYTER_DATA_DIR": opts.DataDir, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
	for k, v := range opts.Env {
		env[k] = v
	}
	users := map[string]int{}
	for _, u := range opts.Users {
		users[u] = ports[u]
	}
	js := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	cfg := fmt.Sprintf(`c = get_config()
c.JupyterHub.bind_url = "http://127.0.0.1:%d"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = %d
c.JupyterHub.authenticator_class = "jupyterhub.auth.DummyAuthenticator"
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = %s
c.Spawner.args = ["--allow-root"]
c.Spawner.default_url = "/tree"
c.Spawner.environment = %s
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.db_url = %s
c.JupyterHub.cookie_secret_file = %s
c.JupyterHub.pid_file = %s
c.ConfigurableHTTPProxy.pid_file = %s
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# Each user's server on a port chosen by the test (below the ephemeral range).
PORTS = %s
def _port(spawner):
    spawner.port = PORTS[spawner.user.name]
c.Spawner.pre_spawn_hook = _port
`, ports[" public"], ports[" api"], ports[" hub"], js(filepath.Join(opts.HomeRoot, "{username}")), js(env),
		js("sqlite:///"+filepath.Join(dir, "jupyterhub.sqlite")), js(filepath.Join(dir, "cookie_secret")),
		js(filepath.Join(dir, "jupyterhub.pid")), js(filepath.Join(dir, "proxy.pid")), js(users))
	return cfg, ports[" public"], nil
}

// Stop stops the hub by its PID (SIGTERM: it stops the proxy and the users' servers; SIGKILL
// to its process group after 15 s; leftovers by PID) and removes its temp dir. It is
// idempotent.
func (h *Hub) Stop() {
	h.stop(15 * time.Second)
	os.RemoveAll(h.dir)
}

// LoginHub logs user in on the hub's login page (any password) in b, as a person would, and
// waits until the user's own server shows its file list (/user/<name>/tree), spawned if needed.
func (b *Browser) LoginHub(ctx context.Context, h *Hub, user string) error {
	p, err := b.Rod.Page(proto.TargetCreateTarget{URL: h.URL + "/hub/login"})
	if err != nil {
		return err
	}
	defer p.Close()
	pc := p.Context(ctx)
	name, err := pc.Element("#username_input")
	if err != nil {
		return fmt.Errorf("hub login page: %w", err)
	}
	if err := name.Input(user); err != nil {
		return err
	}
	pw, err := pc.Element("#password_input")
	if err != nil {
		return err
	}
	if err := pw.Input("any"); err != nil {
		return err
	}
	btn, err := pc.Element("#login_submit")
	if err != nil {
		return err
	}
	if err := btn.Click(proto.InputMouseButtonLeft, 1); err != nil {
		return err
	}
	tree := "/user/" + user + "/tree"
	if err := pc.Wait(rod.Eval(`(t) => location.pathname.startsWith(t) && !!document.querySelector('#notebook_list')`, tree)); err != nil {
		info, _ := p.Info()
		url := ""
		if info != nil {
			url = info.URL
		}
		return fmt.Errorf("%s's server did not show %s (page %s): %w", user, tree, url, err)
	}
	return nil
}

// Incognito returns a browser context of b with its own cookies (a second person on the same
// machine); closing it leaves b running.
func (b *Browser) Incognito() (*Browser, error) {
	r, err := b.Rod.Incognito()
	if err != nil {
		return nil, err
	}
	return &Browser{Rod: r, parent: b}, nil
}
