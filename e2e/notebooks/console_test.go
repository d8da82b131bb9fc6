package notebooks_test

// jupyter console (apt jupyter-console), a terminal frontend: it prints only the text/plain
// of outputs and ignores display updates. Driven in a private tmux server as a person at a
// terminal would: paste the cell, read the link, type the code at the password prompt.

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// tmuxSession is a tmux server of its own (-L socket) running one session.
type tmuxSession struct {
	t      *testing.T
	bin    string
	socket string
}

// startTmux starts command in a new tmux server (120x40 would wrap the URL: 400 columns) with
// env as the whole environment, and stops the server and every process below it on cleanup.
func startTmux(t *testing.T, env []string, command ...string) *tmuxSession {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	s := &tmuxSession{t: t, bin: testenv.Command(t, "tmux", "apt tmux"), socket: "carto-e2e-" + hex.EncodeToString(b)}
	cmd := exec.Command(s.bin, append([]string{"-u", "-L", s.socket, "-f", os.DevNull, "new-session", "-d", "-s", "main",
		"-x", "400", "-y", "60"}, command...)...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(s.run("display-message", "-p", "-t", "main", "#{pane_pid}")))
	if err != nil {
		t.Fatalf("tmux pane pid: %v", err)
	}
	t.Cleanup(func() {
		procs := descendants(pid)
		_ = exec.Command(s.bin, "-L", s.socket, "kill-server").Run()
		for _, p := range procs {
			p.kill() // the kernel the console started, if the console left it
		}
	})
	return s
}

// run runs a tmux command on the session's server and returns its output.
func (s *tmuxSession) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command(s.bin, append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// typeSecret types text (a code) and presses Enter; an error does not show the text.
func (s *tmuxSession) typeSecret(text string) {
	s.t.Helper()
	if err := exec.Command(s.bin, "-L", s.socket, "send-keys", "-t", "main", "-l", "--", text).Run(); err != nil {
		s.t.Fatalf("tmux send-keys (the code): %v", err)
	}
	s.run("send-keys", "-t", "main", "Enter")
}

// screen returns the whole pane with its history, wrapped lines joined.
func (s *tmuxSession) screen() string {
	s.t.Helper()
	return s.run("capture-pane", "-p", "-J", "-S", "-", "-t", "main")
}

// waitFor waits until re matches the screen, returning the match; it fails the test after d
// showing the screen.
func (s *tmuxSession) waitFor(what string, re *regexp.Regexp, d time.Duration) []string {
	s.t.Helper()
	deadline := time.Now().Add(d)
	for {
		scr := s.screen()
		if m := re.FindStringSubmatch(scr); m != nil {
			return m
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("waited %v for %s in jupyter console; the screen:\n%s", d, what, scr)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// paste pastes text as a bracketed paste, then presses Enter three times: with
// use_kernel_is_complete off (see TestConsoleLogin) the console runs the cell when its text
// ends in an empty line, which takes two Enters to add (it splits lines with splitlines). A
// fourth would go to the cell's code prompt as an empty answer.
func (s *tmuxSession) paste(text string) {
	s.t.Helper()
	f := filepath.Join(s.t.TempDir(), "paste.txt")
	mustOK(s.t, os.WriteFile(f, []byte(text), 0o600))
	s.run("load-buffer", "-b", "cell", f)
	s.run("paste-buffer", "-p", "-d", "-b", "cell", "-t", "main")
	for range 3 {
		time.Sleep(500 * time.Millisecond)
		s.run("send-keys", "-t", "main", "Enter")
	}
}

// TestConsoleLogin runs quickstart's login cell in jupyter console: the card's text shows the
// title, what to do and the link on a line of its own; the code typed at the password prompt
// is not echoed; the result, which only a display update would show, appears as new output.
func TestConsoleLogin(t *testing.T) {
	console := testenv.Command(t, "jupyter-console", "apt jupyter-console")
	waitPortFree(t, loopbackPort, 10*time.Second)
	srv := standin(t, cartotest.Config{})
	cache := t.TempDir()
	data := testenv.KernelSpec(t)
	env := append(withoutCI(os.Environ()), "JUPYTER_DATA_DIR="+data, "JUPYTER_CONFIG_DIR="+t.TempDir(),
		"JUPYTER_RUNTIME_DIR="+t.TempDir(), "PYDEVD_DISABLE_FILE_VALIDATION=1", "LANG=C.UTF-8", "TERM=xterm-256color")
	env = append(env, withoutCI(cellEnv(srv, cache))...)
	// GoNB does not answer is_complete requests, and the console's wait for that answer,
	// inside its key handler, breaks its prompt ("generator already executing"): let the
	// console decide by itself (an empty line ends a cell).
	s := startTmux(t, env, console, "--kernel", "gonb", "--ZMQTerminalInteractiveShell.use_kernel_is_complete=False")
	s.waitFor("the console prompt", regexp.MustCompile(`(?m)^In \[1\]: ?$`), 90*time.Second)

	start := time.Now()
	s.paste(codeCells(t, "quickstart.ipynb")[0])
	link := regexp.MustCompile(`(?m)^(` + regexp.QuoteMeta(srv.AuthorizeURL()) + `\?\S+)$`)
	authURL := s.waitFor("the login link on a line of its own", link, 4*time.Minute)[1]
	s.waitFor("the password prompt", regexp.MustCompile(`Paste the code from the CARTO page`), 30*time.Second)
	t.Logf("login text and prompt in jupyter console after %v", time.Since(start).Round(time.Millisecond))
	checkAuthURL(t, srv, authURL, srv.CodePageURL())

	code, err := loginCode(srv, authURL)
	mustOK(t, err)
	s.typeSecret(code)
	s.waitFor("the result line", regexp.MustCompile(`(?m)^✓ Logged in to .* \(pasted code\)`), 60*time.Second)
	s.waitFor("the cell's own output", regexp.MustCompile(`(?m)^Logged in: `), 30*time.Second)
	scr := s.screen()
	art := testenv.Artifacts(t)
	mustOK(t, os.WriteFile(filepath.Join(art, "console.txt"), []byte(scr), 0o644))
	for _, want := range []string{
		"Log in to CARTO\n",
		"Open the login page, log in, copy the code it shows and paste it into the code box this cell opens",
		"○ Waiting for you to log in…", // the first display; the console ignores the updates
	} {
		if !strings.Contains(scr, want) {
			t.Errorf("the console lacks %q:\n%s", want, scr)
		}
	}
	if n := strings.Count(scr, "✓ Logged in to"); n != 1 {
		t.Errorf("the result is shown %d times, want once:\n%s", n, scr)
	}
	for label, secret := range secrets(t, srv, cache) {
		if strings.Contains(scr, secret) {
			t.Errorf("the %s appears in the console", label)
		}
	}
	if e := cachedTokens(t, cache); len(e) != 1 || e[0].Flow != "copy-code" {
		t.Errorf("cache: %d entries, want one copy-code login", len(e))
	}
}
