package carto

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

func TestM2MFromFileValuesAndEnvironment(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	path := writeCreds(t, srv)
	body, _ := os.ReadFile(path)
	var creds M2MCredentials
	json.Unmarshal(body, &creds)
	opts := func() *M2MOptions { return &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}} }
	ctx := context.Background()

	logins := map[string]func() (*Auth, error){
		"file":   func() (*Auth, error) { return FromM2M(ctx, path, opts()) },
		"values": func() (*Auth, error) { return FromM2MCredentials(ctx, creds, opts()) },
		"CARTO_CREDENTIALS_FILE": func() (*Auth, error) {
			t.Setenv(EnvCredentialsFile, path)
			return FromM2M(ctx, "", opts())
		},
		"CARTO_CREDENTIALS": func() (*Auth, error) {
			t.Setenv(EnvCredentialsFile, "")
			t.Setenv(EnvCredentials, string(body))
			return FromM2M(ctx, "", opts())
		},
	}
	for name, login := range logins {
		a, err := login()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tok, _ := a.AccessToken(ctx)
		if !srv.ValidAccessToken(tok) || a.APIBaseURL() != creds.APIBaseURL {
			t.Errorf("%s: token valid %v, base %q", name, srv.ValidAccessToken(tok), a.APIBaseURL())
		}
	}
}

func TestM2MIsRequestedAgainOnExpiry(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := a.AccessToken(context.Background())
	expireInMemory(a)
	tok, err := a.AccessToken(context.Background())
	if err != nil || tok == old || !srv.ValidAccessToken(tok) || srv.Count(cartotest.EndpointTokenCC) != 2 {
		t.Fatalf("after expiry: err %v, new %v, requests %d", err, tok != old, srv.Count(cartotest.EndpointTokenCC))
	}
}

// expireInMemory makes the current token look expired to a.
func expireInMemory(a *Auth) {
	replaceEntry(a, expired(a.cache.Current()))
}

func TestBadCredentialsFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := `"api_base_url": "https://gcp-us-east1.api.carto.com", "client_id": "id", "client_secret": "s3cr3t-value"`
	cases := map[string]struct{ body, want string }{
		"not json":       {"api_base_url=x", "not a JSON object"},
		"array":          {"[1,2]", "not a JSON object"},
		"missing secret": {`{"api_base_url": "https://a.carto.com", "client_id": "id"}`, `"client_secret": missing`},
		"empty id":       {`{"api_base_url": "https://a.carto.com", "client_id": "", "client_secret": "s3cr3t-value"}`, `"client_id": missing`},
		"number id":      {`{"api_base_url": "https://a.carto.com", "client_id": 42, "client_secret": "s3cr3t-value"}`, `"client_id": must be a string, not a number`},
		"http base URL":  {`{"api_base_url": "http://api.example.com", "client_id": "id", "client_secret": "s3cr3t-value"}`, "insecure URL"},
		"ok but null":    {`{` + good + `, "extra": null}`, ""},
	}
	for name, c := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".json")
		os.WriteFile(path, []byte(c.body), 0o600)
		_, err := loadCredentials(path, readFacts())
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		var ce *CredentialsError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v; want a CredentialsError naming %s and %q", name, err, path, c.want)
		}
		if err != nil {
			assertNoSecrets(t, err.Error(), "s3cr3t-value")
		}
	}
	if _, err := loadCredentials(filepath.Join(dir, "absent.json"), readFacts()); err == nil || !strings.Contains(err.Error(), "absent.json") {
		t.Errorf("missing file: %v", err)
	}
}

func TestNoCredentialsAnywhere(t *testing.T) {
	t.Setenv(EnvCredentialsFile, "")
	t.Setenv(EnvCredentials, "")
	_, err := FromM2M(context.Background(), "", nil)
	if err == nil || !strings.Contains(err.Error(), EnvCredentialsFile) {
		t.Fatalf("err = %v", err)
	}
}

func TestCredentialsReadableByOthersWarns(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	path := writeCreds(t, srv)
	os.Chmod(path, 0o644)
	out := captureStderr(t, func() {
		if _, err := loadCredentials(path, readFacts()); err != nil {
			t.Error(err)
		}
	})
	if !strings.Contains(out, "readable by other users") || !strings.Contains(out, "chmod 600 "+path) {
		t.Errorf("stderr = %q", out)
	}
}

func TestWrongClientSecret(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	id, _ := srv.AddM2MClient()
	creds := M2MCredentials{APIBaseURL: srv.URL, ClientID: id, ClientSecret: "not-the-secret-123"}
	_, err := FromM2MCredentials(context.Background(), creds, &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}})
	var se *ServerError
	if !errors.As(err, &se) || se.Code != "invalid_client" || !strings.Contains(Advise(err).Error(), "check the client id and secret") {
		t.Fatalf("err = %v", err)
	}
	assertNoSecrets(t, err.Error(), "not-the-secret-123")
}

// captureStderr runs f with os.Stderr redirected and returns what it wrote.
func captureStderr(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	f()
	os.Stderr = old
	w.Close()
	b := make([]byte, 1<<16)
	n, _ := r.Read(b)
	return string(b[:n])
}

// TestCredentialsJSONInThePathVariable: the JSON put in CARTO_CREDENTIALS_FILE (or passed as
// the path) is never repeated in the error, which says where the JSON belongs.
func TestCredentialsJSONInThePathVariable(t *testing.T) {
	creds := `{"api_base_url": "https://gcp-us-east1.api.carto.com", "client_id": "id-1234567890", "client_secret": "s3cr3t-value-0123456789"}`
	t.Setenv(EnvCredentials, "")
	for _, c := range []struct{ env, arg string }{{creds, ""}, {"", creds}, {"\n" + creds + "\n", ""}, {"", `"s3cr3t-value-0123456789"`}} {
		t.Setenv(EnvCredentialsFile, c.env)
		_, err := FromM2M(context.Background(), c.arg, &M2MOptions{Common: Common{NoCache: true}})
		var ce *CredentialsError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "put the JSON in "+EnvCredentials) {
			t.Errorf("env %t: err = %v; want a CredentialsError pointing at %s", c.env != "", err, EnvCredentials)
		}
		if err != nil {
			assertNoSecrets(t, err.Error(), "s3cr3t-value-0123456789", "id-1234567890")
		}
	}
	t.Setenv(EnvCredentialsFile, "/nowhere/creds.json")
	_, err := FromM2M(context.Background(), "", nil)
	if err == nil || strings.Count(err.Error(), "/nowhere/creds.json") != 1 {
		t.Errorf("a missing file: %v; want its path named once", err)
	}
}
