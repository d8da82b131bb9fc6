package cartotest

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"
)

// handleSQL is the v3 SQL API on the built-in tables (see runSQL for the SQL it runs):
// GET ?q=<sql>[&queryParameters=<JSON>], or POST a JSON body {"q": "<sql>", "queryParameters":
// <JSON>}; other parameters (client, v) are ignored. A missing, unknown or expired token is a
// 401, an API access token whose grant does not cover the query a 403 (see dataAccess), an
// unknown connection a 404, a statement outside the subset a 400; each error's body is
// {"error": "<message>", "status": <status>}.
func (s *Server) handleSQL(w http.ResponseWriter, r *http.Request) {
	fail := func(status int, msg string) { apiError(w, status, msg) }
	conn := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/v3/sql/"), "/query")
	q, params, ok := sqlRequest(w, r)
	if !s.dataAccess(w, r, dataRequest{api: "sql", connection: conn, source: q, tables: sqlTablesRead(q)}) {
		return
	}
	if conn != SQLConnection {
		fail(http.StatusNotFound, "Connection not found: "+conn+" (the sandbox knows only "+SQLConnection+")")
		return
	}
	if !ok {
		fail(http.StatusBadRequest, `POST needs a JSON body {"q": "<sql>", "queryParameters": <object or array>}`)
		return
	}
	if strings.TrimSpace(q) == "" {
		fail(http.StatusBadRequest, "Missing required parameter: q")
		return
	}
	ps, err := decodeSQLParams(params)
	var ans *sqlAnswer
	if err == nil {
		ans, err = runSQL(q, ps)
	}
	if err != nil { // a *sqlError: the statement's or the parameters' fault
		fail(http.StatusBadRequest, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(ans.encode())
}

// sqlRequest reads a query's SQL and its queryParameters (JSON text, nil without) from the
// URL of a GET or the JSON body of a POST; ok is false for a POST without such a body.
func sqlRequest(w http.ResponseWriter, r *http.Request) (q string, params []byte, ok bool) {
	if r.Method != http.MethodPost {
		return r.URL.Query().Get("q"), []byte(r.URL.Query().Get("queryParameters")), true
	}
	var body struct {
		Q      string          `json:"q"`
		Params json.RawMessage `json:"queryParameters"`
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" ||
		json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body) != nil {
		return "", nil, false
	}
	return body.Q, body.Params, true
}

// sqlTablesRead is the tables a query reads, as written (nil when it reads none or does not
// parse).
func sqlTablesRead(sql string) []string {
	if q, err := parseSQL(sql); err == nil && q.from != "" {
		return []string{q.from}
	}
	return nil
}
