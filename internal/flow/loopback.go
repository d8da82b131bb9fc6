package flow

import (
	"context"
	"fmt"

	"github.com/carto-go/carto-auth/internal/prompt"
	"golang.org/x/oauth2"
)

// The loopback flow: the browser is sent back to a listener on this machine
// (http://localhost:10000/callback/, see listener.go) with the code.

// loopbackOrCopyCode runs the loopback flow, or the copy-code flow when the port is busy.
func (a *Attempt) loopbackOrCopyCode(ctx context.Context, why string, openBrowser bool) (*oauth2.Token, prompt.Flow, error) {
	lb, err := a.listen()
	if err != nil {
		t, err := a.copyCode(ctx, a.busyWhy(err))
		return t, prompt.FlowCopyCode, err
	}
	defer lb.close()
	url := a.authURL(lb.redirectURI, a.state)
	a.show(ctx, prompt.Login{URL: url, Flow: prompt.FlowLoopback, Why: why})
	a.Status(ctx, prompt.StateWaiting, "Waiting for you to log in in the browser…", "")
	if openBrowser {
		f, err := a.openStartLink(lb, url)
		defer f.remove() // when the login ends; lb.close then expires the link
		if err != nil {
			a.Status(ctx, prompt.StateWaiting, "Could not open a browser ("+err.Error()+"); open the link above.", "")
		}
	}
	select {
	case cb := <-lb.result:
		t, err := a.finishLoopback(ctx, lb, cb)
		return t, prompt.FlowLoopback, err
	case <-ctx.Done():
		return nil, prompt.FlowLoopback, context.Cause(ctx)
	}
}

func (a *Attempt) listen() (*loopback, error) {
	return startLoopback(a.LoopbackHost, a.LoopbackPort, a.state, a.Log.Info)
}

func (a *Attempt) busyWhy(err error) string {
	a.Log.Warn("loopback login unavailable; using copy-code", "error", err)
	return fmt.Sprintf("Copy-code login, because %v.", err)
}

func (a *Attempt) finishLoopback(ctx context.Context, lb *loopback, cb callback) (*oauth2.Token, error) {
	if cb.err != nil {
		return nil, cb.err
	}
	a.Status(ctx, prompt.StateChecking, "Checking the login…", "")
	t, err := a.exchange(ctx, cb.code, lb.redirectURI)
	cb.reply <- err // the browser's page says how it ended
	return t, err
}
