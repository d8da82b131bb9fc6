package cartotest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// mapsURLs are the three requests of a source: its instantiation, TileJSON and a tile,
// built by hand (as a page could) rather than taken from the answers.
func mapsURLs(s *Server, kind, source string) []string {
	inst := instantiate(s, kind, source, nil)
	return []string{
		inst,
		strings.Replace(inst, "/"+kind+"?", "/"+kind+"/tilejson?", 1),
		strings.Replace(inst, "/"+kind+"?", "/"+kind+"/0/0/0?formatTiles=mvt&", 1),
	}
}

// mapsStatuses sends the three requests of a source with tok from origin.
func mapsStatuses(t *testing.T, s *Server, tok, kind, source, origin string) []int {
	t.Helper()
	var out []int
	for _, u := range mapsURLs(s, kind, source) {
		out = append(out, mapsDo(t, http.MethodGet, u, tok, origin, "").status)
	}
	return out
}

func TestMapsEnforcesTheTokensGrantOnEachRequest(t *testing.T) {
	t.Parallel()
	s, clock := newClockServer(t, Config{})
	const qa = "SELECT name, geom FROM cities WHERE population > 10000000"
	const qb = "SELECT name, geom FROM cities"
	exp := clock.now().Add(time.Hour).Format(time.RFC3339)
	grant := func(src, apis, extra string) string {
		return mustToken(t, s, `{"grants":[{"connection_name":"carto_dw","source":"`+src+`"}],"allowed_apis":[`+apis+`]`+extra+`}`)
	}
	mapsA := grant(qa, `"maps"`, `,"referers":["http://127.0.0.1:8888"],"expiration_date":"`+exp+`"`)
	sqlA := grant(qa, `"sql"`, "")
	table := grant("sandbox.demo.cities", `"maps"`, "")
	const ok, forbidden, unauthorized = http.StatusOK, http.StatusForbidden, http.StatusUnauthorized
	cases := []struct {
		name, tok, kind, source, origin string
		want                            int
	}{
		{"its query", mapsA, "query", qa, "", ok},
		{"its query from its referer", mapsA, "query", qa, "http://127.0.0.1:8888", ok},
		{"its query from another page", mapsA, "query", qa, "http://127.0.0.1:9999", forbidden},
		{"another query", mapsA, "query", qb, "", forbidden},
		{"its query's table", mapsA, "table", "cities", "", forbidden},
		{"a sql token", sqlA, "query", qa, "", forbidden},
		{"a table grant, for the table", table, "table", "sandbox.demo.cities", "", ok},
		{"a table grant, for a query of the table", table, "query", "SELECT name, geom FROM sandbox.demo.cities", "", ok},
		{"a table grant, for another table", table, "table", "sandbox.demo.regions", "", forbidden},
		{"an OAuth token", s.NewAccessToken(), "query", qb, "", ok},
		{"an unknown token", apiTokenPrefix + "nope", "query", qa, "", unauthorized},
		{"no token", "", "query", qa, "", unauthorized},
	}
	for _, c := range cases {
		for i, got := range mapsStatuses(t, s, c.tok, c.kind, c.source, c.origin) {
			if got != c.want {
				t.Errorf("%s: request %d of 3: status %d, want %d", c.name, i+1, got, c.want)
			}
		}
	}
	if got := sqlAs(t, s, mapsA, qa, ""); got != forbidden {
		t.Errorf("a maps token on the SQL API: status %d, want 403", got)
	}
	clock.advance(time.Hour)
	for i, got := range mapsStatuses(t, s, mapsA, "query", qa, "") {
		if got != unauthorized {
			t.Errorf("after its expiry: request %d of 3: status %d, want 401", i+1, got)
		}
	}
}

func TestMapsAndSQLAnswerCORS(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	const page = "http://127.0.0.1:8888"
	urls := append(mapsURLs(s, "query", "SELECT name, geom FROM cities"),
		s.URL+"/v3/sql/"+SQLConnection+"/query?"+url.Values{"q": {"SELECT 1 AS one"}}.Encode())
	for _, u := range urls {
		req, err := http.NewRequest(http.MethodOptions, u, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Origin", page)
		req.Header.Set("Access-Control-Request-Method", "GET")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
		r := do(t, req)
		h := r.header
		if r.status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != page ||
			h.Get("Access-Control-Allow-Methods") != "GET, POST, OPTIONS" ||
			h.Get("Access-Control-Allow-Headers") != "Authorization, Content-Type" || h.Get("Access-Control-Max-Age") == "" {
			t.Errorf("preflight of %s: %d %v", u, r.status, h)
		}
		req.Header.Del("Origin")
		if r := do(t, req); r.status != http.StatusForbidden || r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("preflight without an origin: %d %v", r.status, r.header)
		}
		for _, c := range []struct {
			tok  string
			want int
		}{{tok, http.StatusOK}, {"", http.StatusUnauthorized}, {mustToken(t, s, `{"grants":[{"connection_name":"carto_dw","source":"x"}],"allowed_apis":["sql","maps"]}`), http.StatusForbidden}} {
			r := mapsDo(t, http.MethodGet, u, c.tok, page, "")
			if r.status != c.want || r.header.Get("Access-Control-Allow-Origin") != page {
				t.Errorf("GET %s from the page: %d, Access-Control-Allow-Origin %q; want %d and the page", u, r.status, r.header.Get("Access-Control-Allow-Origin"), c.want)
			}
		}
		if r := mapsDo(t, http.MethodGet, u, tok, "file://", ""); r.header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("GET %s from file://: Access-Control-Allow-Origin %q", u, r.header.Get("Access-Control-Allow-Origin"))
		}
	}
	if n := s.Count(EndpointMaps); n != 4 {
		t.Errorf("Count(maps) = %d, want 4 (preflights are not counted)", n)
	}
}
