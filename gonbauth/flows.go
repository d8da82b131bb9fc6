package gonbauth

import (
	"context"
	"errors"
	"fmt"
	"os"

	"golang.org/x/oauth2"

	"github.com/carto-go/carto-auth/display"
)

const (
	maxRejectedCodes = 3  // codes the server may reject before the login fails
	maxCodeReads     = 10 // pastes of any kind, empty ones included
)

// copyCode shows the copy-code login and reads pasted codes until one is accepted.
func (at *attempt) copyCode(ctx context.Context, why string) (*oauth2.Token, error) {
	redirect := at.l.set.ep.copyCode
	at.show(ctx, display.Login{URL: at.authURL(redirect), Flow: display.FlowCopyCode, Why: firstNonEmpty(why, at.why)})
	at.status(display.StateWaiting, "Waiting for the code…", "")
	return at.readCodes(ctx, redirect)
}

func (at *attempt) show(ctx context.Context, l display.Login) {
	l.Title = loginTitle
	if err := at.p.Show(ctx, l); err != nil {
		at.l.set.log.Warn("showing the login failed", "error", err)
	}
}

// readCodes reads pastes until a code is accepted: empty pastes ask again; rejected codes,
// codes of another login and malformed pastes ask again up to maxRejectedCodes times.
func (at *attempt) readCodes(ctx context.Context, redirect string) (*oauth2.Token, error) {
	prompt, rejected := "Paste the code from the CARTO page", 0
	var last error
	for range maxCodeReads {
		raw, err := at.p.ReadCode(ctx, prompt)
		if err != nil {
			return nil, err
		}
		code, err := parsePaste(raw, at.state)
		switch {
		case errors.Is(err, errEmptyPaste):
			prompt = "Nothing was pasted. Paste the code from the CARTO page"
			continue
		case errors.Is(err, ErrAccessDenied):
			return nil, err
		case err == nil:
			at.status(display.StateChecking, "Checking the code…", "")
			t, xerr := at.exchange(ctx, code, redirect)
			if xerr == nil || !IsInvalidGrant(xerr) {
				return t, xerr
			}
			err = fmt.Errorf("that code was rejected (it may have expired or been used already): %w", xerr)
		}
		last, rejected = err, rejected+1
		if rejected == maxRejectedCodes {
			break
		}
		at.status(display.StateFailed, capitalize(err.Error())+".",
			fmt.Sprintf("Open the login link again, log in and paste the new code (try %d of %d).", rejected+1, maxRejectedCodes))
		prompt = "Paste the new code"
	}
	if last == nil {
		last = errEmptyPaste
	}
	return nil, fmt.Errorf("no accepted code after %d tries: %w", rejected, last)
}

// loopbackOrCopyCode runs the loopback flow, or the copy-code flow when the port is busy.
func (at *attempt) loopbackOrCopyCode(ctx context.Context, openBrowser bool) (*oauth2.Token, Flow, error) {
	lb, err := at.listen()
	if err != nil {
		t, err := at.copyCode(ctx, at.busyWhy(err))
		return t, FlowCopyCode, err
	}
	defer lb.close()
	url := at.authURL(lb.redirectURI)
	at.show(ctx, display.Login{URL: url, Flow: display.FlowLoopback, Why: at.why})
	at.status(display.StateWaiting, "Waiting for you to log in in the browser…", "")
	if openBrowser {
		if err := at.l.openBrowser(url); err != nil {
			at.status(display.StateWaiting, "Could not open a browser ("+err.Error()+"); open the link above.", "")
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
	at.show(ctx, display.Login{URL: at.authURL(redirect), Flow: display.FlowCopyCode, ProbeURL: lb.probeURL,
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
			at.show(ctx, display.Login{URL: at.authURL(lb.redirectURI), Flow: display.FlowLoopback,
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

func (at *attempt) listen() (*loopback, error) {
	host, port := at.l.opts.LoopbackHost, at.l.opts.LoopbackPort
	if port == 0 {
		port = DefaultLoopbackPort
	}
	return startLoopback(firstNonEmpty(host, os.Getenv(EnvLoopbackHost), "localhost"), port, at.state, func(msg string, args ...any) {
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
	at.status(display.StateChecking, "Checking the login…", "")
	return at.exchange(ctx, cb.code, lb.redirectURI)
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
