package main

import (
	"context"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// finishCommand is what completes a login --start began.
const finishCommand = "cartoauth login --finish CODE"

// loginTwoStep is `login --start` (show a copy-code login, keep it pending, exit) or
// `login --finish CODE` (complete it), the two-cell login of a notebook on the command line.
func loginTwoStep(ctx context.Context, out *loginOutput, af authFlags, start bool, code string) error {
	if err := carto.CheckCacheDir(""); err != nil {
		return failure(err, "the pending login is kept in the token cache folder")
	}
	opts := oauthOptions(af)
	opts.Prompter = finishWords{out.prompter()}
	if !start {
		a, err := carto.FinishLogin(ctx, code, opts)
		if err != nil {
			return err
		}
		return out.loggedIn(a)
	}
	expires := time.Now().Add(carto.PendingLoginLifetime).Truncate(time.Second)
	if err := carto.StartLogin(ctx, opts); err != nil {
		return err
	}
	if out.events != nil {
		return out.events.emit(loginEvent{Event: "pending", Finish: finishCommand, Expires: &expires})
	}
	return nil
}

// finishWords is a Prompter that tells of --finish where the engine tells of FinishLogin.
type finishWords struct{ carto.Prompter }

func (p finishWords) Show(ctx context.Context, l carto.LoginMessage) error {
	if l.Instructions != "" {
		l.Instructions = "Open the login page, log in, copy the code it shows, and run: " + finishCommand
	}
	return p.Prompter.Show(ctx, l)
}

func (p finishWords) SetStatus(ctx context.Context, s carto.Status) error {
	if strings.Contains(s.Text, "FinishLogin") {
		s.Text = "Waiting for: " + finishCommand
	}
	return p.Prompter.SetStatus(ctx, s)
}
