package gonbauth

import (
	"fmt"
	"os/exec"
	"runtime"
)

// openBrowser opens url with the caller's opener or the system's.
func (l *oauthLogin) openBrowser(url string) error {
	if l.opts.OpenBrowser != nil {
		return l.opts.OpenBrowser(url)
	}
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	go cmd.Wait() // reap it; the opener's outcome is not ours to judge
	return nil
}
