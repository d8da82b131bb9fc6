package display_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/carto-go/carto-auth/display"
)

// A login from a notebook cell or a terminal: show the link, read the pasted code, report.
func Example() {
	ctx := context.Background()
	p := display.Default() // a card in a GoNB cell, plain lines on a terminal
	login := display.Login{
		Title: "Log in to CARTO",
		URL:   "https://auth.carto.com/authorize?client_id=abc&state=xyz",
		Flow:  display.FlowCopyCode,
		Why:   "running in Google Colab: your browser cannot reach this machine",
	}
	if err := p.Show(ctx, login); err != nil {
		fmt.Println(err)
		return
	}
	code, err := p.ReadCode(ctx, "Paste the code: ")
	if errors.Is(err, display.ErrNoInput) {
		_ = p.SetStatus(ctx, display.Status{State: display.StateFailed, Text: "Nobody can answer the prompt.",
			Hint: "Log in once interactively, or use machine-to-machine credentials."})
		return
	}
	_ = code // exchange it for a token, then:
	_ = p.SetStatus(ctx, display.Status{State: display.StateDone, Text: "Logged in to acme.app.carto.com"})
}

func ExampleRenderText() {
	fmt.Print(display.RenderText(display.Login{
		URL:  "https://auth.carto.com/authorize?client_id=abc",
		Flow: display.FlowLoopback,
	}, display.Status{State: display.StateChecking}))
	// Output:
	// Log in to CARTO
	// Open the login page and log in; this program continues by itself.
	// https://auth.carto.com/authorize?client_id=abc
	// ↻ Checking…
}

func ExampleStatusLine() {
	fmt.Println(display.StatusLine(display.Status{State: display.StateDone, Text: "Logged in as ana@acme.com"}))
	// Output: ✓ Logged in as ana@acme.com
}
