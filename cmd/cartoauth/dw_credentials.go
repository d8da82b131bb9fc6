package main

import (
	"context"
	"encoding/json"
)

// runDWCredentials is "cartoauth dw-credentials".
func runDWCredentials(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("dw-credentials", "cartoauth dw-credentials [--profile NAME] [--m2m FILE] [--org ORG] [--api-base-url URL]", `
Prints the CARTO Data Warehouse credentials as JSON on stdout:

  {"projectId": "carto-dw-ac-...", "token": "<Google access token>"}

The token is a secret, printed by design (like 'gcloud auth print-access-token'); it is
short-lived (about an hour). Like 'token', it never prompts (exit 3 when a login is needed).`)
	var af authFlags
	af.register(fs, true)
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := af.check("dw-credentials"); err != nil {
		return err
	}
	a, err := openCached(ctx, af)
	if err != nil {
		return err
	}
	project, tok, err := a.CartoDWCredentials(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(e.stdout).Encode(struct {
		ProjectID string `json:"projectId"`
		Token     string `json:"token"`
	}{project, tok})
}
