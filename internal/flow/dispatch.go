package flow

import (
	"context"

	"golang.org/x/oauth2"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// Plan is how an attempt runs: the flow chosen and why, whether a copy-code login also offers
// one click (a prompter shown in the person's own browser), and whether the loopback flow
// opens the browser.
type Plan struct {
	Choice
	OneClick bool
	Browser  bool
}

// Run runs the attempt as planned and returns the token answer and the flow that completed.
func (a *Attempt) Run(ctx context.Context, p Plan) (*oauth2.Token, prompt.Flow, error) {
	a.Log.Info("starting an interactive login", "flow", p.Flow, "one_click_probe", p.OneClick, "why", p.Why)
	switch {
	case p.OneClick:
		return a.oneClick(ctx)
	case p.Flow == prompt.FlowLoopback:
		return a.loopbackOrCopyCode(ctx, p.Why, p.Browser)
	default:
		t, err := a.copyCode(ctx, p.Why)
		return t, prompt.FlowCopyCode, err
	}
}
