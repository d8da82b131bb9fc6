package flow

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/cli/browser"
)

// openerGrace is how long opening a browser may fail before the login stops waiting for it:
// some openers return only when the browser closes.
const openerGrace = 2 * time.Second

// openBrowser opens url with the caller's opener, else $BROWSER, else the system's (xdg-open and
// friends, wslview under WSL, open on macOS, ShellExecute on Windows). Only the listener's start
// page is ever opened, so no secret reaches the opener's command line.
func (a *Attempt) openBrowser(url string) error {
	if a.OpenBrowser != nil {
		return a.OpenBrowser(url)
	}
	done := make(chan error, 1)
	go func() { done <- systemOpen(url) }()
	select {
	case err := <-done:
		return err
	case <-time.After(openerGrace):
		return nil // still running: the browser is up
	}
}

func systemOpen(url string) error {
	if b := strings.TrimSpace(os.Getenv("BROWSER")); b != "" {
		cmd := exec.Command(b, url)
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("$BROWSER (%s): %w", b, err)
		}
		return nil
	}
	browser.Stdout, browser.Stderr = io.Discard, io.Discard // stdout may carry a token (cartoauth token)
	return browser.OpenURL(url)
}
