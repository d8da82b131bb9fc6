package cartotest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// bqCall sends one request to a BigQuery stand-in mounted under
// BigQueryPathPrefix and decodes the JSON answer.
func bqCall(t *testing.T, srv *httptest.Server, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+BigQueryPathPrefix+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode, v
}

func newBQServer(t *testing.T) (*BigQuery, *httptest.Server) {
	t.Helper()
	bq := NewBigQuery(func(tok string) bool { return tok == "good" })
	bq.SetProject("carto-dw-ac-test")
	mux := http.NewServeMux()
	mux.Handle(BigQueryPathPrefix+"/", http.StripPrefix(BigQueryPathPrefix, bq.Handler()))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return bq, srv
}

// googleErr returns the code, reason and message of a Google error body.
func googleErr(v map[string]any) (code float64, reason, message string) {
	e, _ := v["error"].(map[string]any)
	code, _ = e["code"].(float64)
	message, _ = e["message"].(string)
	if errs, _ := e["errors"].([]any); len(errs) > 0 {
		reason, _ = errs[0].(map[string]any)["reason"].(string)
	}
	return code, reason, message
}

func TestBigQueryStandInErrors(t *testing.T) {
	t.Parallel()
	bq, srv := newBQServer(t)
	q := `{"query":"SELECT * FROM cities","useLegacySql":false}`
	tests := []struct {
		name, method, path, token, body string
		status                          int
		reason, message                 string
	}{
		{"no token", "POST", "/projects/carto-dw-ac-test/queries", "", q, 401, "authError", "invalid authentication credentials"},
		{"bad token", "POST", "/projects/carto-dw-ac-test/queries", "stale", q, 401, "authError", "invalid authentication credentials"},
		{"other project", "POST", "/projects/someone-else/queries", "good", q, 404, "notFound", "Not found: Project someone-else"},
		{"bad SQL", "POST", "/projects/carto-dw-ac-test/queries", "good", `{"query":"DROP TABLE cities","useLegacySql":false}`, 400, "invalidQuery", "only understands"},
		{"unknown column", "POST", "/projects/carto-dw-ac-test/queries", "good", `{"query":"SELECT x FROM cities","useLegacySql":false}`, 400, "invalidQuery", "Unrecognized name: x"},
		{"legacy SQL", "POST", "/projects/carto-dw-ac-test/queries", "good", `{"query":"SELECT * FROM cities"}`, 400, "invalidQuery", "GoogleSQL"},
		{"unknown job", "GET", "/projects/carto-dw-ac-test/queries/nope", "good", "", 404, "notFound", "Not found: Job"},
		{"unknown path", "GET", "/projects/carto-dw-ac-test/datasets", "good", "", 404, "notFound", "does not serve"},
	}
	for _, tt := range tests {
		status, v := bqCall(t, srv, tt.method, tt.path, tt.token, tt.body)
		code, reason, msg := googleErr(v)
		if status != tt.status || int(code) != tt.status || reason != tt.reason || !strings.Contains(msg, tt.message) {
			t.Errorf("%s: %d %v %q %q, want %d %q containing %q", tt.name, status, code, reason, msg, tt.status, tt.reason, tt.message)
		}
	}
	if n := bq.Count("unauthorized"); n != 2 {
		t.Errorf("Count(unauthorized) = %d, want 2", n)
	}
	bq.FailNext(http.StatusServiceUnavailable, "backendError", "try again")
	if status, v := bqCall(t, srv, "POST", "/projects/carto-dw-ac-test/queries", "good", q); status != 503 {
		t.Errorf("FailNext: %d %v, want 503", status, v)
	}
	if status, _ := bqCall(t, srv, "POST", "/projects/carto-dw-ac-test/queries", "good", q); status != 200 {
		t.Errorf("after FailNext was used up: %d, want 200", status)
	}
}

func TestBigQueryStandInPagesAndPolls(t *testing.T) {
	t.Parallel()
	bq, srv := newBQServer(t)
	bq.SetPageSize(4)
	bq.SetPendingPolls(1)
	_, v := bqCall(t, srv, "POST", "/projects/carto-dw-ac-test/queries", "good",
		`{"query":"select name, population from cities limit 5","useLegacySql":false}`)
	if v["jobComplete"] != false || v["rows"] != nil {
		t.Fatalf("first answer with one pending poll: %v, want jobComplete=false and no rows", v)
	}
	job := v["jobReference"].(map[string]any)["jobId"].(string)
	path := "/projects/carto-dw-ac-test/queries/" + job
	_, v = bqCall(t, srv, "GET", path+"?maxResults=0", "good", "")
	if v["jobComplete"] != true || len(v["rows"].([]any)) != 0 || v["totalRows"] != "5" {
		t.Fatalf("status poll: %v, want complete, no rows, totalRows 5", v)
	}
	_, v = bqCall(t, srv, "GET", path+"?startIndex=0", "good", "")
	if rows := v["rows"].([]any); len(rows) != 4 || v["pageToken"] != "4" {
		t.Fatalf("first page: %d rows, token %v; want 4 rows and token 4", len(rows), v["pageToken"])
	}
	_, v = bqCall(t, srv, "GET", path+"?pageToken=4", "good", "")
	rows := v["rows"].([]any)
	if len(rows) != 1 || v["pageToken"] != nil {
		t.Fatalf("last page: %v, want 1 row and no token", v)
	}
	f := rows[0].(map[string]any)["f"].([]any)
	if len(f) != 2 || f[0].(map[string]any)["v"] != "Lagos" || f[1].(map[string]any)["v"] != "15388000" {
		t.Errorf("row 5 = %v, want Lagos, 15388000", f)
	}
	fields := v["schema"].(map[string]any)["fields"].([]any)
	if len(fields) != 2 || fields[1].(map[string]any)["type"] != "INTEGER" {
		t.Errorf("schema = %v, want name STRING, population INTEGER", fields)
	}
	_, v = bqCall(t, srv, "GET", "/projects/carto-dw-ac-test/jobs/"+job, "good", "")
	if v["status"].(map[string]any)["state"] != "DONE" {
		t.Errorf("jobs.get: %v, want state DONE", v)
	}
	if bq.Count("jobs.query") != 1 || bq.Count("jobs.getQueryResults") != 3 || bq.Count("jobs.get") != 1 {
		t.Errorf("counts: query %d, getQueryResults %d, get %d; want 1, 3, 1",
			bq.Count("jobs.query"), bq.Count("jobs.getQueryResults"), bq.Count("jobs.get"))
	}
}
