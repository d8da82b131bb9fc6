package carto

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// The tests here start real processes: the test binary run again with GONBAUTH_WORKER set,
// so each worker is a separate process with its own memory, sharing only the cache folder.

func TestMain(m *testing.M) {
	switch os.Getenv("GONBAUTH_WORKER") {
	case "":
		os.Exit(m.Run())
	case "token":
		os.Exit(tokenWorker())
	case "refuse":
		os.Exit(refuseWorker())
	case "rotate":
		os.Exit(rotateWorker())
	default:
		fmt.Println("unknown GONBAUTH_WORKER", os.Getenv("GONBAUTH_WORKER"))
		os.Exit(2)
	}
}

// tokenWorker waits for the start file, logs in from the cache and prints the token's hash.
func tokenWorker() int {
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(os.Getenv("WORKER_START")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			fmt.Println("start file never appeared")
			return 1
		}
	}
	var a *Auth
	var err error
	if creds := os.Getenv("WORKER_CREDS"); creds != "" {
		a, err = FromM2M(context.Background(), creds, nil)
	} else {
		a, err = FromOAuth(context.Background(), &OAuthOptions{DisableInteraction: true})
	}
	if err != nil {
		fmt.Println("error:", err)
		return 1
	}
	tok, _ := a.AccessToken(context.Background())
	sum := sha256.Sum256([]byte(tok))
	fmt.Println("token-sha", hex.EncodeToString(sum[:]))
	return 0
}

// runWorkers starts n token workers at once and returns the token hash each printed.
func runWorkers(t *testing.T, n int, env ...string) []string {
	t.Helper()
	start := filepath.Join(t.TempDir(), "start")
	outs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), append(env, "GONBAUTH_WORKER=token", "WORKER_START="+start)...)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := cmd.Wait(); err != nil {
				t.Errorf("worker %d: %v\n%s", i, err, out.String())
			}
			outs[i] = strings.TrimSpace(out.String())
		}()
	}
	time.Sleep(300 * time.Millisecond) // let every worker reach its start line
	os.WriteFile(start, nil, 0o600)
	wg.Wait()
	return outs
}

func assertAllSame(t *testing.T, outs []string) {
	t.Helper()
	for _, o := range outs {
		if !strings.HasPrefix(o, "token-sha ") || o != outs[0] {
			t.Fatalf("workers disagree or failed: %q", outs)
		}
	}
}

func TestEightProcessesShareOneM2MRenewal(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	creds, dir := writeCreds(t, srv), t.TempDir()
	a, err := FromM2M(context.Background(), creds, &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: dir}})
	if err != nil {
		t.Fatal(err)
	}
	expireInMemory(a) // the cached token is now expired for every process
	outs := runWorkers(t, 8, EnvAuthServer+"="+srv.URL, EnvCacheDir+"="+dir, "WORKER_CREDS="+creds)
	assertAllSame(t, outs)
	if n := srv.Count(cartotest.EndpointTokenCC); n != 2 {
		t.Errorf("token requests %d, want 2 (the first login and one renewal for 8 processes)", n)
	}
}

func TestEightProcessesShareOneRotatingRefresh(t *testing.T) {
	t.Parallel()
	srv, a, opts, _ := oauthLoggedIn(t, cartotest.Config{RotateRefreshTokens: true})
	expireInMemory(a)
	outs := runWorkers(t, 8, EnvAuthServer+"="+srv.URL, EnvCacheDir+"="+opts.CacheDir)
	assertAllSame(t, outs)
	if n, reuse := srv.Count(cartotest.EndpointTokenRT), srv.ReuseDetected(); n != 1 || reuse != 0 {
		t.Errorf("refreshes %d (want 1), reuse detected %d (want 0)", n, reuse)
	}
}
