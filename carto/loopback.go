package carto

import (
	"cmp"
	"context"
	"fmt"
	"os"

	"golang.org/x/oauth2"
)

// The loopback flow: the browser is sent back to a listener on this machine
// (http://localhost:10000/callback/, see listener.go) with the code.

// loopbackOrCopyCode runs the loopback flow, or the copy-code flow when the port is busy.
func (at *attempt) loopbackOrCopyCode(ctx context.Context, openBrowser bool) (*oauth2.Token, Flow, error) {
	lb, err := at.listen()
	if err != nil {
		t, err := at.copyCode(ctx, at.busyWhy(err))
		return t, FlowCopyCode, err
	}
	defer lb.close()
	url := at.authURL(lb.redirectURI, at.state)
	at.show(ctx, LoginMessage{URL: url, Flow: FlowLoopback, Why: at.why})
	at.status(StateWaiting, "Waiting for you to log in in the browser…", "")
	if openBrowser {
		lb.authURL.Store(&url)
		if err := at.l.openBrowser(lb.startURL); err != nil {
			at.status(StateWaiting, "Could not open a browser ("+err.Error()+"); open the link above.", "")
		}
	}
	select {
	case cb := <-lb.result:
		t, err := at.finishLoopback(ctx, lb, cb)
		return t, FlowLoopback, err
	case <-ctx.Done():
		return nil, FlowLoopback, context.Cause(ctx)
	}
}

func (at *attempt) listen() (*loopback, error) {
	host, port := at.l.opts.LoopbackHost, at.l.opts.LoopbackPort
	if port == 0 {
		port = DefaultLoopbackPort
	}
	return startLoopback(cmp.Or(host, os.Getenv(EnvLoopbackHost), "localhost"), port, at.state, func(msg string, args ...any) {
		at.l.set.log.Info(msg, args...)
	})
}

func (at *attempt) busyWhy(err error) string {
	at.l.set.log.Warn("loopback login unavailable; using copy-code", "error", err)
	return fmt.Sprintf("Copy-code login, because %v.", err)
}

func (at *attempt) finishLoopback(ctx context.Context, lb *loopback, cb callback) (*oauth2.Token, error) {
	if cb.err != nil {
		return nil, cb.err
	}
	at.status(StateChecking, "Checking the login…", "")
	t, err := at.exchange(ctx, cb.code, lb.redirectURI)
	cb.reply <- err // the browser's page says how it ended
	return t, err
}
