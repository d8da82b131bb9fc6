package carto_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/cartotest"
)

// person is a Prompter that plays the person against the stand-in: it logs in on the login
// page it was shown and pastes the code. A program leaves Prompter nil (the terminal) or passes
// its own user interface.
type person struct {
	srv *cartotest.Server
	url string
}

func (p *person) Show(_ context.Context, l carto.LoginMessage) error { p.url = l.URL; return nil }
func (p *person) SetStatus(context.Context, carto.Status) error      { return nil }
func (p *person) ReadCode(ctx context.Context, _ string) (string, error) {
	loc, err := p.srv.LoginContext(ctx, p.url)
	if err != nil {
		return "", err
	}
	return loc.Query().Get("code"), nil
}

// Login logs in the way that fits where it runs: M2M credentials from the environment, the
// cached login, or an interactive login through the Prompter. Against CARTO, leave AuthServer
// empty; here a local stand-in (cartotest) plays CARTO.
func ExampleLogin() {
	srv := cartotest.NewServer(cartotest.Config{})
	defer srv.Close()
	opts := &carto.OAuthOptions{Flow: carto.FlowCopyCode, Prompter: &person{srv: srv},
		Common: carto.Common{AuthServer: srv.URL, NoCache: true}}
	os.Unsetenv(carto.EnvCredentialsFile) // no M2M credentials in this example's environment
	os.Unsetenv(carto.EnvCredentials)

	auth, err := carto.Login(context.Background(), opts)
	if err != nil {
		fmt.Println(err) // says what to do: carto.ErrInteractionRequired names M2M and `cartoauth login`
		return
	}
	fmt.Println(auth.Info().Account(), auth.Info().Source, auth.APIBaseURL() == srv.URL)
	// Output: analyst@example.com interactive true
}

// An ETL job logs in with the machine-to-machine credentials file from CARTO Workspace →
// Developers; tokens are requested again when they expire.
func ExampleFromM2M() {
	srv := cartotest.NewServer(cartotest.Config{})
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	creds := filepath.Join(dir, "carto-credentials.json")
	srv.WriteCredentialsFile(creds) // the file CARTO gives you

	auth, err := carto.FromM2M(context.Background(), creds,
		&carto.M2MOptions{Common: carto.Common{AuthServer: srv.URL, CacheDir: filepath.Join(dir, "cache")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	token, err := auth.AccessToken(context.Background())
	fmt.Println(auth.Info().Kind, token != "", err)
	// Output: m2m true <nil>
}

// HTTPClient calls CARTO's APIs with the token, renewed as needed; requests to other origins
// (a public GeoJSON, say) go out without it.
func ExampleAuth_HTTPClient() {
	srv := cartotest.NewServer(cartotest.Config{})
	defer srv.Close()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	creds := filepath.Join(dir, "carto-credentials.json")
	srv.WriteCredentialsFile(creds)
	auth, err := carto.FromM2M(context.Background(), creds, &carto.M2MOptions{Common: carto.Common{AuthServer: srv.URL, NoCache: true}})
	if err != nil {
		fmt.Println(err)
		return
	}

	resp, err := auth.HTTPClient().Get(auth.APIBaseURL() + "/v3/sql/carto_dw/query?q=SELECT+COUNT(*)+AS+n+FROM+cities")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var answer struct {
		Rows []map[string]any `json:"rows"`
	}
	json.NewDecoder(resp.Body).Decode(&answer)
	fmt.Println(resp.StatusCode, len(answer.Rows))
	// Output: 200 1
}
