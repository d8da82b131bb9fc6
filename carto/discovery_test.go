package carto

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

func TestCartoDWCredentials(t *testing.T) {
	t.Parallel()
	srv, a, _, _ := oauthLoggedIn(t, cartotest.Config{})
	project, tok, err := a.CartoDWCredentials(context.Background())
	if err != nil || project != srv.DWProjectID() || !srv.ValidDWToken(tok) {
		t.Fatalf("DW credentials: %q valid=%v err=%v", project, srv.ValidDWToken(tok), err)
	}
	srv.Inject(cartotest.EndpointDWToken, cartotest.Fault{Status: 403, Body: `{"error":"Data Warehouse not available in this plan"}`})
	_, _, err = a.CartoDWCredentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "not available in this plan") || !strings.Contains(Advise(err).Error(), "check the plan") {
		t.Fatalf("refused DW: %v", err)
	}
}

func TestDWWithoutBaseURL(t *testing.T) {
	t.Parallel()
	a := newAuth(&settings{}, identity{Kind: kindOAuth}, &m2mLogin{})
	if _, _, err := a.CartoDWCredentials(context.Background()); !errors.Is(err, ErrNoAPIBaseURL) || !strings.Contains(err.Error(), "APIBaseURL") {
		t.Fatalf("err = %v", err)
	}
}
