package provider

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/e2e/kernel"
	"github.com/carto-go/carto-auth/e2e/logincard"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// loginCell is a notebook's login cell.
const loginCell = `import "github.com/carto-go/carto-auth/gonbauth"

%%
auth, err := gonbauth.Login(context.Background(), nil)
if err != nil {
	fmt.Println("Login failed:", err)
	return
}
fmt.Println("Logged in:", auth.Info().Flow, auth.Info().Email)
`

// TestOneClick: a login cell in a real GoNB kernel shows the card; the person's browser loads
// its probe image from the kernel's listener, the card adds the one-click link, the person
// follows it through the provider's pages and back to http://localhost:10000/callback/, and
// the cell ends logged in, with nothing pasted.
func TestOneClick(t *testing.T) {
	testenv.HoldLoopbackPort(t) // the redirect URI's port, which the notebook tests use too
	p := Start(t, Options{})
	e := newEnv(t, p)
	k := kernel.StartT(t, kernel.Options{GoWork: []string{testenv.RepoRoot(t)}, Env: append(e.vars(),
		"CI=", "CARTO_AUTH_FLOW=", "CARTO_AUTH_LOOPBACK_HOST=", "CARTO_CREDENTIALS=", "CARTO_CREDENTIALS_FILE=",
		"SSH_CONNECTION=", "SSH_CLIENT=", "SSH_TTY=", "JUPYTERHUB_API_TOKEN=", "JUPYTERHUB_USER=")})
	who := NewPerson("ana@example.com")
	landed := make(chan *Page, 1)
	probed, clicked := false, false
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := k.ExecuteResult(ctx, loginCell, func(res *kernel.Result, _ string, _ bool) (string, error) {
		card := logincard.Last(res)
		switch {
		case card == "":
			return "", kernel.ErrAnswerLater
		case !probed:
			probed = true
			src := logincard.Probe(card) // the card's image
			if src == "" {
				return "", errors.New("the card has no probe image")
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
			if err != nil {
				return "", err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return "", err
			}
			resp.Body.Close()
			return "", kernel.ErrAnswerLater
		case !clicked:
			link := logincard.OneClick(card)
			if link == "" {
				return "", kernel.ErrAnswerLater // the card with the one-click link is on its way
			}
			clicked = true
			go func() {
				pg, err := who.Open(ctx, link)
				if err != nil {
					t.Errorf("following the one-click link: %v", err)
				}
				landed <- pg
			}()
		}
		return "", kernel.ErrNoAnswer // the code box stays unanswered: nothing is pasted
	})
	if err != nil {
		t.Fatal(err)
	}
	if out := res.Stdout(); out != "Logged in: loopback ana@example.com\n" {
		t.Fatalf("the login cell printed %q; outputs: %v", out, res)
	}
	if pg := <-landed; pg == nil || !strings.Contains(pg.Body, "Logged in to CARTO") {
		t.Errorf("the browser landed on %+v", pg)
	}
	if card := logincard.Last(res); logincard.State(card) != "done" {
		t.Errorf("the last card is not done: %s", card)
	}
	if s := p.State(t); s.GrantSuccess["authorization_code"] != 1 || len(s.AliveGrants("ana@example.com")) != 1 {
		t.Errorf("provider: %v, grants %+v", s.GrantSuccess, s.Grants)
	}
}
