package cartotest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// createToken posts body to the Tokens API with bearer.
func createToken(t *testing.T, s *Server, bearer, body string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/v3/tokens", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bearer)
	return do(t, req)
}

// mustToken creates an API access token from body and returns it.
func mustToken(t *testing.T, s *Server, body string) string {
	t.Helper()
	r := createToken(t, s, s.NewAccessToken(), body)
	if r.status != http.StatusCreated || !strings.HasPrefix(r.str("token"), apiTokenPrefix) {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	return r.str("token")
}

// sqlAs runs q through the SQL API with tok, naming origin ("" for none).
func sqlAs(t *testing.T, s *Server, tok, q, origin string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+"/v3/sql/"+SQLConnection+"/query?"+url.Values{"q": {q}}.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return do(t, req).status
}

func TestAPITokenGrantsAreEnforcedOnTheSQLAPI(t *testing.T) {
	t.Parallel()
	s, clock := newClockServer(t, Config{})
	const q = "SELECT name FROM cities WHERE population > @min"
	exp := clock.now().Add(time.Hour).Format(time.RFC3339)
	query := mustToken(t, s, `{"grants":[{"connection_name":"carto_dw","source":"`+q+`"}],"allowed_apis":["sql"],"referers":["https://maps.example.com"],"expiration_date":"`+exp+`"}`)
	maps := mustToken(t, s, `{"grants":[{"connection_name":"carto_dw","source":"`+q+`"}],"allowed_apis":["maps"]}`)
	table := mustToken(t, s, `{"grants":[{"connection_name":"carto_dw","source":"sandbox.shared.*"}],"allowed_apis":["sql"]}`)
	all := mustToken(t, s, `{"grants":[{"connection_name":"carto_dw","source":"*"}],"allowed_apis":["sql"]}`)
	cases := []struct {
		name, tok, q, origin string
		want                 int
	}{
		{"its own query", query, q, "", http.StatusBadRequest}, // allowed: then refused for the missing parameter
		{"its own query from its referer", query, q, "https://maps.example.com", http.StatusBadRequest},
		{"another query", query, "SELECT name FROM cities", "", http.StatusForbidden},
		{"the same query with other spacing", query, strings.Replace(q, " ", "  ", 1), "", http.StatusForbidden},
		{"another referer", query, q, "https://evil.example", http.StatusForbidden},
		{"a maps token on the SQL API", maps, q, "", http.StatusForbidden},
		{"a table under its wildcard", table, "SELECT name FROM sandbox.shared.cities", "", http.StatusOK},
		{"a table outside its wildcard", table, "SELECT name FROM other.shared.cities", "", http.StatusForbidden},
		{"no table at all", table, "SELECT 1 AS one", "", http.StatusForbidden},
		{"everything", all, "SELECT 1 AS one", "", http.StatusOK},
		{"an unknown token", apiTokenPrefix + "nope", q, "", http.StatusUnauthorized},
	}
	for _, c := range cases {
		if got := sqlAs(t, s, c.tok, c.q, c.origin); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
	clock.advance(time.Hour)
	if got := sqlAs(t, s, query, q, ""); got != http.StatusUnauthorized {
		t.Errorf("after its expiry: status %d, want 401", got)
	}
	if got := sqlAs(t, s, all, "SELECT 1 AS one", ""); got != http.StatusOK {
		t.Errorf("a token without expiry an hour later: status %d, want 200", got)
	}
}

func TestTheTokensAPINeedsAnOAuthToken(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	api := mustToken(t, s, `{"grants":[{"connection_name":"carto_dw","source":"*"}],"allowed_apis":["sql"]}`)
	if r := createToken(t, s, api, `{"grants":[{"connection_name":"carto_dw","source":"*"}],"allowed_apis":["sql"]}`); r.status != http.StatusForbidden {
		t.Errorf("an API token creating a token: %d %s, want 403", r.status, r.body)
	}
	if r := get(t, s.URL+"/v3/connections/carto-dw/token", api); r.status != http.StatusForbidden {
		t.Errorf("an API token on the DW token endpoint: %d, want 403", r.status)
	}
	if r := get(t, s.URL+"/v3/tokens", "sbx_at_unknown"); r.status != http.StatusUnauthorized {
		t.Errorf("an unknown token listing: %d, want 401", r.status)
	}
	for _, body := range []string{
		`{"grants":[],"allowed_apis":["sql"]}`,
		`{"grants":[{"connection_name":"carto_dw","source":"*"}],"allowed_apis":[]}`,
		`{"grants":[{"connection_name":"carto_dw","source":"*"}],"allowed_apis":["sql"],"expiration_date":"2001-01-01T00:00:00Z"}`,
		`{"grants":[{"connection_name":"carto_dw","source":"*"}],"allowed_apis":["sql"],"referers":["not an origin"]}`,
		`{"grants":[{"connection_name":"carto_dw","source":"*"}],"allowed_apis":["sql"],"expires":"soon"}`,
	} {
		if r := createToken(t, s, s.NewAccessToken(), body); r.status != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", body, r.status, r.body)
		}
	}
}

func TestAPITokensAreListedAndDeletedByTheirOwnerOnly(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	owner := s.NewAccessToken()
	r := createToken(t, s, owner, `{"grants":[{"connection_name":"carto_dw","source":"*"}],"allowed_apis":["sql"]}`)
	tok := r.str("token")
	list := get(t, s.URL+"/v3/tokens", owner)
	if list.status != http.StatusOK || !strings.Contains(list.body, tok) {
		t.Fatalf("list: %d %s", list.status, list.body)
	}
	// An M2M client is another caller: it neither sees nor deletes the token.
	id, secret := s.AddM2MClient()
	other := postForm(t, s.TokenURL(), url.Values{"grant_type": {"client_credentials"}, "client_id": {id},
		"client_secret": {secret}, "audience": {Audience}}).str("access_token")
	if l := get(t, s.URL+"/v3/tokens", other); strings.Contains(l.body, tok) {
		t.Errorf("another caller lists the token")
	}
	if d := deleteToken(t, s, other, tok); d != http.StatusNotFound {
		t.Errorf("another caller deleting: %d, want 404", d)
	}
	if d := deleteToken(t, s, owner, tok); d != http.StatusNoContent {
		t.Errorf("the owner deleting: %d, want 204", d)
	}
	if got := sqlAs(t, s, tok, "SELECT 1 AS one", ""); got != http.StatusUnauthorized {
		t.Errorf("a deleted token: %d, want 401", got)
	}
}

func deleteToken(t *testing.T, s *Server, bearer, tok string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodDelete, s.URL+"/v3/tokens/"+tok, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+bearer)
	return do(t, req).status
}

// TestTheLogNamesNoToken: the request log leaves out a token in the Tokens API's path.
func TestTheLogNamesNoToken(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var log strings.Builder
	s := newTestServer(t, Config{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(&log, format+"\n", args...)
	}})
	tok := mustToken(t, s, `{"grants":[{"connection_name":"carto_dw","source":"*"}],"allowed_apis":["sql"]}`)
	get(t, s.URL+"/v3/tokens/"+tok, s.NewAccessToken())
	deleteToken(t, s, s.NewAccessToken(), tok)
	mu.Lock()
	defer mu.Unlock()
	if strings.Contains(log.String(), tok) || !strings.Contains(log.String(), "/v3/tokens/(token)") {
		t.Errorf("the log: %s", log.String())
	}
}
