package flow

import (
	"context"
	"fmt"

	"github.com/carto-go/carto-auth/internal/prompt"
	"golang.org/x/oauth2"
)

// oneClick shows the copy-code card and, alongside, listens on the loopback port. The card
// makes the user's browser load the listener's probe image (only from a notebook page on a
// loopback host, see LoginMessage.ProbeURL): if it arrives, the browser can reach this kernel
// and the card adds a one-click login, keeping the copy-code link and QR code. Whichever way
// completes first wins; the other is stopped. The card's last update closes the code box
// left open by a one-click login.
func (a *Attempt) oneClick(ctx context.Context) (*oauth2.Token, prompt.Flow, error) {
	lb, err := a.listen()
	if err != nil {
		t, err := a.copyCode(ctx, a.busyWhy(err))
		return t, prompt.FlowCopyCode, err
	}
	defer lb.close()
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	redirect := a.CopyCodeURI
	card := prompt.Login{URL: a.authURL(redirect, ""), Flow: prompt.FlowCopyCode, ProbeURL: lb.probeURL,
		Why: fmt.Sprintf("Copy-code login. A one-click login is added here if your browser can reach this kernel: "+
			"local Jupyter, or Docker with port %d published.", lb.port)}
	a.show(ctx, card)
	a.Status(ctx, prompt.StateWaiting, "Waiting for the code…", "")
	type pasted struct {
		t   *oauth2.Token
		err error
	}
	pastes := make(chan pasted, 1)
	go func() {
		t, err := a.readCodes(readCtx, redirect)
		pastes <- pasted{t, err}
	}()
	probed := lb.probed
	for {
		select {
		case <-probed:
			probed = nil
			card.ProbeURL, card.OneClickURL = "", a.authURL(lb.redirectURI, a.state)
			card.Why = fmt.Sprintf("One-click login: your browser reached this kernel on %s. Logging in with a code works too.", lb.host())
			a.show(ctx, card)
			a.Status(ctx, prompt.StateWaiting, "Waiting for you to log in, with one click or a code…", "")
		case p := <-pastes:
			return p.t, prompt.FlowCopyCode, p.err
		case cb := <-lb.result:
			stopReading()
			<-pastes // the reader stops at once; afterwards it cannot touch the status line
			t, err := a.finishLoopback(ctx, lb, cb)
			return t, prompt.FlowLoopback, err
		case <-ctx.Done():
			return nil, prompt.FlowCopyCode, context.Cause(ctx)
		}
	}
}
