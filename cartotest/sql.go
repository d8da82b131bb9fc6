package cartotest

import (
	"encoding/json"
	"mime"
	"net/http"
	"sort"
	"strings"
)

// column is one entry of a SQL API result schema.
type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// sqlResult is a canned answer in CARTO's v3 SQL API shape.
type sqlResult struct {
	Rows   []map[string]any `json:"rows"`
	Schema []column         `json:"schema"`
	Meta   map[string]any   `json:"meta"`
}

// cannedQueries maps normalized SQL (see normalizeSQL) to its answer.
func cannedQueries() map[string]func() sqlResult {
	cities := func() sqlResult {
		res := sqlResult{Schema: []column{{"name", "string"}, {"country", "string"},
			{"population", "number"}, {"lat", "number"}, {"lon", "number"}}}
		for _, c := range BigQueryCities() { // one table for the SQL API and BigQuery
			res.Rows = append(res.Rows, map[string]any{"name": c.Name, "country": c.Country,
				"population": c.Population, "lat": c.Lat, "lon": c.Lon})
		}
		return res
	}
	return map[string]func() sqlResult{
		"select 1": func() sqlResult {
			return sqlResult{Rows: []map[string]any{{"f0_": 1}}, Schema: []column{{"f0_", "number"}}}
		},
		"select * from cities": cities,
		"select name, country, population, lat, lon from cities": cities,
		"select count(*) as n from cities": func() sqlResult {
			return sqlResult{Rows: []map[string]any{{"n": len(BigQueryCities())}}, Schema: []column{{"n", "number"}}}
		},
	}
}

// CannedQueries lists the SQL statements the SQL API answers, in normalized form.
func CannedQueries() []string {
	var qs []string
	for q := range cannedQueries() {
		qs = append(qs, q)
	}
	sort.Strings(qs)
	return qs
}

// normalizeSQL lower-cases q, collapses white space and drops a trailing semicolon.
func normalizeSQL(q string) string {
	q = strings.Join(strings.Fields(strings.ToLower(q)), " ")
	return strings.TrimSpace(strings.TrimSuffix(q, ";"))
}

// handleSQL is a small v3 SQL API: GET ?q=<sql>, or POST a JSON body {"q": "<sql>"}.
func (s *Server) handleSQL(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r) {
		return
	}
	fail := func(status int, msg string) {
		writeJSON(w, status, map[string]any{"error": msg, "status": status})
	}
	conn := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v3/sql/"), "/query")
	if conn != SQLConnection {
		fail(http.StatusNotFound, "Connection not found: "+conn+" (the sandbox knows only "+SQLConnection+")")
		return
	}
	q := r.URL.Query().Get("q")
	if r.Method == http.MethodPost {
		var body struct {
			Q string `json:"q"`
		}
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "application/json" ||
			json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body) != nil {
			fail(http.StatusBadRequest, `POST needs a JSON body {"q": "<sql>"}`)
			return
		}
		q = body.Q
	}
	if strings.TrimSpace(q) == "" {
		fail(http.StatusBadRequest, "Missing required parameter: q")
		return
	}
	answer, ok := cannedQueries()[normalizeSQL(q)]
	if !ok {
		fail(http.StatusBadRequest, "Query not supported by the sandbox; supported: "+
			strings.Join(CannedQueries(), "; "))
		return
	}
	res := answer()
	res.Meta = map[string]any{"cacheHit": false, "location": "US", "totalBytesProcessed": "0"}
	writeJSON(w, http.StatusOK, res)
}
