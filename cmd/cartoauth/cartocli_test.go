//go:build unix

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// writeCartoCLILogin writes a CARTO CLI file in e's home folder with one profile, "work", the
// current one, holding tok, and returns its path.
func writeCartoCLILogin(t *testing.T, e *cliEnv, tok string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(filepath.Dir(e.cache), ".carto_credentials.json")
	body, _ := json.Marshal(map[string]any{"current_profile": "work", "profiles": map[string]any{"work": map[string]any{
		"token": tok, "tenant_id": "gcp-us-east1", "tenant_domain": "acme.app.carto.com", "organization_id": "org_acme",
		"organization_name": "ACME", "user_email": "ana@example.com"}}})
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestStatusListsTheCartoCLILogin: status lists the CARTO CLI's login (never its token), in
// text and JSON; logout leaves the file and says that `carto auth logout` ends it.
func TestStatusListsTheCartoCLILogin(t *testing.T) {
	t.Parallel()
	srv := newServer(t, cartotest.Config{})
	e := newCLIEnv(t, srv.URL)
	tok := srv.NewJWTAccessToken(time.Hour)
	path := writeCartoCLILogin(t, e, tok, 0o600)
	r := e.run(t, nil, "status")
	if r.code != 0 || !strings.Contains(r.stdout, path) || !strings.Contains(r.stdout, "ana@example.com") || !strings.Contains(r.stdout, "carto-cli") {
		t.Errorf("status: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	out, _ := statusJSON(t, e)
	var st struct {
		CartoCLI struct {
			File           string           `json:"file"`
			CurrentProfile string           `json:"current_profile"`
			Logins         []map[string]any `json:"logins"`
		} `json:"carto_cli"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.CartoCLI.File != path || st.CartoCLI.CurrentProfile != "work" ||
		len(st.CartoCLI.Logins) != 1 || st.CartoCLI.Logins[0]["source"] != "carto-cli" {
		t.Errorf("status --json: %v\n%s", err, out)
	}
	if strings.Contains(r.stdout+out, tok) {
		t.Error("status printed the CLI's token")
	}
	before, _ := os.ReadFile(path)
	r = e.run(t, nil, "logout")
	after, _ := os.ReadFile(path)
	if r.code != 0 || !strings.Contains(r.stderr, "carto auth logout") || string(before) != string(after) {
		t.Errorf("logout: exit %d, file kept %v\n%s", r.code, string(before) == string(after), r.stderr)
	}
	if err := os.Chmod(path, 0o646); err != nil {
		t.Fatal(err)
	}
	r = e.run(t, nil, "status")
	if r.code != 0 || !strings.Contains(r.stdout, "not used") || !strings.Contains(r.stdout, "other users can write") {
		t.Errorf("status with a file others can write: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
