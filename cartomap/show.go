package cartomap

import (
	"context"
	"fmt"

	"github.com/carto-go/carto-auth/carto"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// HTML returns the map of src as an HTML fragment, for a notebook cell, a file or a report.
// A table or query source gets its token from auth (see Show); a local source needs no
// login (auth may be nil).
func HTML(ctx context.Context, auth *carto.Auth, src Source, opts *Options) (string, error) {
	h, _, err := build(ctx, auth, src, opts)
	return h, err
}

// Show draws the map of src in the current notebook cell (see HTML), with a line of plain
// text for frontends that show no HTML. Outside a notebook it does nothing but check its
// arguments and get the token.
//
// A table or query source is read through CARTO's Maps API with an API access token that
// auth mints for exactly that source and the Maps API (carto.Auth.CreateAPIToken; an
// earlier one with more than half its life left is reused), valid for Options.TokenLifetime.
// The map says so, and until when; once CARTO refuses the token, the map says to re-run the
// cell.
func Show(ctx context.Context, auth *carto.Auth, src Source, opts *Options) error {
	h, text, err := build(ctx, auth, src, opts)
	if err != nil {
		return err
	}
	if gonbui.IsNotebook {
		gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
			protocol.MIMETextHTML: h, protocol.MIMETextPlain: text,
		}})
		gonbui.Sync()
	}
	return nil
}

// build checks the arguments, gets the token and renders the page.
func build(ctx context.Context, auth *carto.Auth, src Source, opts *Options) (string, string, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if err := src.check(); err != nil {
		return "", "", err
	}
	if err := o.check(); err != nil {
		return "", "", err
	}
	var tok mapToken
	var apiBase string
	if src.kind != kindLocal {
		if auth == nil {
			return "", "", fmt.Errorf("cartomap: a map of a %s needs a login (auth is nil)", src.describe())
		}
		apiBase = auth.APIBaseURL()
		if apiBase == "" {
			return "", "", fmt.Errorf("cartomap: %w", carto.ErrNoAPIBaseURL)
		}
		var err error
		if tok, err = token(ctx, auth, src, o); err != nil {
			return "", "", err
		}
	}
	return page(src, o, tok, apiBase)
}

// token is the token the map reads its source with: a scoped one, unless UseLoginToken.
func token(ctx context.Context, auth *carto.Auth, src Source, o Options) (mapToken, error) {
	if o.UseLoginToken {
		t, err := auth.AccessToken(ctx)
		if err != nil {
			return mapToken{}, fmt.Errorf("cartomap: the login's token: %w", err)
		}
		return mapToken{token: t, login: true}, nil
	}
	life := o.TokenLifetime
	if life == 0 {
		life = DefaultTokenLifetime
	}
	t, err := auth.CreateAPIToken(ctx, carto.APITokenRequest{
		Grants:   []carto.APIGrant{src.grant()},
		APIs:     []string{"maps"},
		Referers: o.Referers,
		Lifetime: life,
	})
	if err != nil {
		return mapToken{}, fmt.Errorf("cartomap: a token for the map of %s: %w", src.describe(), err)
	}
	return mapToken{token: t.Token, expiresAt: t.ExpiresAt}, nil
}
