package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/carto-go/carto-auth/carto"
)

// oauthOptions are the interactive login's options for af. The prompter is always the
// terminal: cartoauth is a terminal program, even when a notebook cell runs it.
func oauthOptions(af authFlags) *carto.OAuthOptions {
	return &carto.OAuthOptions{APIBaseURL: af.apiBase, Organization: af.org, Profile: af.profile}
}

func openM2M(ctx context.Context, af authFlags) (*carto.Auth, error) {
	return carto.FromM2M(ctx, af.m2m, &carto.M2MOptions{APIBaseURL: af.apiBase})
}

// openCached returns the identity af selects without ever prompting, as Login's chain finds
// it: M2M credentials, a token in CARTO_API_TOKEN, the cached interactive login (refreshed as
// needed) or the CARTO CLI's, else an error wrapping ErrInteractionRequired.
func openCached(ctx context.Context, af authFlags) (*carto.Auth, error) {
	if af.useM2M() {
		return openM2M(ctx, af)
	}
	opts := oauthOptions(af)
	opts.DisableInteraction = true
	opts.HintWords = hintWords()
	a, err := carto.Login(ctx, opts)
	if errors.Is(err, carto.ErrLoginInProgress) {
		return nil, &cliError{code: exitInteraction, err: err,
			hint: "finish (or stop) that login, then run this again; use M2M credentials (--m2m FILE) for unattended runs"}
	}
	if errors.Is(err, carto.ErrInteractionRequired) {
		return nil, &cliError{code: exitInteraction, err: fmt.Errorf("%w: no usable cached login for this server, organization and API base URL", carto.ErrInteractionRequired),
			hint: "run 'cartoauth login' first (with the same --profile/--org/--api-base-url), or use M2M credentials (--m2m FILE) for unattended runs"}
	}
	return a, err
}
