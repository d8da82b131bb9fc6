package flow

import (
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"github.com/cli/browser"
)

// openerGrace is how long opening a browser may fail before the login stops waiting for it:
// some openers return only when the browser closes.
const openerGrace = 2 * time.Second

// openStartLink opens the person's browser on lb's start link, armed to redirect once to
// authURL. The opener is given the file:// URL of a private page that leads to the link (see
// openfile.go), never the link: another user could read it in the opener's arguments and load
// it first. If the page cannot be written or the opener fails, even after openerGrace, the link
// expires and the page is removed, and the person uses the link the prompter shows. The caller
// removes the page when the login ends.
func (a *Attempt) openStartLink(lb *loopback, authURL string) (*openFile, error) {
	f, err := writeOpenFile(a.RuntimeDir, lb.startURL)
	if err != nil {
		lb.expire()
		return nil, fmt.Errorf("writing the page that opens it: %w", err)
	}
	lb.authURL.Store(&authURL)
	failed := func(error) {
		lb.expire()
		f.remove()
	}
	if err := a.openBrowser(f.url(), failed); err != nil {
		failed(err)
		return f, err
	}
	return f, nil
}

// openBrowser opens url with the caller's opener, else $BROWSER, else the system's (xdg-open and
// friends, wslview under WSL, open on macOS, ShellExecute on Windows). An opener still running
// after openerGrace counts as a success; if it fails later, late is called with its error.
func (a *Attempt) openBrowser(url string, late func(error)) error {
	if a.OpenBrowser != nil {
		return a.OpenBrowser(url)
	}
	done := make(chan error, 1)
	go func() { done <- systemOpen(a.Browser, url) }()
	select {
	case err := <-done:
		return err
	case <-time.After(openerGrace):
		go func() {
			if err := <-done; err != nil {
				a.Log.Warn("the browser opener failed", "error", err)
				late(err)
			}
		}()
		return nil // still running: the browser is up
	}
}

// systemOpen opens url with the browser command ($BROWSER) when there is one, else the
// system's opener.
func systemOpen(browserCmd, url string) error {
	if b := strings.TrimSpace(browserCmd); b != "" {
		cmd := exec.Command(b, url)
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("$BROWSER (%s): %w", b, err)
		}
		return nil
	}
	browser.Stdout, browser.Stderr = io.Discard, io.Discard // stdout may carry a token (cartoauth token)
	return browser.OpenURL(url)
}
