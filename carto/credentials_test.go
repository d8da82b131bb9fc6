package carto

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"
)

// leakedPart returns a piece of value, 6 bytes or longer, that text repeats and allowed does
// not hold, or "" when there is none.
func leakedPart(text, value, allowed string) string {
	for i := 0; i+6 <= len(value); i++ {
		if w := value[i : i+6]; strings.Contains(text, w) && !strings.Contains(allowed, w) {
			return w
		}
	}
	return ""
}

// jsonKeys are the key names of the credentials JSON, which errors may name: not secrets.
const jsonKeys = `{"api_base_url", "client_id", "client_secret"}`

const testCredsJSON = `{"api_base_url": "https://gcp-us-east1.api.carto.com", "client_id": "AbCdEfGhIjKlMnOpQrStUvWxYz012345", "client_secret": "s3cr3tValue-abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJKLMNOPQ"}`

// TestCredentialsFileValueNotEchoed: credentials put in CARTO_CREDENTIALS_FILE in any shape
// (base64, client_id:client_secret, a bare secret, JSON) are never repeated in the error, which
// names the variable and says that CARTO_CREDENTIALS takes the JSON itself.
func TestCredentialsFileValueNotEchoed(t *testing.T) {
	b64 := base64.StdEncoding.EncodeToString([]byte(testCredsJSON))
	var wrapped strings.Builder
	for s := b64; s != ""; s = s[min(76, len(s)):] {
		wrapped.WriteString(s[:min(76, len(s))] + "\n")
	}
	values := map[string]string{
		"base64":                  b64,
		"base64 wrapped":          wrapped.String(),
		"base64 url raw":          base64.RawURLEncoding.EncodeToString([]byte(testCredsJSON)),
		"base64 of pretty JSON":   base64.StdEncoding.EncodeToString([]byte("{\n  \"client_id\": \"AbCdEfGhIjKlMnOpQrStUvWxYz012345\",\n  \"client_secret\": \"s3cr3tValue-abcdefghijklmnop\"\n}\n")),
		"client_id:client_secret": "AbCdEfGhIjKlMnOpQrStUvWxYz012345:s3cr3tValue-abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJKLMNOPQ",
		"id:secret with slash":    "AbCdEfGhIjKlMnOp:s3cr3t/Value+abcdefghij",
		"bare secret":             "s3cr3tValue-abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJKLMNOPQ",
		"id/secret":               "AbCdEfGhIjKlMnOpQrSt/s3cr3tValue-abc_defghij",
		"base64 starting with /":  "/s3cr3tValueAbCdEfGhIjKlMnOp+/xyz=",
		"long":                    strings.Repeat("s3cr3tValue", 40),
		"JSON":                    testCredsJSON,
	}
	t.Setenv(EnvCredentials, "")
	for name, v := range values {
		t.Setenv(EnvCredentialsFile, v)
		_, err := FromM2M(context.Background(), "", &M2MOptions{Common: Common{NoCache: true}})
		var ce *CredentialsError
		if !errors.As(err, &ce) {
			t.Errorf("%s: err = %v; want a CredentialsError", name, err)
			continue
		}
		msg := err.Error()
		if w := leakedPart(msg, v, jsonKeys); w != "" {
			t.Errorf("%s: the error repeats %q of the value: %s", name, w, msg)
		}
		if !strings.Contains(msg, "$"+EnvCredentialsFile) || !strings.Contains(strings.ReplaceAll(msg, EnvCredentialsFile, ""), EnvCredentials) {
			t.Errorf("%s: the error does not name %s and point at %s: %s", name, EnvCredentialsFile, EnvCredentials, msg)
		}
	}
	// The same values given as the file argument (cartoauth --m2m VALUE).
	t.Setenv(EnvCredentialsFile, "")
	for name, v := range values {
		_, err := FromM2M(context.Background(), v, &M2MOptions{Common: Common{NoCache: true}})
		if err == nil {
			t.Errorf("%s as the path: no error", name)
		} else if w := leakedPart(err.Error(), v, jsonKeys); w != "" {
			t.Errorf("%s as the path: the error repeats %q of the value: %s", name, w, err)
		}
	}
}

