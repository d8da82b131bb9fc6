package cartotest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// sqlGet runs q with queryParameters params ("" for none) as a GET, with CARTO's client's
// extra parameters.
func sqlGet(t *testing.T, s *Server, tok, conn, q, params string) response {
	t.Helper()
	v := url.Values{"q": {q}, "client": {"deck-gl-carto"}, "v": {"3.4"}}
	if params != "" {
		v.Set("queryParameters", params)
	}
	return get(t, s.URL+"/v3/sql/"+conn+"/query?"+v.Encode(), tok)
}

// sqlPost posts body to the SQL API with contentType.
func sqlPost(t *testing.T, s *Server, tok, contentType, body string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL+"/v3/sql/"+SQLConnection+"/query?client=carto-auth-go", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+tok)
	return do(t, req)
}

// sqlBody is an answer of the SQL API, decoded with numbers as they are written.
type sqlBody struct {
	Schema []column         `json:"schema"`
	Rows   []map[string]any `json:"rows"`
	Meta   map[string]any   `json:"meta"`
}

func decodeSQLBody(t *testing.T, r response) sqlBody {
	t.Helper()
	var b sqlBody
	dec := json.NewDecoder(strings.NewReader(r.body))
	dec.UseNumber()
	if r.status != http.StatusOK || dec.Decode(&b) != nil {
		t.Fatalf("want an answer: %d %s", r.status, r.body)
	}
	return b
}

func TestSQLAnswerShape(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	r := sqlGet(t, s, s.NewAccessToken(), SQLConnection, "SELECT name, population AS people, lat FROM cities WHERE name = @n", `{"n":"Madrid"}`)
	if !strings.HasPrefix(r.body, `{"schema":[{"name":"name","type":"STRING"},{"name":"people","type":"INT64"},{"name":"lat","type":"FLOAT64"}],"rows":[`) ||
		!strings.Contains(r.body, `"rows":[{"name":"Madrid","people":3223334,"lat":40.4168}]`) ||
		!strings.Contains(r.body, `],"meta":{"cacheHit":false,"location":"US","totalBytesProcessed":"`) ||
		r.header.Get("Content-Type") != "application/json" {
		t.Errorf("answer %s (%s), want the schema first, rows in its order, and meta", r.body, r.header.Get("Content-Type"))
	}
	bytesText, _ := decodeSQLBody(t, r).Meta["totalBytesProcessed"].(string)
	if n, err := strconv.Atoi(bytesText); err != nil || n <= 0 {
		t.Errorf("totalBytesProcessed %v, want a positive number in a string", decodeSQLBody(t, r).Meta)
	}
	b := decodeSQLBody(t, sqlGet(t, s, s.NewAccessToken(), SQLConnection,
		"SELECT 9007199254740993 AS big, 9007199254740992 AS edge, -9007199254740993 AS neg, -9007199254740992 AS negedge", ""))
	want := map[string]any{"big": "9007199254740993", "edge": json.Number("9007199254740992"),
		"neg": "-9007199254740993", "negedge": json.Number("-9007199254740992")}
	if len(b.Rows) != 1 || !reflect.DeepEqual(b.Rows[0], want) || b.Schema[0].Type != "INT64" {
		t.Errorf("INT64 beyond ±2^53 as strings: %v %v", b.Schema, b.Rows)
	}
	if n := s.Count(EndpointSQL); n != 2 {
		t.Errorf("Count(sql) = %d, want 2", n)
	}
}

