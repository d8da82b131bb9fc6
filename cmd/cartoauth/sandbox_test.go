package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// startSandbox runs "cartoauth sandbox" on a free loopback port and returns its base URL
// (read from the export line it prints) and the process.
func startSandbox(t *testing.T, args ...string) (string, *exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"sandbox", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = newCLIEnv(t, "").vars
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "export CARTO_AUTH_SERVER="); ok {
				found <- v
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case base := <-found:
		return base, cmd, &stderr
	case <-time.After(20 * time.Second):
		t.Fatalf("sandbox printed no export line in 20 s; stderr:\n%s", stderr.String())
	}
	return "", nil, nil
}

var reqField = regexp.MustCompile(`name="req" value="([^"]+)"`)

// pageBrowser logs in on a remote sandbox's login page over plain HTTP, as a person would:
// GET the authorize URL, submit the form with the test user, and read the code from the
// redirect to the copy-code page.
func pageBrowser(authURL string) (string, error) {
	c := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := reqField.FindSubmatch(page)
	if resp.StatusCode != http.StatusOK || m == nil {
		return "", fmt.Errorf("authorize answered %d without a login form", resp.StatusCode)
	}
	if !bytes.Contains(page, []byte(cartotest.TestUser)) || !bytes.Contains(page, []byte(cartotest.TestPassword)) {
		return "", errors.New("the login page does not show the test user and password")
	}
	u, _ := url.Parse(authURL)
	form := url.Values{"req": {string(m[1])}, "username": {cartotest.TestUser},
		"password": {cartotest.TestPassword}, "action": {"login"}}
	resp, err = c.PostForm(u.Scheme+"://"+u.Host+"/authorize/login", form)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return "", fmt.Errorf("login form answered %d without a redirect", resp.StatusCode)
	}
	if code := loc.Query().Get("code"); code != "" {
		return code, nil
	}
	return "", fmt.Errorf("redirect without a code: error=%q", loc.Query().Get("error"))
}

func TestSandbox(t *testing.T) {
	t.Parallel()
	creds := t.TempDir() + "/m2m.json"
	base, sb, sbErr := startSandbox(t, "--credentials", creds)
	if fi, err := os.Stat(creds); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("credentials file: %v, mode %v; want 0600", err, fi)
	}
	e := newCLIEnv(t, base)

	if r := e.loginCopyCode(t, pageBrowser); r.code != 0 {
		t.Fatalf("login against the sandbox: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if r := e.run(t, nil, "token"); r.code != 0 || len(strings.TrimSpace(r.stdout)) < 10 {
		t.Fatalf("token: exit %d, stderr %q", r.code, r.stderr)
	}
	r := e.run(t, nil, "dw-credentials")
	var dw struct{ ProjectID, Token string }
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &dw) != nil {
		t.Fatalf("dw-credentials: exit %d, stderr %q", r.code, r.stderr)
	}
	if got := bigQueryStatus(t, base, dw.ProjectID, dw.Token); got != http.StatusOK {
		t.Errorf("BigQuery stand-in with the DW token answered %d, want 200", got)
	}
	if got := bigQueryStatus(t, base, dw.ProjectID, "not-a-dw-token"); got != http.StatusUnauthorized {
		t.Errorf("BigQuery stand-in with a bad token answered %d, want 401", got)
	}
	if r := e.run(t, nil, "token", "--m2m", creds); r.code != 0 {
		t.Errorf("M2M token from the sandbox's credentials file: exit %d, stderr %q", r.code, r.stderr)
	}
	// The interactive login's SQL, through the sandbox's SQL API; a parameter picks the rows.
	r = e.run(t, nil, "sql", "--csv", "--param", "least=10000000", "SELECT name FROM cities WHERE population >= @least ORDER BY name")
	if want := "name\n" + strings.Join(namesOf(bigCities(10_000_000-1)), "\n") + "\n"; r.code != 0 || r.stdout != want {
		t.Errorf("sql against the sandbox: exit %d, stdout %q, want %q; stderr %q", r.code, r.stdout, want, r.stderr)
	}
	// A scoped token from the interactive login reads its query, and only that, at the
	// sandbox's SQL API, as curl sends it.
	const scoped = "SELECT name FROM cities ORDER BY name"
	r = e.run(t, nil, "api-token", "create", "--source", scoped, "--apis", "sql", "--expires", "1h")
	tok := strings.TrimSpace(r.stdout)
	if r.code != 0 || tok == "" {
		t.Fatalf("api-token create against the sandbox: exit %d, stderr %q", r.code, r.stderr)
	}
	if got := curlStatus(t, base, tok, scoped); got != "200" {
		t.Errorf("the scoped token on its query: %s, want 200", got)
	}
	if got := curlStatus(t, base, tok, "SELECT country FROM cities"); got != "403" {
		t.Errorf("the scoped token on another query: %s, want 403", got)
	}

	if err := sb.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- sb.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("sandbox after SIGINT: %v (want exit 0); stderr:\n%s", err, sbErr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox still running 10 s after SIGINT")
	}
	u, _ := url.Parse(base)
	l, err := net.Listen("tcp", u.Host)
	if err != nil {
		t.Errorf("port not freed after the sandbox stopped: %v", err)
	} else {
		l.Close()
	}
}

// bigQueryStatus runs a jobs.query on the sandbox's BigQuery stand-in and returns the status.
func bigQueryStatus(t *testing.T, base, project, token string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	body := strings.NewReader(`{"query": "SELECT * FROM cities", "useLegacySql": false}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		base+cartotest.BigQueryPathPrefix+"/projects/"+project+"/queries", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestBuildWithoutSandbox: -tags nosandbox builds a cartoauth that starts faster and says, when
// asked for the sandbox, that it has none and how to get one.
func TestBuildWithoutSandbox(t *testing.T) {
	t.Parallel()
	small := filepath.Join(t.TempDir(), "cartoauth")
	if out, err := exec.Command("go", "build", "-tags", "nosandbox", "-o", small, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -tags nosandbox: %v\n%s", err, out)
	}
	out, err := exec.Command(small, "sandbox").CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailure || !strings.Contains(string(out), "built without the sandbox") ||
		!strings.Contains(string(out), "go install github.com/carto-go/carto-auth/cmd/cartoauth@latest") {
		t.Errorf("cartoauth -tags nosandbox sandbox: %v\n%s", err, out)
	}
}
