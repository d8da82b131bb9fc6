package main

import (
	"context"
	"encoding/json"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// curlStatus sends q to the stand-in's SQL API with curl, the token as a Bearer, and returns
// the HTTP status curl saw.
func curlStatus(t *testing.T, base, tok, q string) string {
	t.Helper()
	curl, err := exec.LookPath("curl")
	if err != nil {
		t.Fatal("curl is missing: scripts/install-deps.sh --e2e installs it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, curl, "-sS", "-o", "/dev/null", "-w", "%{http_code}",
		"-H", "Authorization: Bearer "+tok, base+"/v3/sql/carto_dw/query?"+url.Values{"q": {q}}.Encode()).Output()
	if err != nil {
		t.Fatalf("curl: %v", err)
	}
	return string(out)
}

// TestAPITokenCreateThenCurl: a token from 'cartoauth api-token create' is accepted by the
// SQL API for its query and refused for another; the same request prints the same token;
// list shows it by ID; prune and delete remove it at CARTO.
func TestAPITokenCreateThenCurl(t *testing.T) {
	t.Parallel()
	srv, e, creds := m2mStandIn(t)
	const q = "SELECT name FROM cities WHERE population > 10000000"
	create := []string{"api-token", "create", "--m2m", creds, "--source", q, "--apis", "sql", "--expires", "2h"}
	r := e.run(t, nil, create...)
	tok := strings.TrimSpace(r.stdout)
	if r.code != 0 || strings.Count(r.stdout, "\n") != 1 || !strings.Contains(r.stderr, "minted") {
		t.Fatalf("create: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stderr, tok) {
		t.Error("create printed the token on stderr")
	}
	if got := curlStatus(t, srv.URL, tok, q); got != "200" {
		t.Errorf("curl with its query: %s, want 200", got)
	}
	if got := curlStatus(t, srv.URL, tok, "SELECT name FROM cities"); got != "403" {
		t.Errorf("curl with another query: %s, want 403", got)
	}
	facts, ok := srv.APIToken(tok)
	if !ok || time.Until(facts.Expires) > 2*time.Hour || time.Until(facts.Expires) < 119*time.Minute {
		t.Errorf("the token's expiry at CARTO: %v", facts.Expires)
	}
	again := e.run(t, nil, create...)
	if strings.TrimSpace(again.stdout) != tok || !strings.Contains(again.stderr, "reused") {
		t.Errorf("the same request again: exit %d, stderr %q", again.code, again.stderr)
	}

	l := e.run(t, nil, "api-token", "list", "--m2m", creds, "--json")
	var list []struct{ ID, State string }
	if err := json.Unmarshal([]byte(l.stdout), &list); err != nil || len(list) != 1 || list[0].State != "valid" || strings.Contains(l.stdout, tok) {
		t.Fatalf("list: exit %d, %v\n%s%s", l.code, err, l.stdout, l.stderr)
	}
	if p := e.run(t, nil, "api-token", "prune", "--m2m", creds); p.code != 0 || p.stdout != "" {
		t.Errorf("prune of a valid token: exit %d, stdout %q", p.code, p.stdout)
	}
	if d := e.run(t, nil, "api-token", "delete", "--m2m", creds, list[0].ID); d.code != 0 {
		t.Fatalf("delete: exit %d %s", d.code, d.stderr)
	}
	if got := curlStatus(t, srv.URL, tok, q); got != "401" {
		t.Errorf("curl after delete: %s, want 401", got)
	}
}

// TestAPITokenCreateRefusals: what cannot work is refused before any request.
func TestAPITokenCreateRefusals(t *testing.T) {
	t.Parallel()
	srv, e, creds := m2mStandIn(t)
	for _, c := range []struct {
		args []string
		code int
		has  string
	}{
		{[]string{"api-token", "create", "--m2m", creds, "--source", "*", "--apis", "maps"}, 1, "AllowAllSources"},
		{[]string{"api-token", "create", "--m2m", creds, "--apis", "maps"}, 2, "--source"},
		{[]string{"api-token", "create", "--m2m", creds, "--source", "t", "--apis", "maps", "--permanent", "--expires", "1h"}, 2, "exclusive"},
		{[]string{"api-token", "create", "--m2m", creds, "--source", "t", "--apis", "maps", "--expires", "10s"}, 2, "a minute or more"},
		{[]string{"api-token", "create", "--m2m", creds, "--source", "t", "--apis", "maps", "--expires", "213504d"}, 2, "at most"},
		{[]string{"api-token", "nonsense"}, 2, "unknown subcommand"},
		{[]string{"api-token", "delete", "--m2m", creds, "at_000000000000"}, 1, "no recorded token"},
		{[]string{"api-token", "create", "--source", "t", "--apis", "maps"}, 3, "cartoauth login"},
	} {
		r := e.run(t, nil, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.has) || r.stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d saying %q", c.args, r.code, r.stdout, r.stderr, c.code, c.has)
		}
	}
	if srv.APITokens() != 0 {
		t.Errorf("%d tokens minted by refused requests", srv.APITokens())
	}
}

// TestCommandsUseTheTokenInCARTOAPIToken: with CARTO_API_TOKEN set (an API access token, as
// CI and agents pass it), token prints it, sql runs what its grant covers and gets CARTO's
// 403 for anything else, and api-token create says an OAuth login is needed.
func TestCommandsUseTheTokenInCARTOAPIToken(t *testing.T) {
	t.Parallel()
	srv, m2m, creds := m2mStandIn(t)
	const q = "SELECT name FROM cities WHERE population > 10000000"
	r := m2m.run(t, nil, "api-token", "create", "--m2m", creds, "--source", q, "--apis", "sql")
	tok := strings.TrimSpace(r.stdout)
	if r.code != 0 {
		t.Fatalf("create: exit %d %s", r.code, r.stderr)
	}
	e := newCLIEnv(t, srv.URL).with("CARTO_API_TOKEN="+tok, "CARTO_API_BASE_URL="+srv.URL)
	if r := e.run(t, nil, "token"); r.code != 0 || strings.TrimSpace(r.stdout) != tok {
		t.Errorf("token: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := e.run(t, nil, "sql", "--csv", q); r.code != 0 || !strings.HasPrefix(r.stdout, "name\n") {
		t.Errorf("sql with its query: exit %d, stderr %q", r.code, r.stderr)
	}
	for _, c := range []struct {
		args []string
		has  string
	}{
		{[]string{"sql", "SELECT name FROM cities"}, "403"},
		{[]string{"api-token", "create", "--source", q, "--apis", "maps"}, "OAuth"},
		{[]string{"dw-credentials"}, "OAuth"},
	} {
		r := e.run(t, nil, c.args...)
		if r.code != 1 || !strings.Contains(r.stderr, c.has) || strings.Contains(r.stderr, tok) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want exit 1 saying %q, without the token", c.args, r.code, r.stderr, c.has)
		}
	}
}
