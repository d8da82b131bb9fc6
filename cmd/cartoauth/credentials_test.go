package main

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestCredentialsInThePathVariableNotPrinted: credentials put in CARTO_CREDENTIALS_FILE
// (base64, client_id:client_secret, a bare secret) are never printed, in part or whole; the one
// error line names the variable and says that CARTO_CREDENTIALS takes the JSON.
func TestCredentialsInThePathVariableNotPrinted(t *testing.T) {
	t.Parallel()
	const creds = `{"api_base_url": "https://gcp-us-east1.api.carto.com", "client_id": "AbCdEfGhIjKlMnOpQrStUvWxYz012345", ` +
		`"client_secret": "s3cr3tValue-abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJKLMNOPQ"}`
	values := map[string]string{
		"base64":                  base64.StdEncoding.EncodeToString([]byte(creds)),
		"client_id:client_secret": "AbCdEfGhIjKlMnOpQrStUvWxYz012345:s3cr3tValue-abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJKLMNOPQ",
		"bare secret":             "s3cr3tValue-abcdefghijklmnopqrstuvwxyz0123456789_ABCDEFGHIJKLMNOPQ",
	}
	for name, v := range values {
		for _, cmd := range []string{"token", "login", "dw-credentials"} {
			t.Run(name+"/"+cmd, func(t *testing.T) {
				t.Parallel()
				r := newCLIEnv(t, "").with("CARTO_CREDENTIALS_FILE="+v).run(t, nil, cmd)
				if r.code != exitFailure {
					t.Errorf("exit %d, want %d; stderr %q", r.code, exitFailure, r.stderr)
				}
				out := r.stdout + r.stderr
				for i := 0; i+6 <= len(v); i++ {
					if strings.Contains(out, v[i:i+6]) {
						t.Fatalf("the output repeats %q of the value:\n%s", v[i:i+6], out)
					}
				}
				if !strings.Contains(r.stderr, "$CARTO_CREDENTIALS_FILE") || !strings.Contains(strings.ReplaceAll(r.stderr, "CARTO_CREDENTIALS_FILE", ""), "CARTO_CREDENTIALS") {
					t.Errorf("stderr does not name CARTO_CREDENTIALS_FILE and point at CARTO_CREDENTIALS: %q", r.stderr)
				}
				checkOneLineError(t, r)
			})
		}
	}
}
