package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// noLocks runs cartoauth with every flock failing with ENOLCK, as on NFS without a lock
// daemon and on some FUSE and 9p mounts: the real binary under strace's fault injection.
func noLocks(t *testing.T, e *cliEnv) *cliEnv {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("strace's fault injection is Linux's")
	}
	strace, err := exec.LookPath("strace")
	if err != nil {
		t.Fatal("strace is missing (scripts/install-deps.sh installs it): ", err)
	}
	return e.under(strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=flock", "-e", "inject=flock:error=ENOLCK")
}

// TestNoFileLocksLogoutAndLoginTellTheTruth: on a file system without locks, logout still
// revokes and removes the login on disk, and a login that cannot be kept says so and fails
// instead of reporting "Logged in" and keeping nothing.
func TestNoFileLocksLogoutAndLoginTellTheTruth(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{LoginPage: true})
	e := newCLIEnv(t, srv.URL)
	if r := e.loginCopyCode(t, serverBrowser(srv)); r.code != 0 {
		t.Fatalf("login: exit %d: %s", r.code, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(e.cache, "gonbauth-*.json"))
	if len(files) != 1 {
		t.Fatalf("cache files after login: %v", files)
	}
	nl := noLocks(t, e)

	r := nl.run(t, nil, "logout")
	if _, err := os.Stat(files[0]); r.code != 0 || !errors.Is(err, os.ErrNotExist) || srv.Count(cartotest.EndpointRevoke) != 1 {
		t.Errorf("logout without locks: exit %d, cache file left: %v, revocations %d; stderr:\n%s",
			r.code, err == nil, srv.Count(cartotest.EndpointRevoke), r.stderr)
	}

	r = nl.loginCopyCode(t, serverBrowser(srv))
	if r.code == 0 || strings.Contains(r.stderr, "Logged in: ") || !strings.Contains(r.stderr, "could not be kept") {
		t.Errorf("login without locks: exit %d; want a failure saying the login could not be kept; stderr:\n%s", r.code, r.stderr)
	}
}
