package gonbauth

import (
	"context"
	"fmt"

	"golang.org/x/oauth2"

	"github.com/carto-go/carto-auth/display"
)

// oneClick shows the copy-code card and, alongside, listens on the loopback port. The card
// makes the user's browser load the listener's probe image: if it arrives, the browser can
// reach this kernel and the card turns into a one-click login. Whichever way completes first
// wins; the other is stopped.
func (at *attempt) oneClick(ctx context.Context) (*oauth2.Token, Flow, error) {
	lb, err := at.listen()
	if err != nil {
		t, err := at.copyCode(ctx, at.busyWhy(err))
		return t, FlowCopyCode, err
	}
	defer lb.close()
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	redirect := at.l.set.ep.copyCode
	at.show(ctx, display.Login{URL: at.authURL(redirect, ""), Flow: display.FlowCopyCode, ProbeURL: lb.probeURL,
		Why: "This card turns into a one-click login if your browser can reach this kernel (local Jupyter, or Docker with the port published)."})
	at.status(display.StateWaiting, "Waiting for the code…", "")
	type pasted struct {
		t   *oauth2.Token
		err error
	}
	pastes := make(chan pasted, 1)
	go func() {
		t, err := at.readCodes(readCtx, redirect)
		pastes <- pasted{t, err}
	}()
	probed := lb.probed
	for {
		select {
		case <-probed:
			probed = nil
			at.show(ctx, display.Login{URL: at.authURL(lb.redirectURI, at.state), Flow: display.FlowLoopback,
				Why: fmt.Sprintf("One-click login: your browser reached this kernel on %s.", lb.host())})
			at.status(display.StateWaiting, "Waiting for you to log in in the browser… (pasting a code still works)", "")
		case p := <-pastes:
			return p.t, FlowCopyCode, p.err
		case cb := <-lb.result:
			stopReading()
			<-pastes // the reader stops at once; afterwards it cannot touch the status line
			at.boxOpen = true
			t, err := at.finishLoopback(ctx, lb, cb)
			return t, FlowLoopback, err
		case <-ctx.Done():
			return nil, FlowCopyCode, context.Cause(ctx)
		}
	}
}
