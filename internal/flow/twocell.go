package flow

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// The two-cell login, for frontends without input boxes: Start shows the copy-code login and
// returns at once; the engine keeps the attempt's verifier until Finish, in a later process,
// exchanges the code the person pasted into a call.

// Start shows the copy-code login of a two-cell login, whose code is to be passed to
// FinishLogin before until.
func (a *Attempt) Start(ctx context.Context, until time.Time) {
	a.show(ctx, prompt.Login{URL: a.authURL(a.CopyCodeURI, ""), Flow: prompt.FlowCopyCode,
		Instructions: "Open the login page, log in, copy the code it shows, and pass it to gonbauth.FinishLogin in the next cell.",
		Why:          fmt.Sprintf("Two-cell login: the link works until %s.", until.Local().Format("15:04"))})
	a.Status(ctx, prompt.StateWaiting, "Waiting for FinishLogin with the code…", "")
}

// Resume is the attempt a two-cell login began with verifier, to Finish it.
func Resume(a Attempt, verifier string) *Attempt {
	a.verifier = verifier
	return &a
}

// Finish exchanges the code (or the whole redirect URL) the person pasted, with redirectURI,
// the one its authorization used.
func (a *Attempt) Finish(ctx context.Context, pasted, redirectURI string) (*oauth2.Token, error) {
	code, err := parsePaste(pasted, "") // the copy-code request sends no state
	if err != nil {
		return nil, err
	}
	return a.exchange(ctx, code, redirectURI)
}
