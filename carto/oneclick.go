package carto

import (
	"context"
	"fmt"
	"net"

	"golang.org/x/oauth2"
)

// oneClick shows the copy-code card and, alongside, listens on the loopback port. The card
// makes the user's browser load the listener's probe image (only from a notebook page on a
// loopback host, see LoginMessage.ProbeURL): if it arrives, the browser can reach this kernel
// and the card adds a one-click login, keeping the copy-code link and QR code. Whichever way
// completes first wins; the other is stopped. The card's last update closes the code box
// left open by a one-click login.
func (at *attempt) oneClick(ctx context.Context) (*oauth2.Token, Flow, error) {
	lb, err := at.listen()
	if err != nil {
		t, err := at.copyCode(ctx, at.busyWhy(err))
		return t, FlowCopyCode, err
	}
	defer lb.close()
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	redirect := at.l.set.ep.CopyCode
	card := LoginMessage{URL: at.authURL(redirect, ""), Flow: FlowCopyCode, ProbeURL: lb.probeURL,
		Why: fmt.Sprintf("Copy-code login. A one-click login is added here if your browser can reach this kernel: "+
			"local Jupyter, or Docker with port %s published.", loopbackPort(lb))}
	at.show(ctx, card)
	at.status(StateWaiting, "Waiting for the code…", "")
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
			card.ProbeURL, card.OneClickURL = "", at.authURL(lb.redirectURI, at.state)
			card.Why = fmt.Sprintf("One-click login: your browser reached this kernel on %s. Logging in with a code works too.", lb.host())
			at.show(ctx, card)
			at.status(StateWaiting, "Waiting for you to log in, with one click or a code…", "")
		case p := <-pastes:
			return p.t, FlowCopyCode, p.err
		case cb := <-lb.result:
			stopReading()
			<-pastes // the reader stops at once; afterwards it cannot touch the status line
			t, err := at.finishLoopback(ctx, lb, cb)
			return t, FlowLoopback, err
		case <-ctx.Done():
			return nil, FlowCopyCode, context.Cause(ctx)
		}
	}
}

// loopbackPort is the port of the listener, as text.
func loopbackPort(lb *loopback) string {
	_, port, err := net.SplitHostPort(lb.host())
	if err != nil {
		return lb.host()
	}
	return port
}
