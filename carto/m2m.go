package carto

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

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
	return fromM2M(ctx, credentialsFile, opts, readFacts())
}

func fromM2M(ctx context.Context, credentialsFile string, opts *M2MOptions, f *facts) (*Auth, error) {
	creds, err := loadCredentials(credentialsFile, f)
	if err != nil {
		return nil, err
	}
	return fromM2MCredentials(ctx, creds, opts, f)
}

// FromM2MCredentials logs in with machine-to-machine credentials given as values, with no file.
func FromM2MCredentials(ctx context.Context, creds M2MCredentials, opts *M2MOptions) (*Auth, error) {
	return fromM2MCredentials(ctx, creds, opts, readFacts())
}

func fromM2MCredentials(ctx context.Context, creds M2MCredentials, opts *M2MOptions, f *facts) (*Auth, error) {
	if opts == nil {
		opts = &M2MOptions{}
	}
	if err := creds.validate(""); err != nil {
		return nil, err
	}
	set, err := opts.resolve(f)
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

func (m *m2mLogin) obtain(ctx context.Context, _ *entry, _ renewRequest, _ cache.Lock) (*entry, bool, error) {
	t, err := m.set.client.FetchToken(ctx, wire.Retryable, m.cc.Token)
	if err != nil {
		return nil, false, fmt.Errorf("M2M login: %w", err)
	}
	e := newEntry(m.id, t, m.set.now())
	e.Flow, e.APIBaseURL = kindM2M, m.id.APIBaseURL
	return e, false, nil
}

// wait never waits for a person: an M2M login prompts no one.
func (m *m2mLogin) wait(context.Context) cache.Wait { return cache.Wait{} }

func (m *m2mLogin) adopted(context.Context, *entry) {}

// revoke has nothing to revoke: M2M logins hold no refresh token.
func (m *m2mLogin) revoke(context.Context, string) error { return nil }

// loadCredentials reads the credentials from path, or from the environment when path is "".
// A value that does not plausibly name a file (see notAPath and echoablePath) is never repeated
// in an error: CI systems often hold the credentials themselves in CARTO_CREDENTIALS_FILE.
func loadCredentials(path string, env *facts) (M2MCredentials, error) {
	var body []byte
	named := "the credentials file path"
	switch {
	case path != "":
	case env.getenv(EnvCredentialsFile) != "":
		path, named = env.getenv(EnvCredentialsFile), "$"+EnvCredentialsFile
	case env.getenv(EnvCredentials) != "":
		return parseCredentials([]byte(env.getenv(EnvCredentials)), "$"+EnvCredentials)
	default:
		return M2MCredentials{}, &CredentialsError{Err: fmt.Errorf("no credentials: give a file, or set %s or %s", EnvCredentialsFile, EnvCredentials)}
	}
	if err := notAPath(path); err != nil {
		return M2MCredentials{}, &CredentialsError{Path: named, Err: err}
	}
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named once, by CredentialsError
		}
		if !echoablePath(path) {
			return M2MCredentials{}, &CredentialsError{Path: named, Err: hiddenOpenError(err)}
		}
		return M2MCredentials{}, &CredentialsError{Path: path, Err: err}
	}
	// From here on path is named: it was opened, so it is a file's path, not a secret.
	defer f.Close()
	if fi, err := f.Stat(); err == nil && cache.OthersCanRead(fi.Mode()) {
		warnOnce("credentials file %s is readable by other users; run: chmod 600 %s", path, path)
	}
	if body, err = wire.ReadLimited(f); err != nil {
		return M2MCredentials{}, &CredentialsError{Path: path, Err: err}
	}
	return parseCredentials(body, path)
}

