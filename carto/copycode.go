package carto

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"golang.org/x/oauth2"
)

// The copy-code flow: the login link (and QR code) leads to CARTO's code page; the user pastes
// the code it shows.

const (
	maxRejectedCodes = 3 // codes the server may reject before the login fails
	// maxEmptyAnswers: empty answers (VS Code answers Escape with one) before the login stops,
	// so the prompt asks again at most twice.
	maxEmptyAnswers = 3
)

// copyCode shows the copy-code login and reads pasted codes until one is accepted.
func (at *attempt) copyCode(ctx context.Context, why string) (*oauth2.Token, error) {
	redirect := at.l.set.ep.CopyCode
	at.show(ctx, LoginMessage{URL: at.authURL(redirect, ""), Flow: FlowCopyCode, Why: cmp.Or(why, at.why)})
	at.status(StateWaiting, "Waiting for the code…", "")
	return at.readCodes(ctx, redirect)
}

func (at *attempt) show(ctx context.Context, l LoginMessage) {
	l.Title = loginTitle
	if err := at.p.Show(ctx, l); err != nil {
		at.l.set.log.Warn("showing the login failed", "error", err)
	}
}

// readCodes reads pastes until a code is accepted: empty pastes ask again up to
// maxEmptyAnswers times; rejected codes, codes of another login and malformed pastes ask again
// up to maxRejectedCodes times.
func (at *attempt) readCodes(ctx context.Context, redirect string) (*oauth2.Token, error) {
	prompt, rejected, empty := "Paste the code from the CARTO page", 0, 0
	for {
		raw, err := at.p.ReadCode(ctx, prompt)
		if err != nil {
			return nil, err
		}
		code, err := parsePaste(raw, at.state)
		switch {
		case errors.Is(err, errEmptyPaste):
			if empty++; empty == maxEmptyAnswers {
				return nil, fmt.Errorf("the login stopped: %w %d times (an empty box, or Escape in VS Code); run the cell again to log in", err, empty)
			}
			prompt = "Nothing was pasted. Paste the code from the CARTO page"
			continue
		case errors.Is(err, ErrAccessDenied):
			return nil, err
		case err == nil:
			at.status(StateChecking, "Checking the code…", "")
			t, xerr := at.exchange(ctx, code, redirect)
			if xerr == nil || !IsInvalidGrant(xerr) {
				return t, xerr
			}
			err = fmt.Errorf("that code was rejected (it may have expired or been used already): %w", xerr)
		}
		if rejected++; rejected == maxRejectedCodes {
			return nil, fmt.Errorf("no accepted code after %d tries: %w", rejected, err)
		}
		at.p.SetStatus(context.Background(), Status{State: StateFailed, Text: capitalize(err.Error()) + ".",
			Hint:  fmt.Sprintf("Open the login link again, log in and paste the new code (try %d of %d).", rejected+1, maxRejectedCodes),
			Retry: true}) // the login goes on: the code box opens again
		prompt = "Paste the new code"
	}
}
