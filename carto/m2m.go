package carto

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/wire"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// M2MCredentials are the values of a CARTO machine-to-machine application (Workspace →
// Developers → "Machine to Machine"), as in its credentials file.
type M2MCredentials struct {
	APIBaseURL   string `json:"api_base_url"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// FromM2M logs in with a machine-to-machine credentials file. An empty path falls back to the
// environment: CARTO_CREDENTIALS_FILE (a path) or CARTO_CREDENTIALS (the JSON itself).
func FromM2M(ctx context.Context, credentialsFile string, opts *M2MOptions) (*Auth, error) {
	creds, err := loadCredentials(credentialsFile)
	if err != nil {
		return nil, err
	}
	return FromM2MCredentials(ctx, creds, opts)
}

// FromM2MCredentials logs in with machine-to-machine credentials given as values, with no file.
func FromM2MCredentials(ctx context.Context, creds M2MCredentials, opts *M2MOptions) (*Auth, error) {
	if opts == nil {
		opts = &M2MOptions{}
	}
	if err := creds.validate(""); err != nil {
		return nil, err
	}
	set, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	base, err := wire.NormalizeBaseURL(cmp.Or(opts.APIBaseURL, creds.APIBaseURL))
	if err != nil {
		return nil, err
	}
	m := &m2mLogin{set: set, cc: clientcredentials.Config{
		ClientID:       creds.ClientID,
		ClientSecret:   creds.ClientSecret,
		TokenURL:       set.ep.Token,
		EndpointParams: map[string][]string{"audience": {Audience}},
		AuthStyle:      oauth2.AuthStyleInParams,
	}}
	a := newAuth(set, identity{Kind: kindM2M, AuthServer: set.ep.Server, ClientID: creds.ClientID, APIBaseURL: base}, m)
	m.id = a.id
	if _, err := a.AccessToken(ctx); err != nil {
		return nil, err
	}
	a.source = SourceM2M
	return a, nil
}

// m2mLogin renews a machine-to-machine login: client credentials, with nobody to ask.
type m2mLogin struct {
	set *settings
	id  identity
	cc  clientcredentials.Config
}

func (m *m2mLogin) obtain(ctx context.Context, _ *entry, _ bool, _ cache.Lock) (*entry, error) {
	t, err := m.set.client.FetchToken(ctx, wire.Retryable, m.cc.Token)
	if err != nil {
		return nil, fmt.Errorf("M2M login: %w", err)
	}
	e := newEntry(m.id, t, m.set.now())
	e.Flow, e.APIBaseURL = kindM2M, m.id.APIBaseURL
	return e, nil
}

// wait never waits for a person: an M2M login prompts no one.
func (m *m2mLogin) wait(context.Context) cache.Wait { return cache.Wait{} }

func (m *m2mLogin) adopted(context.Context, *entry) {}

// revoke has nothing to revoke: M2M logins hold no refresh token.
func (m *m2mLogin) revoke(context.Context, string) error { return nil }

// loadCredentials reads the credentials from path, or from the environment when path is "".
func loadCredentials(path string) (M2MCredentials, error) {
	var body []byte
	named := "the credentials file path"
	switch {
	case path != "":
	case os.Getenv(EnvCredentialsFile) != "":
		path, named = os.Getenv(EnvCredentialsFile), "$"+EnvCredentialsFile
	case os.Getenv(EnvCredentials) != "":
		return parseCredentials([]byte(os.Getenv(EnvCredentials)), "$"+EnvCredentials)
	default:
		return M2MCredentials{}, &CredentialsError{Err: fmt.Errorf("no credentials: give a file, or set %s or %s", EnvCredentialsFile, EnvCredentials)}
	}
	if strings.ContainsAny(path, "{}\"\n") { // the JSON itself, or part of it: never repeated
		return M2MCredentials{}, &CredentialsError{Path: named, Err: fmt.Errorf("holds JSON, not a file path; put the JSON in %s, or the file's path here (its value is not shown: it may hold the client secret)", EnvCredentials)}
	}
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named once, by CredentialsError
		}
		return M2MCredentials{}, &CredentialsError{Path: path, Err: err}
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && cache.OthersCanRead(fi.Mode()) {
		warnOnce("credentials file %s is readable by other users; run: chmod 600 %s", path, path)
	}
	if body, err = wire.ReadLimited(f); err != nil {
		return M2MCredentials{}, &CredentialsError{Path: path, Err: err}
	}
	return parseCredentials(body, path)
}

// parseCredentials checks the JSON strictly: an object whose three keys are non-empty strings.
func parseCredentials(body []byte, where string) (M2MCredentials, error) {
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return M2MCredentials{}, &CredentialsError{Path: where, Err: errors.New("not a JSON object; expected {\"api_base_url\", \"client_id\", \"client_secret\"}")}
	}
	var c M2MCredentials
	for key, dst := range map[string]*string{"api_base_url": &c.APIBaseURL, "client_id": &c.ClientID, "client_secret": &c.ClientSecret} {
		v, ok := raw[key]
		if !ok {
			continue // validate names what is missing
		}
		s, ok := v.(string)
		if !ok {
			return M2MCredentials{}, &CredentialsError{Path: where, Field: key, Err: fmt.Errorf("must be a string, not %s", jsonType(v))}
		}
		*dst = s
	}
	return c, c.validate(where)
}

func (c M2MCredentials) validate(where string) error {
	for _, f := range []struct{ key, val string }{{"client_id", c.ClientID}, {"client_secret", c.ClientSecret}, {"api_base_url", c.APIBaseURL}} {
		if f.val == "" {
			return &CredentialsError{Path: where, Field: f.key, Err: errors.New("missing or empty; download the credentials again from CARTO Workspace → Developers")}
		}
	}
	if _, err := wire.NormalizeBaseURL(c.APIBaseURL); err != nil {
		return &CredentialsError{Path: where, Field: "api_base_url", Err: err}
	}
	return nil
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