// What a credentials path that holds something else is told; fixed text, never the value.
const (
	credsJSONText = "holds JSON, not a file path; put the JSON in " + EnvCredentials +
		", or the file's path here (its value is not shown: it may hold the client secret)"
	credsBase64Text = "holds what looks like base64-encoded credentials, not a file path (its value is not shown); " +
		EnvCredentials + " takes the credentials JSON itself: put the decoded JSON there, or decode it into a file and give its path here"
	credsColonText = "holds what looks like client_id:client_secret, not a file path (its value is not shown); " +
		EnvCredentials + ` takes the credentials JSON itself ({"api_base_url", "client_id", "client_secret"}), or give the file's path here`
	credsHiddenText = " (its value is not shown: it may be a secret rather than a file path); " +
		EnvCredentials + " takes the credentials JSON itself"
)

// notAPath says what a credentials path holds when it looks like the credentials themselves:
// base64 that decodes to a JSON object (a common shape of CI secrets), JSON or part of it, or
// client_id:client_secret (a ':' with no '/' or '\' and no .json ending). It never repeats v.
func notAPath(v string) error {
	if decoded, ok := decodeBase64(strings.Join(strings.Fields(v), "")); ok && bytes.HasPrefix(bytes.TrimSpace(decoded), []byte("{")) {
		return errors.New(credsBase64Text)
	}
	if strings.ContainsAny(v, "{}\"\n") { // the JSON itself, or part of it
		return errors.New(credsJSONText)
	}
	if strings.Contains(v, ":") && !strings.ContainsAny(v, `/\`) && !hasSuffixFold(v, ".json") {
		return errors.New(credsColonText)
	}
	return nil
}

// decodeBase64 decodes s in the standard or URL alphabet, padded or not.
func decodeBase64(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, true
		}
	}
	return nil, false
}

// echoablePath reports whether v, a credentials path that could not be opened, may be repeated
// in the error. A secret must never be, so v qualifies only when it plausibly is a path and
// implausibly a secret; when in doubt it is not shown (the error names the variable instead):
//   - valid UTF-8 with no control characters, and no ':' but in a drive letter prefix (C:\ or
//     C:/): client_id:client_secret and URLs do not qualify;
//   - it ends in .json (any case), or starts like a path: /, ./, ../, ~/, \, .\, ..\ or a drive
//     letter prefix. CARTO's client ids and secrets (letters, digits, '-', '_') do neither;
//   - it has a character outside the base64 alphabets (standard and URL: letters, digits, '+',
//     '/', '-', '_', '='), whatever its length, since a base64 secret may hold '/' and even
//     start with it. So "/home/ci/creds" is not shown either, while "/home/ci/creds.json",
//     "/home/ci/m2m creds" and "./ci_creds" are.
func echoablePath(v string) bool {
	if !utf8.ValidString(v) || strings.ContainsFunc(v, unicode.IsControl) {
		return false
	}
	drive := len(v) >= 3 && (v[0]|0x20 >= 'a' && v[0]|0x20 <= 'z') && v[1] == ':' && (v[2] == '\\' || v[2] == '/')
	rest := v
	if drive {
		rest = v[2:]
	}
	if strings.Contains(rest, ":") {
		return false
	}
	if !strings.ContainsFunc(v, notBase64) {
		return false
	}
	if drive || hasSuffixFold(v, ".json") {
		return true
	}
	for _, prefix := range []string{"/", "./", "../", "~/", `\`, `.\`, `..\`} {
		if strings.HasPrefix(v, prefix) {
			return true
		}
	}
	return false
}

// notBase64 reports whether r is outside both base64 alphabets (and padding).
func notBase64(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+/-_=", r))
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// hiddenOpenError is err (errors.Is still sees it) told in fixed words, for a value not shown.
func hiddenOpenError(err error) error {
	reason := "it cannot be opened as a file"
	switch {
	case errors.Is(err, fs.ErrNotExist):
		reason = "there is no such file"
	case errors.Is(err, fs.ErrPermission):
		reason = "the file cannot be opened (permission denied)"
	}
	return &fixedTextError{text: reason + credsHiddenText, err: err}
}

// fixedTextError shows text and wraps err, whose own text is not shown.
type fixedTextError struct {
	text string
	err  error
}

func (e *fixedTextError) Error() string { return e.text }
func (e *fixedTextError) Unwrap() error { return e.err }

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
