package browser

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
	"github.com/go-rod/rod/lib/launcher/flags"
)

// Browser is a headless Chromium driven by go-rod.
type Browser struct {
	// Rod is the underlying go-rod browser, for anything the helpers do not cover.
	Rod     *rod.Browser
	l       *launcher.Launcher
	dataDir string
	parent  *Browser // set on an Incognito context
}

// Launch starts the Chromium at bin (never a downloaded one) headless, with its own throw-away
// profile, and connects to it. switches are extra command-line switches, "name" or "name=value"
// (e.g. "host-resolver-rules=MAP notebook.test 127.0.0.1").
func Launch(ctx context.Context, bin string, switches ...string) (*Browser, error) {
	if bin == "" {
		return nil, fmt.Errorf("browser.Launch: no Chromium binary given")
	}
	dir, err := os.MkdirTemp("", "e2e-chromium-")
	if err != nil {
		return nil, err
	}
	// Leakless (a helper embedded in go-rod, nothing downloaded) kills the browser if this
	// process dies before Close.
	l := launcher.New().Context(ctx).Bin(bin).NoSandbox(true).Headless(true).Leakless(true).
		UserDataDir(dir).
		Set("disable-background-networking").Set("disable-component-update").Set("disable-sync").
		Set("no-first-run").Set("disable-gpu").Set("window-size", "1280,1000")
	for _, f := range switches {
		if name, value, ok := strings.Cut(f, "="); ok {
			l = l.Set(flags.Flag(name), value)
		} else {
			l = l.Set(flags.Flag(name))
		}
	}
	u, err := l.Launch()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("launching %s: %w", bin, err)
	}
	b := &Browser{l: l, dataDir: dir, Rod: rod.New().ControlURL(u)}
	if err := b.Rod.Connect(); err != nil {
		b.Close()
		return nil, fmt.Errorf("connecting to chromium: %w", err)
	}
	return b, nil
}

// PID returns the browser's process id.
func (b *Browser) PID() int {
	if b.parent != nil {
		return b.parent.PID()
	}
	return b.l.PID()
}

// Close closes the browser, stops it by PID (go-rod's Kill, ~1 s) and removes the profile. On
// an Incognito context it closes only that context.
func (b *Browser) Close() {
	if b.parent != nil {
		_ = b.Rod.Close()
		return
	}
	done := make(chan struct{})
	go func() { _ = b.Rod.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	b.l.Kill() // by PID: the browser's process group and the browser
	b.l.Cleanup()
	os.RemoveAll(b.dataDir)
}
