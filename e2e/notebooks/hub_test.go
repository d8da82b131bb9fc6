package notebooks_test

// JupyterHub 3.0 (apt jupyterhub): notebooks under /user/<name>/ behind configurable-http-proxy,
// two users each logging in through the card in their own browser session.

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// goEnv returns the Go settings a kernel needs to build cells quickly when HOME changes (the
// build and module caches default to HOME).
func goEnv(t *testing.T) map[string]string {
	t.Helper()
	keys := []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOPROXY", "GOSUMDB", "GOFLAGS", "GOTOOLCHAIN", "GONOSUMDB", "GOPRIVATE"}
	out, err := exec.Command("go", append([]string{"env"}, keys...)...).Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	env := map[string]string{}
	for i, v := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if i < len(keys) && v != "" {
			env[keys[i]] = v
		}
	}
	return env
}

// TestHubTwoUsers: alice and bob log in to one JupyterHub, each in their own browser session,
// and each runs quickstart's login cell. In the hub the card uses copy-code with no one-click
// probe and says why. Each login lands in the user's own cache (~/.carto-auth of the user's
// HOME); bob's login does not see alice's; the files are private to their owner, so a process of
// another Unix user (nobody) cannot read them. SimpleLocalProcessSpawner runs every user as the
// hub's own Unix user, so this shows per-HOME isolation enforced by file modes, not isolation
// from root.
func TestHubTwoUsers(t *testing.T) {
	srv := standin(t, cartotest.Config{LoginPage: true})
	homes := t.TempDir()
	users := []string{"alice", "bob"}
	src, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "notebooks", "quickstart.ipynb"))
	mustOK(t, err)
	for _, u := range users {
		mustOK(t, os.MkdirAll(filepath.Join(homes, u), 0o755))
		mustOK(t, os.WriteFile(filepath.Join(homes, u, "quickstart.ipynb"), src, 0o644))
	}
	env := goEnv(t)
	env["CARTO_AUTH_SERVER"] = srv.URL
	hub := browser.StartHubT(t, browser.HubOptions{Users: users, HomeRoot: homes, DataDir: testenv.KernelSpec(t), Env: env})
	b := browser.LaunchT(t)
	blocked := blockLoopback(t, b)
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	tokens := map[string]string{}
	for _, u := range users {
		t.Run(u, func(t *testing.T) {
			hubLogin(ctx, t, b, hub, srv, u, art)
			cache := filepath.Join(homes, u, ".carto-auth")
			e := cachedTokens(t, cache)
			if len(e) != 1 || e[0].Flow != "copy-code" {
				t.Fatalf("%s's cache %s: %d entries, want one copy-code login", u, cache, len(e))
			}
			tokens[u] = e[0].AccessToken
			checkPrivate(t, cache)
		})
	}
	if tokens["alice"] == "" || tokens["alice"] == tokens["bob"] {
		t.Errorf("alice and bob did not get logins of their own")
	}
	if n := srv.Count(cartotest.EndpointTokenCode); n != 2 {
		t.Errorf("%d code exchanges, want 2 (bob logged in himself)", n)
	}
	if n := blocked.Load(); n != 0 {
		t.Errorf("the browser asked the kernel's loopback port %d times; in a hub the card must not probe", n)
	}
}

// hubLogin logs user in on the hub in a browser session of their own, opens their copy of
// quickstart.ipynb and logs in to CARTO through the card by copy-code.
func hubLogin(ctx context.Context, t *testing.T, b *browser.Browser, hub *browser.Hub, srv *cartotest.Server, user, art string) {
	t.Helper()
	me, err := b.Incognito()
	mustOK(t, err)
	defer me.Close()
	start := time.Now()
	mustOK(t, me.LoginHub(ctx, hub, user))
	t.Logf("%s: hub login and server spawned in %v", user, time.Since(start).Round(time.Millisecond))
	nb := me.OpenNotebookT(t, hub.URL+"/user/"+user+"/notebooks/quickstart.ipynb")
	mustOK(t, nb.RunCell(ctx, qsLogin))
	_, err = nb.WaitInput(ctx, qsLogin)
	mustOK(t, err)
	mustOK(t, nb.WaitText(ctx, qsLogin, "Waiting for the code"))
	text, _ := nb.OutputText(ctx, qsLogin)
	if !strings.Contains(text, "Copy-code login: running in JupyterHub") {
		t.Errorf("the card does not say it is in copy-code mode because of JupyterHub: %q", text)
	}
	if p := cardAttr(ctx, nb, qsLogin, ".carto-login-probe", "data-src"); p != "" {
		t.Errorf("the card in a hub has a one-click probe: %s", p)
	}
	checkAuthURL(t, srv, cardAttr(ctx, nb, qsLogin, ".carto-login-link", "href"), srv.CodePageURL())
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, user+"-waiting.png")))
	tab, err := nb.ClickLink(ctx, qsLogin, ".carto-login-link")
	mustOK(t, err)
	pasteCodeFromLoginTab(ctx, t, nb, tab, srv.CodePageURL()+"?", art)
	mustOK(t, nb.WaitAttr(ctx, qsLogin, ".carto-login", "data-state", "done"))
	mustOK(t, nb.Screenshot(ctx, qsLogin, "", filepath.Join(art, user+"-done.png")))
	t.Logf("%s: logged in %v after the hub login", user, time.Since(start).Round(time.Millisecond))
	checkPageNoLeak(ctx, t, nb, secrets(t, srv, t.TempDir()))
}

// checkPrivate checks that the cache folder and its files are owner-only, and, as root, that a
// process of another Unix user (nobody) cannot list the folder or read a file.
func checkPrivate(t *testing.T, dir string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, p := range append([]string{dir}, files...) {
		fi, err := os.Stat(p)
		mustOK(t, err)
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v: others can read it", p, fi.Mode().Perm())
		}
	}
	if os.Geteuid() != 0 {
		t.Logf("not root: reading as another Unix user not tried")
		return
	}
	for _, p := range append([]string{dir}, files...) {
		cmd := exec.Command("cat", p)
		if p == dir {
			cmd = exec.Command("ls", p)
		}
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || !strings.Contains(string(out), "Permission denied") {
			t.Errorf("user nobody: %s %s: %v %q; want permission denied", cmd.Args[0], p, err, out)
		}
	}
}
