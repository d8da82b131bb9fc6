package flow

import (
	"context"
	"errors"
	"fmt"

	"github.com/carto-go/carto-auth/internal/prompt"
	"github.com/carto-go/carto-auth/internal/wire"
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
func (a *Attempt) copyCode(ctx context.Context, why string) (*oauth2.Token, error) {
	redirect := a.CopyCodeURI
	a.show(ctx, prompt.Login{URL: a.authURL(redirect, ""), Flow: prompt.FlowCopyCode, Why: why})
	a.Status(ctx, prompt.StateWaiting, "Waiting for the code…", "")
	return a.readCodes(ctx, redirect)
}

// readCodes reads pastes until a code is accepted: empty pastes ask again up to
// maxEmptyAnswers times; rejected codes, codes of another login and malformed pastes ask again
// up to maxRejectedCodes times.
func (a *Attempt) readCodes(ctx context.Context, redirect string) (*oauth2.Token, error) {
	ask, rejected, empty := "Paste the code from the CARTO page", 0, 0
	for {
		raw, err := a.Prompter.ReadCode(ctx, ask)
		if err != nil {
			return nil, err
		}
		code, err := parsePaste(raw, a.state)
		switch {
		case errors.Is(err, errEmptyPaste):
			if empty++; empty == maxEmptyAnswers {
				return nil, fmt.Errorf("the login stopped: %w %d times (an empty box, or Escape in VS Code); run the cell again to log in", err, empty)
			}
			ask = "Nothing was pasted. Paste the code from the CARTO page"
			continue
		case errors.Is(err, ErrAccessDenied):
			return nil, err
		case err == nil:
			a.Status(ctx, prompt.StateChecking, "Checking the code…", "")
			t, xerr := a.exchange(ctx, code, redirect)
			if xerr == nil || !wire.IsInvalidGrant(xerr) {
				return t, xerr
			}
			err = fmt.Errorf("that code was rejected (it may have expired or been used already): %w", xerr)
		}
		if rejected++; rejected == maxRejectedCodes {
			return nil, fmt.Errorf("no accepted code after %d tries: %w", rejected, err)
		}
		a.Prompter.SetStatus(ctx, prompt.Status{State: prompt.StateFailed, Text: Capitalize(err.Error()) + ".",
			Hint:  fmt.Sprintf("Open the login link again, log in and paste the new code (try %d of %d).", rejected+1, maxRejectedCodes),
			Retry: true}) // the login goes on: the code box opens again
		ask = "Paste the new code"
	}
}
