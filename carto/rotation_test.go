package carto

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// refuseWorker logs in from the cache, says so (READY file), waits for the GO file, then calls
// the API once, which the test has made refuse the token.
func refuseWorker() int {
	a, err := FromOAuth(context.Background(), &OAuthOptions{DisableInteraction: true})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	os.WriteFile(os.Getenv("WORKER_READY"), nil, 0o600)
	if !waitForFile(os.Getenv("WORKER_GO"), 20*time.Second) {
		fmt.Println("go file never appeared")
		return 1
	}
	resp, err := a.HTTPClient().Get(a.APIBaseURL() + "/v3/sql/carto_dw/query?q=SELECT+1")
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	resp.Body.Close()
	fmt.Println("api answered", resp.StatusCode)
	return 0
}

// rotateWorker logs in from the cache and refreshes at once (the server rotates the refresh
// token).
func rotateWorker() int {
	a, err := FromOAuth(context.Background(), &OAuthOptions{DisableInteraction: true})
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	expireInMemory(a)
	if _, err := a.AccessToken(context.Background()); err != nil {
		fmt.Println("error:", err)
		return 1
	}
	fmt.Println("refreshed")
	return 0
}

func waitForFile(path string, limit time.Duration) bool {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return true
		}
	}
	return false
}

// startWorker starts the test binary as a worker process of the given kind.
func startWorker(t *testing.T, kind string, env ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), append(env, "GONBAUTH_WORKER="+kind)...)
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, out
}

func runWorker(t *testing.T, kind string, env ...string) string {
	t.Helper()
	cmd, out := startWorker(t, kind, env...)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("%s worker: %v\n%s", kind, err, out)
	}
	return strings.TrimSpace(out.String())
}

// A process whose API call is refused (401) after another process rotated the refresh token
// must not put the old refresh token back on disk: a third process would spend it, Auth0's
// reuse detection would revoke the whole family, and every kernel would need a new login.
func TestRefusedTokenNeverBringsBackARotatedRefreshToken(t *testing.T) {
	t.Parallel()
	srv, _, opts, _ := oauthLoggedIn(t, cartotest.Config{RotateRefreshTokens: true})
	env := []string{EnvAuthServer + "=" + srv.URL, EnvCacheDir + "=" + opts.CacheDir}
	sync := t.TempDir()
	ready, goFile := filepath.Join(sync, "ready"), filepath.Join(sync, "go")

	refuser, refuserOut := startWorker(t, "refuse", append(env, "WORKER_READY="+ready, "WORKER_GO="+goFile)...)
	if !waitForFile(ready, 20*time.Second) {
		refuser.Process.Kill()
		refuser.Wait()
		t.Fatalf("the refusing worker never got ready:\n%s", refuserOut)
	}
	if out := runWorker(t, "rotate", env...); out != "refreshed" {
		t.Fatalf("rotate worker: %s", out)
	}
	srv.Inject(cartotest.EndpointSQL, cartotest.Fault{Status: http.StatusUnauthorized})
	os.WriteFile(goFile, nil, 0o600)
	if err := refuser.Wait(); err != nil || !strings.Contains(refuserOut.String(), "api answered 401") {
		t.Fatalf("refusing worker: %v\n%s", err, refuserOut)
	}
	third := runWorker(t, "token", append(env, "WORKER_START="+goFile)...)

	disk, err := diskEntry(authOf(t, opts))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(disk.AccessToken))
	if third != "token-sha "+hex.EncodeToString(sum[:]) {
		t.Errorf("the third process got %q, not the token the rotating process stored", third)
	}
	if n := srv.ReuseDetected(); n != 0 {
		t.Fatalf("refresh token reuse detected %d times: the refresh family was revoked", n)
	}
	// The family is alive: a new process can still refresh with what is on disk.
	if out := runWorker(t, "rotate", env...); out != "refreshed" || srv.ReuseDetected() != 0 {
		t.Errorf("refreshing afterwards: %s (reuse detected %d)", out, srv.ReuseDetected())
	}
	if n := srv.Count(cartotest.EndpointTokenRT); n != 2 {
		t.Errorf("refreshes %d, want 2 (one per rotating worker)", n)
	}
}

// authOf is the Auth that opts log in as, not logged in.
func authOf(t *testing.T, opts *OAuthOptions) *Auth {
	t.Helper()
	l, err := newOAuthLogin(opts, readFacts(), false)
	if err != nil {
		t.Fatal(err)
	}
	return l.auth
}
