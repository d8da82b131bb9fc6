package carto

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

func TestTwoCellLogin(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := &fakePrompter{}
	opts := copyCodeOptions(t, srv, p)
	if err := StartLogin(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	l := p.lastShown()
	if !strings.Contains(l.Instructions, "FinishLogin") || p.reads != 0 {
		t.Fatalf("shown %+v, reads %d", l, p.reads)
	}
	lg, _ := newOAuthLogin(opts, readFacts(), false)
	if got := mustStat(t, lg.auth.cache.PendingPath()); got != 0o600 {
		t.Errorf("pending login file mode %o", got)
	}
	loc, err := srv.Login(l.URL)
	if err != nil {
		t.Fatal(err)
	}
	// "A later cell": a fresh FinishLogin call with the pasted redirect URL.
	a, err := FinishLogin(context.Background(), " "+loc.String()+"\n", opts)
	if err != nil {
		t.Fatal(err)
	}
	if tok, _ := a.AccessToken(context.Background()); !srv.ValidAccessToken(tok) || a.APIBaseURL() != srv.URL {
		t.Fatalf("token valid %v, base %q", srv.ValidAccessToken(tok), a.APIBaseURL())
	}
	if _, err := FinishLogin(context.Background(), loc.Query().Get("code"), opts); !errors.Is(err, ErrNoPendingLogin) || !slices.Contains(Hints(err), HintStartLogin) {
		t.Errorf("finishing twice: %v", err)
	}
	opts.DisableInteraction = true
	if _, err := FromOAuth(context.Background(), opts); err != nil {
		t.Errorf("the next cell is not served from the cache: %v", err)
	}
}

func TestTwoCellLoginExpiredOrMismatched(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	opts := copyCodeOptions(t, srv, &fakePrompter{})
	if _, err := FinishLogin(context.Background(), "abc", opts); !errors.Is(err, ErrNoPendingLogin) {
		t.Errorf("never started: %v", err)
	}
	if err := StartLogin(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := FinishLogin(context.Background(), "https://x/auth/token?code=abc&state=other", opts); !errors.Is(err, ErrStateMismatch) {
		t.Errorf("another login's URL: %v", err)
	}
	lg, _ := newOAuthLogin(opts, readFacts(), false)
	var p pending
	body, _ := os.ReadFile(lg.auth.cache.PendingPath())
	json.Unmarshal(body, &p)
	p.Expires = 1
	body, _ = json.Marshal(p)
	os.WriteFile(lg.auth.cache.PendingPath(), body, 0o600)
	_, err := FinishLogin(context.Background(), "abc", opts)
	if !errors.Is(err, ErrNoPendingLogin) || !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired: %v", err)
	}
	if srv.Count(cartotest.EndpointToken) != 0 {
		t.Error("a token request was made")
	}
	noCache := *opts
	noCache.NoCache = true
	if err := StartLogin(context.Background(), &noCache); err == nil {
		t.Error("StartLogin with NoCache succeeded")
	}
}

func TestTwoCellLoginRetriesDiscoveryWithoutDeadlock(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	p := &fakePrompter{}
	opts := copyCodeOptions(t, srv, p)
	if err := StartLogin(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	loc, err := srv.Login(p.lastShown().URL)
	if err != nil {
		t.Fatal(err)
	}
	srv.Inject(cartotest.EndpointAccounts, cartotest.Fault{Status: 404, Body: `{"error":"not found"}`}) // the first discovery fails
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	a, err := FinishLogin(ctx, loc.Query().Get("code"), opts)
	if err != nil {
		t.Fatal(err)
	}
	if a.APIBaseURL() != srv.URL || srv.Count(cartotest.EndpointAccounts) != 2 {
		t.Errorf("base %q after %d discoveries", a.APIBaseURL(), srv.Count(cartotest.EndpointAccounts))
	}
}
