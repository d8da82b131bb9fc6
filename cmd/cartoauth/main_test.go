package main

// Black-box tests: TestMain builds the cartoauth binary once, and every test runs it as a
// process against a cartotest server, with its own token cache.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// bin is the cartoauth binary built by TestMain.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cartoauth-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "cartoauth")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building cartoauth:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cliEnv is the environment of one test's cartoauth runs: the parent's, minus everything
// that could change the login (CARTO_*, CI, displays, SSH), plus a fresh HOME and cache.
type cliEnv struct {
	vars  []string
	cache string
	wrap  []string // a command cartoauth runs under, if any
}

func newCLIEnv(t *testing.T, server string) *cliEnv {
	t.Helper()
	home := t.TempDir()
	e := &cliEnv{cache: filepath.Join(home, "cache")}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "CARTO_"), strings.HasPrefix(name, "SSH_"),
			name == "CI", name == "DISPLAY", name == "WAYLAND_DISPLAY", name == "HOME":
			continue
		}
		e.vars = append(e.vars, kv)
	}
	e.vars = append(e.vars, "HOME="+home, "CARTO_AUTH_CACHE_DIR="+e.cache)
	if server != "" {
		e.vars = append(e.vars, "CARTO_AUTH_SERVER="+server)
	}
	return e
}

// with returns a copy of e with extra NAME=value variables.
func (e *cliEnv) with(kv ...string) *cliEnv {
	return &cliEnv{vars: append(append([]string(nil), e.vars...), kv...), cache: e.cache, wrap: e.wrap}
}

// under returns a copy of e that runs cartoauth under the command wrap (strace, for one).
func (e *cliEnv) under(wrap ...string) *cliEnv {
	return &cliEnv{vars: e.vars, cache: e.cache, wrap: wrap}
}

// command is cartoauth args, in e's environment, under e's wrapper if any.
func (e *cliEnv) command(ctx context.Context, args ...string) *exec.Cmd {
	argv := append(append(append([]string(nil), e.wrap...), bin), args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = e.vars
	return cmd
}

// result is what one run of cartoauth produced.
type result struct {
	stdout, stderr string
	code           int
}

// run runs cartoauth with args and stdin (nil: no input at all), bounded to 30 s.
func (e *cliEnv) run(t *testing.T, stdin io.Reader, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := e.command(ctx, args...)
	cmd.Stdin = stdin
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatalf("cartoauth %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("cartoauth %s: still running after 30 s; stderr:\n%s", strings.Join(args, " "), r.stderr)
	}
	return r
}

// loginCopyCode runs "cartoauth login --flow copy-code args...", waits for the login link
// on stderr (the line starting with "http"), gets a code for it from browse, types it on the
// CLI's stdin, and returns the run's result.
func (e *cliEnv) loginCopyCode(t *testing.T, browse func(authURL string) (string, error), args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := e.command(ctx, append([]string{"login", "--flow", "copy-code"}, args...)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var errText strings.Builder
	links := make(chan string, 4)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			mu.Lock()
			errText.WriteString(sc.Text() + "\n")
			mu.Unlock()
			if strings.HasPrefix(sc.Text(), "http") {
				links <- sc.Text()
			}
		}
	}()
	select {
	case link := <-links:
		code, err := browse(link)
		if err != nil {
			t.Errorf("logging in on %s: %v", link, err)
		}
		io.WriteString(stdin, code+"\n")
	case <-ctx.Done():
		t.Errorf("no login link on stderr in 30 s")
	}
	stdin.Close()
	<-scanned
	err = cmd.Wait()
	mu.Lock()
	r := result{stdout: out.String(), stderr: errText.String()}
	mu.Unlock()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		r.code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("cartoauth login: %v", err)
	}
	return r
}

// writeFile writes a 0600 file in a temporary folder and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