func TestSQLGetAndPostWithParameters(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	const named = "SELECT name FROM cities WHERE population >= @min ORDER BY name"
	const positional = "SELECT name FROM cities WHERE population >= ? ORDER BY name"
	for _, tt := range []struct {
		r    response
		want int
	}{
		{sqlGet(t, s, tok, SQLConnection, named, `{"min": 12330000}`), 3},
		{sqlGet(t, s, tok, SQLConnection, named, `{"min": 8336817}`), 4},
		{sqlGet(t, s, tok, SQLConnection, positional, `[15388000]`), 1},
		{sqlPost(t, s, tok, "application/json", `{"q": "`+named+`", "queryParameters": {"min": 13960000}}`), 2},
		{sqlPost(t, s, tok, "application/json; charset=utf-8", `{"q": "`+positional+`", "queryParameters": [1], "extra": 1}`), len(BigQueryCities()) + 1},
		{sqlPost(t, s, tok, "application/json", `{"q": "`+named+`", "queryParameters": null}`), -1},
	} {
		if tt.want < 0 {
			if tt.r.status != http.StatusBadRequest || !strings.Contains(tt.r.str("error"), "@min") {
				t.Errorf("a missing parameter: %d %s", tt.r.status, tt.r.body)
			}
			continue
		}
		if b := decodeSQLBody(t, tt.r); len(b.Rows) != tt.want {
			t.Errorf("%d rows, want %d: %s", len(b.Rows), tt.want, tt.r.body)
		}
	}
}

func TestSQLErrorAnswers(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	tests := []struct {
		name   string
		r      response
		status int
		want   string
	}{
		{"a statement outside the subset", sqlGet(t, s, tok, SQLConnection, "SELECT name FROM cities JOIN features ON 1 = 1", ""), 400, "JOIN"},
		{"DML", sqlPost(t, s, tok, "application/json", `{"q": "UPDATE cities SET name = 'x'"}`), 400, "only SELECT"},
		{"no q", sqlGet(t, s, tok, SQLConnection, " ", ""), 400, "Missing required parameter: q"},
		{"bad queryParameters", sqlGet(t, s, tok, SQLConnection, "SELECT @a", "{a:1}"), 400, "queryParameters is not JSON"},
		{"a form body", sqlPost(t, s, tok, "application/x-www-form-urlencoded", "q=SELECT+2"), 400, "JSON body"},
		{"a broken JSON body", sqlPost(t, s, tok, "application/json", `{"q": `), 400, "JSON body"},
		{"another connection", sqlGet(t, s, tok, "bigquery", "SELECT 'x'", ""), 404, "Connection not found: bigquery"},
		{"no token", sqlGet(t, s, "", SQLConnection, "SELECT 'x'", ""), 401, "Unauthorized"},
		{"an unknown token", sqlGet(t, s, "sbx_at_nope", SQLConnection, "SELECT 'x'", ""), 401, "Unauthorized"},
	}
	for _, tt := range tests {
		if tt.r.status != tt.status || !strings.Contains(tt.r.str("error"), tt.want) ||
			tt.r.json["status"] != float64(tt.status) || len(tt.r.json) != 2 {
			t.Errorf("%s: %d %s, want %d {\"error\": …%s…, \"status\": %d}", tt.name, tt.r.status, tt.r.body, tt.status, tt.want, tt.status)
		}
	}
	s.ExpireAccessTokens()
	if r := sqlGet(t, s, tok, SQLConnection, "SELECT 'x'", ""); r.status != http.StatusUnauthorized {
		t.Errorf("an expired token: %d %s", r.status, r.body)
	}
}

// TestSQLSendsMarkupAsItIs: the payload row and column come back verbatim, not HTML-escaped
// (CARTO's API does not escape; whatever shows the values must).
func TestSQLSendsMarkupAsItIs(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	r := sqlGet(t, s, s.NewAccessToken(), SQLConnection, "SELECT * FROM cities WHERE country = 'Nowhere'", "")
	b := decodeSQLBody(t, r)
	if len(b.Rows) != 1 || b.Rows[0]["name"] != PayloadName || b.Rows[0][PayloadColumn] != PayloadNote ||
		b.Schema[6] != (column{PayloadColumn, "STRING"}) {
		t.Fatalf("want the payload row and column: %s", r.body)
	}
	for _, raw := range []string{"<script>window.__cartoPayload='row'</script>", `<img src=x onerror=\"window.__cartoPayload='column'\">`} {
		if !strings.Contains(r.body, raw) {
			t.Errorf("the answer lacks %s as it is: %s", raw, r.body)
		}
	}
	if bytes.Contains([]byte(r.body), []byte(`\u003c`)) {
		t.Errorf("the answer escapes markup: %s", r.body)
	}
}