// TestCredentialsFileWhatSayWhat: the error says what the value looks like.
func TestCredentialsFileWhatSayWhat(t *testing.T) {
	t.Setenv(EnvCredentials, "")
	for v, want := range map[string]string{
		base64.StdEncoding.EncodeToString([]byte(testCredsJSON)): "base64",
		"AbCdEfGhIjKlMnOp:s3cr3tValue-abcdefghij":                "client_id:client_secret",
		testCredsJSON: "holds JSON",
	} {
		t.Setenv(EnvCredentialsFile, v)
		if _, err := loadCredentials("", readFacts()); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v; want it to say %q", err, want)
		}
	}
}

// TestCredentialsFileMissingPathNamed: a value that plausibly is a path (see echoablePath) is
// named once when there is no such file.
func TestCredentialsFileMissingPathNamed(t *testing.T) {
	t.Setenv(EnvCredentials, "")
	for _, p := range []string{"/nowhere/creds.json", "nowhere-creds.JSON", "./nowhere/m2m_creds", "../nowhere/m2m.creds", `C:\nowhere\creds.json`} {
		t.Setenv(EnvCredentialsFile, p)
		_, err := loadCredentials("", readFacts())
		var ce *CredentialsError
		if !errors.As(err, &ce) || strings.Count(err.Error(), p) != 1 || !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: err = %v; want the path named once", p, err)
		}
	}
}

// FuzzCredentialsEnvError sets CARTO_CREDENTIALS_FILE to the input and checks that the loader's
// error repeats no 6-byte piece of it, except pieces of the fixed messages (collected from
// values of every shape) and except where the input is a path by echoablePath's rule or names
// a file that exists (either may be named).
func FuzzCredentialsEnvError(f *testing.F) {
	for _, seed := range []string{
		base64.StdEncoding.EncodeToString([]byte(testCredsJSON)),
		base64.RawURLEncoding.EncodeToString([]byte(testCredsJSON)),
		testCredsJSON,
		"AbCdEfGhIjKlMnOpQrStUvWxYz012345:s3cr3tValue-abcdefghij",
		"s3cr3tValue-abcdefghijklmnopqrstuvwxyz0123456789",
		"/s3cr3tValueAbCdEfGhIjKlMnOp+/xyz=",
		"AbCdEfGhIjKlMnOpQrSt/s3cr3tValue",
		"/nowhere/creds.json",
		"C:\\nowhere\\creds.json",
	} {
		f.Add(seed)
	}
	f.Chdir(f.TempDir()) // relative inputs name no file of this package
	f.Setenv(EnvCredentials, "")
	var allowed strings.Builder
	for _, canary := range []string{testCredsJSON, base64.StdEncoding.EncodeToString([]byte(testCredsJSON)),
		"id:secret", "no-such-file-here", strings.Repeat("x", 5000)} {
		f.Setenv(EnvCredentialsFile, canary)
		_, err := loadCredentials("", readFacts())
		allowed.WriteString(err.Error() + "\n")
	}
	allowed.WriteString((&CredentialsError{Path: "$" + EnvCredentialsFile, Err: hiddenOpenError(os.ErrPermission)}).Error() + "\n")
	f.Fuzz(func(t *testing.T, v string) {
		if strings.ContainsRune(v, 0) {
			return // no environment variable holds NUL
		}
		t.Setenv(EnvCredentialsFile, v)
		_, err := loadCredentials("", readFacts())
		if err == nil {
			return // an existing file of good credentials
		}
		if echoablePath(v) {
			return
		}
		if _, statErr := os.Stat(v); statErr == nil {
			return
		}
		if w := leakedPart(err.Error(), v, allowed.String()); w != "" {
			t.Fatalf("the error repeats %q of the value: %v", w, err)
		}
	})
}
