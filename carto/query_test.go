package carto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// sqlAPI is an SQL API origin for one test: answer decides each answer; it records what came.
type sqlAPI struct {
	*httptest.Server
	mu     sync.Mutex
	seen   []seenQuery
	answer func(w http.ResponseWriter, q seenQuery, n int)
}

// seenQuery is one request the SQL API got.
type seenQuery struct {
	method, path, token, client string
	q                           string
	params                      json.RawMessage
}

func newSQLAPI(t *testing.T, answer func(w http.ResponseWriter, q seenQuery, n int)) *sqlAPI {
	t.Helper()
	api := &sqlAPI{answer: answer}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := seenQuery{method: r.Method, path: r.URL.Path, token: strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "),
			client: r.URL.Query().Get("client")}
		if r.Method == http.MethodPost {
			var body struct {
				Q      string          `json:"q"`
				Params json.RawMessage `json:"queryParameters"`
			}
			b, _ := io.ReadAll(r.Body)
			json.Unmarshal(b, &body)
			q.q, q.params = body.Q, body.Params
		} else {
			q.q, q.params = r.URL.Query().Get("q"), json.RawMessage(r.URL.Query().Get("queryParameters"))
		}
		api.mu.Lock()
		api.seen = append(api.seen, q)
		n := len(api.seen)
		api.mu.Unlock()
		api.answer(w, q, n)
	}))
	t.Cleanup(api.Close)
	return api
}

func (api *sqlAPI) requests() []seenQuery {
	api.mu.Lock()
	defer api.mu.Unlock()
	return slices.Clone(api.seen)
}

// queryAuth is an M2M login at a stand-in whose API base URL is api's.
func queryAuth(t *testing.T, api *sqlAPI) (*cartotest.Server, *Auth) {
	t.Helper()
	srv := standIn(t, cartotest.Config{})
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{APIBaseURL: api.URL,
		Common: Common{AuthServer: srv.URL, NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	return srv, a
}

func answerJSON(body string) func(http.ResponseWriter, seenQuery, int) {
	return func(w http.ResponseWriter, _ seenQuery, _ int) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}
}

// TestQueryTypesValuesBySchema: each warehouse type arrives as its Go type, an INT64 beyond
// 2^53 exactly (as a number and as a string), and rows that come before the schema too.
func TestQueryTypesValuesBySchema(t *testing.T) {
	t.Parallel()
	const schema = `[{"name":"id","type":"INT64"},{"name":"big","type":"INT64"},{"name":"x","type":"FLOAT64"},
		{"name":"ok","type":"BOOL"},{"name":"name","type":"STRING"},{"name":"at","type":"TIMESTAMP"},
		{"name":"day","type":"DATE"},{"name":"geom","type":"GEOGRAPHY"},{"name":"shape","type":"GEOGRAPHY"},{"name":"n","type":"NUMERIC"}]`
	const row1 = `{"id":1,"big":9007199254740993,"x":1.5,"ok":true,"name":"Madrid","at":"2026-12-07T14:33:49.123456Z",
		"day":"2026-12-07","geom":"POINT(-3.7 40.4)","shape":{"type":"Point","coordinates":[1,2]},"n":"12.50"}`
	const row2 = `{"id":"2","big":"-9007199254740993","x":"NaN","ok":"false","name":"","at":"2026-12-07 14:33:49 UTC",
		"day":null,"geom":null,"shape":null,"n":null}`
	for name, body := range map[string]string{
		"schema first": `{"schema":` + schema + `,"rows":[` + row1 + `,` + row2 + `],"meta":{"cacheHit":true,"location":"US"}}`,
		"rows first":   `{"rows":[` + row1 + `,` + row2 + `],"meta":{"cacheHit":true,"location":"US"},"schema":` + schema + `}`,
	} {
		api := newSQLAPI(t, answerJSON(body))
		_, a := queryAuth(t, api)
		res, err := a.Query(context.Background(), "carto_dw", "SELECT 1", nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(res.Rows) != 2 || len(res.Schema) != 10 || !res.Meta.CacheHit || res.Meta.Location != "US" {
			t.Fatalf("%s: %d rows, %d columns, meta %+v", name, len(res.Rows), len(res.Schema), res.Meta)
		}
		r1, r2 := res.Rows[0], res.Rows[1]
		at := time.Date(2026, 12, 7, 14, 33, 49, 123456000, time.UTC)
		for col, want := range map[string]any{"id": int64(1), "big": int64(9007199254740993), "x": 1.5, "ok": true, "name": "Madrid",
			"at": at, "day": time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), "geom": "POINT(-3.7 40.4)", "n": "12.50"} {
			if got := r1[col]; fmt.Sprintf("%T %v", got, got) != fmt.Sprintf("%T %v", want, want) {
				t.Errorf("%s: %s = %T %v, want %T %v", name, col, got, got, want, want)
			}
		}
		if shape, ok := r1["shape"].(map[string]any); !ok || shape["type"] != "Point" {
			t.Errorf("%s: a GEOGRAPHY object: %#v", name, r1["shape"])
		}
		if r2["id"] != int64(2) || r2["big"] != int64(-9007199254740993) || r2["ok"] != false || r2["day"] != nil || r2["geom"] != nil {
			t.Errorf("%s: the second row %#v", name, r2)
		}
		if at2, _ := r2["at"].(time.Time); !at2.Equal(time.Date(2026, 12, 7, 14, 33, 49, 0, time.UTC)) {
			t.Errorf("%s: a TIMESTAMP with a space and UTC: %v", name, r2["at"])
		}
	}
}

// TestQueryRefusesValuesOfTheWrongType: a value its schema type cannot hold is an error that
// names the row and column, never a silent zero.
func TestQueryRefusesValuesOfTheWrongType(t *testing.T) {
	t.Parallel()
	good := map[string]string{"INT64": `1`, "BOOL": `true`, "STRING": `"s"`, "TIMESTAMP": `"2026-12-07T00:00:00Z"`, "DATE": `"2026-12-07"`}
	for _, c := range []struct{ typ, value string }{
		{"INT64", `1.5`}, {"INT64", `"12abc"`}, {"INT64", `1e3`}, {"INT64", `"9223372036854775808"`},
		{"BOOL", `"yes please"`}, {"STRING", `12`}, {"TIMESTAMP", `"yesterday"`}, {"DATE", `"07/12/2026"`},
	} {
		api := newSQLAPI(t, answerJSON(`{"schema":[{"name":"v","type":"`+c.typ+`"}],"rows":[{"v":`+good[c.typ]+`},{"v":`+c.value+`}]}`))
		_, a := queryAuth(t, api)
		_, err := a.Query(context.Background(), "carto_dw", "SELECT v", nil)
		if err == nil || !strings.Contains(err.Error(), "row 2") || !strings.Contains(err.Error(), `column "v"`) {
			t.Errorf("%s %s: %v", c.typ, c.value, err)
		}
	}
}

// TestQueryMethodAndParameters: POST by default (never cached), GET with Cache until the URL
// would pass 7,000 characters, named parameters as an object and positional ones as an array.
func TestQueryMethodAndParameters(t *testing.T) {
	t.Parallel()
	api := newSQLAPI(t, answerJSON(`{"schema":[],"rows":[]}`))
	_, a := queryAuth(t, api)
	ctx := context.Background()
	long := "SELECT '" + strings.Repeat("x", 7000) + "'"
	runs := []struct {
		sql    string
		opts   *QueryOptions
		method string
		params string
	}{
		{"SELECT @a", &QueryOptions{Params: map[string]any{"a": 3}}, "POST", `{"a":3}`},
		{"SELECT ?", &QueryOptions{Positional: []any{"x", 2}}, "POST", `["x",2]`},
		{"SELECT @a", &QueryOptions{Cache: true, Params: map[string]any{"a": "é&x"}}, "GET", `{"a":"é&x"}`},
		{long, &QueryOptions{Cache: true}, "POST", ``},
		{"SELECT 1", nil, "POST", ``},
	}
	for _, r := range runs {
		if _, err := a.Query(ctx, "my conn", r.sql, r.opts); err != nil {
			t.Fatalf("%.20s: %v", r.sql, err)
		}
	}
	for i, got := range api.requests() {
		r := runs[i]
		if got.method != r.method || got.q != r.sql || string(got.params) != r.params || got.path != "/v3/sql/my conn/query" || got.client == "" {
			t.Errorf("query %d: %s %s q=%.20q params=%s client=%q; want %s params=%s", i, got.method, got.path, got.q, got.params, got.client, r.method, r.params)
		}
	}
	if _, err := a.Query(ctx, "c", "SELECT 1", &QueryOptions{Params: map[string]any{}, Positional: []any{}}); err == nil {
		t.Error("named and positional parameters together were accepted")
	}
	if n := len(api.requests()); n != len(runs) {
		t.Errorf("%d requests, want %d", n, len(runs))
	}
}

// rowsAnswer streams an answer of n one-column rows.
func rowsAnswer(n int) func(http.ResponseWriter, seenQuery, int) {
	return func(w http.ResponseWriter, _ seenQuery, _ int) {
		io.WriteString(w, `{"schema":[{"name":"i","type":"INT64"}],"rows":[`)
		for i := range n {
			if i > 0 {
				io.WriteString(w, ",")
			}
			fmt.Fprintf(w, `{"i":%d}`, i)
		}
		io.WriteString(w, `]}`)
	}
}

// TestQueryAtTheRowCapIsAnError: an answer of CARTO's 200,000 rows may be cut short: an error
// naming the cap, never a silently short result; MaxRows stops earlier.
func TestQueryAtTheRowCapIsAnError(t *testing.T) {
	t.Parallel()
	api := newSQLAPI(t, rowsAnswer(MaxQueryRows))
	_, a := queryAuth(t, api)
	if _, err := a.Query(context.Background(), "c", "SELECT i", nil); err == nil || !strings.Contains(err.Error(), "200000 rows") ||
		!slices.Contains(Hints(err), HintNarrowQuery) {
		t.Errorf("at the cap: %v", err)
	}
	below := newSQLAPI(t, rowsAnswer(MaxQueryRows-1))
	_, b := queryAuth(t, below)
	if res, err := b.Query(context.Background(), "c", "SELECT i", nil); err != nil || len(res.Rows) != MaxQueryRows-1 {
		t.Errorf("below the cap: %v", err)
	}
	if _, err := b.Query(context.Background(), "c", "SELECT i", &QueryOptions{MaxRows: 10}); err == nil || !strings.Contains(err.Error(), "more than 10 rows") {
		t.Errorf("over MaxRows: %v", err)
	}
}

// TestQueryRetriesA401OnceWithTheBody: a refused token is renewed and the same request sent
// once more; a second refusal, and any 403, are returned without another try.
func TestQueryRetriesA401OnceWithTheBody(t *testing.T) {
	t.Parallel()
	var srv *cartotest.Server
	api := newSQLAPI(t, func(w http.ResponseWriter, q seenQuery, n int) {
		if n == 1 { // the first token is refused, though unexpired
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"Unauthorized"}`)
			return
		}
		answerJSON(`{"schema":[{"name":"a","type":"INT64"}],"rows":[{"a":1}]}`)(w, q, n)
	})
	srv, a := queryAuth(t, api)
	res, err := a.Query(context.Background(), "c", "SELECT @a", &QueryOptions{Params: map[string]any{"a": 1}})
	if err != nil || len(res.Rows) != 1 {
		t.Fatalf("after one 401: %v", err)
	}
	seen := api.requests()
	if len(seen) != 2 || seen[0].token == seen[1].token || seen[1].q != "SELECT @a" || string(seen[1].params) != `{"a":1}` || !srv.ValidAccessToken(seen[1].token) {
		t.Errorf("the retry: %d requests, new token %v, body %q %s", len(seen), len(seen) == 2 && seen[0].token != seen[1].token, seen[len(seen)-1].q, seen[len(seen)-1].params)
	}

	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden} {
		api := newSQLAPI(t, func(w http.ResponseWriter, _ seenQuery, _ int) {
			w.WriteHeader(status)
			io.WriteString(w, `{"error":"not allowed"}`)
		})
		_, a := queryAuth(t, api)
		_, err := a.Query(context.Background(), "c", "SELECT 1", nil)
		want := map[int]int{http.StatusUnauthorized: 2, http.StatusForbidden: 1}[status]
		var se *ServerError
		if !errors.As(err, &se) || se.Status != status || len(api.requests()) != want {
			t.Errorf("always %d: %v after %d requests, want %d", status, err, len(api.requests()), want)
		}
	}
}

// TestQueryCancelledEndsTheWait: a cancelled context ends a query the warehouse takes long
// over, and says the warehouse may go on.
func TestQueryCancelledEndsTheWait(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	api := newSQLAPI(t, func(w http.ResponseWriter, _ seenQuery, _ int) { <-release })
	defer close(release)
	_, a := queryAuth(t, api)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := a.Query(ctx, "c", "SELECT slow()", nil)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "may go on") || time.Since(start) > 5*time.Second {
		t.Errorf("cancelled: %v after %s", err, time.Since(start))
	}
}

// TestQueryPastTheSyncLimitSaysUseAJob: the SQL API's timeout answer carries the hint to run a
// job.
func TestQueryPastTheSyncLimitSaysUseAJob(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		status int
		body   string
	}{{http.StatusGatewayTimeout, `{"error":"upstream"}`}, {http.StatusBadRequest, `{"error":"Query timeout: the query took too long"}`}} {
		api := newSQLAPI(t, func(w http.ResponseWriter, _ seenQuery, _ int) {
			w.WriteHeader(c.status)
			io.WriteString(w, c.body)
		})
		_, a := queryAuth(t, api)
		if _, err := a.Query(context.Background(), "c", "SELECT 1", nil); !slices.Contains(Hints(err), HintSQLJob) {
			t.Errorf("%d %s: %v (hints %v)", c.status, c.body, err, Hints(err))
		}
	}
	api := newSQLAPI(t, func(w http.ResponseWriter, _ seenQuery, _ int) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":"Syntax error: Unexpected keyword"}`)
	})
	_, a := queryAuth(t, api)
	if _, err := a.Query(context.Background(), "c", "SELEC 1", nil); err == nil || slices.Contains(Hints(err), HintSQLJob) || !strings.Contains(err.Error(), "Syntax error") {
		t.Errorf("a syntax error: %v", err)
	}
}

// city is a row of QueryInto's test.
type city struct {
	Name       string `json:"name"`
	Population int64
	Big        uint64     `json:"big"`
	Lat        float64    `json:"lat"`
	Founded    *time.Time `json:"founded"`
	Capital    bool       `json:"capital"`
	Geom       struct {
		Type        string    `json:"type"`
		Coordinates []float64 `json:"coordinates"`
	} `json:"geom"`
	Ignored string `json:"-"`
}

// TestQueryIntoDecodesStraightIntoStructs: columns fill fields by JSON name (case aside), with
// Query's typing; a NULL leaves a pointer nil; a value that does not fit is an error.
func TestQueryIntoDecodesStraightIntoStructs(t *testing.T) {
	t.Parallel()
	api := newSQLAPI(t, answerJSON(`{"schema":[{"name":"name","type":"STRING"},{"name":"POPULATION","type":"INT64"},
		{"name":"big","type":"INT64"},{"name":"lat","type":"FLOAT64"},{"name":"founded","type":"TIMESTAMP"},
		{"name":"capital","type":"BOOL"},{"name":"geom","type":"GEOGRAPHY"},{"name":"extra","type":"STRING"},{"name":"Ignored","type":"STRING"}],
		"rows":[{"name":"Madrid","POPULATION":"9007199254740993","big":9007199254740993,"lat":40.4,"founded":"0852-01-01T00:00:00Z",
		"capital":true,"geom":{"type":"Point","coordinates":[-3.7,40.4]},"extra":"x","Ignored":"y"},
		{"name":"Nowhere","POPULATION":0,"big":1,"lat":0,"founded":null,"capital":false,"geom":null,"extra":null,"Ignored":"y"}]}`))
	_, a := queryAuth(t, api)
	var got []city
	res, err := QueryInto(context.Background(), a, "c", "SELECT *", &got, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || res.Rows != nil || len(res.Schema) != 9 {
		t.Fatalf("%d rows, result rows %d, schema %d", len(got), len(res.Rows), len(res.Schema))
	}
	m := got[0]
	if m.Name != "Madrid" || m.Population != 9007199254740993 || m.Big != 9007199254740993 || m.Lat != 40.4 || !m.Capital ||
		m.Founded == nil || m.Founded.Year() != 852 || m.Geom.Type != "Point" || len(m.Geom.Coordinates) != 2 || m.Ignored != "" {
		t.Errorf("the first row: %+v", m)
	}
	if got[1].Founded != nil || got[1].Name != "Nowhere" {
		t.Errorf("the second row: %+v", got[1])
	}

	bad := newSQLAPI(t, answerJSON(`{"schema":[{"name":"big","type":"INT64"}],"rows":[{"big":-1}]}`))
	_, b := queryAuth(t, bad)
	var none []city
	if _, err := QueryInto(context.Background(), b, "c", "SELECT big", &none, nil); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("-1 into a uint64: %v", err)
	}
	var notStructs []int
	if _, err := QueryInto(context.Background(), b, "c", "SELECT 1", &notStructs, nil); err == nil {
		t.Error("QueryInto into ints was accepted")
	}
}

// TestTextTable: values as text, capped, with the count of rows left out.
func TestTextTable(t *testing.T) {
	t.Parallel()
	res := &QueryResult{Schema: []Column{{"n", "INT64"}, {"day", "DATE"}, {"at", "TIMESTAMP"}, {"g", "GEOGRAPHY"}},
		Rows: []map[string]any{
			{"n": int64(1), "day": time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), "at": time.Date(2026, 12, 7, 1, 2, 3, 0, time.UTC), "g": map[string]any{"type": "Point"}},
			{"n": nil}, {"n": int64(3)}}}
	headers, rows, more := res.TextTable(2)
	if !slices.Equal(headers, []string{"n", "day", "at", "g"}) || more != 1 || len(rows) != 2 {
		t.Fatalf("headers %v, %d rows, %d more", headers, len(rows), more)
	}
	if !slices.Equal(rows[0], []string{"1", "2026-12-07", "2026-12-07T01:02:03Z", `{"type":"Point"}`}) || !slices.Equal(rows[1], []string{"", "", "", ""}) {
		t.Errorf("rows %q", rows)
	}
}

// FuzzQueryAnswer: whatever the SQL API sends, decoding never panics, and what it accepts is
// typed by its schema.
func FuzzQueryAnswer(f *testing.F) {
	f.Add(`{"schema":[{"name":"a","type":"INT64"},{"name":"t","type":"TIMESTAMP"}],"rows":[{"a":"9007199254740993","t":"2026-12-07T00:00:00Z"}]}`)
	f.Add(`{"rows":[{"a":1.5}],"schema":[{"name":"a","type":"FLOAT64"}],"meta":{"cacheHit":false}}`)
	f.Add(`{"rows":[{"a":null,"b":{"x":[1,2]}}],"schema":[{"name":"a","type":"DATE"},{"name":"b","type":"GEOGRAPHY"}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		res := &QueryResult{}
		s := newAnswerStream(strings.NewReader(body), 0)
		if err := s.read(&mapRows{rows: &res.Rows}, res); err != nil {
			return
		}
		if !json.Valid([]byte(body)) {
			t.Fatalf("accepted an answer that is not JSON: %q", body)
		}
		types := map[string]string{}
		for _, c := range res.Schema {
			types[c.Name] = strings.ToUpper(c.Type)
		}
		for _, row := range res.Rows {
			for col, v := range row {
				if v == nil {
					continue
				}
				ok := true
				switch types[col] {
				case "INT64":
					_, ok = v.(int64)
				case "FLOAT64":
					_, ok = v.(float64)
				case "BOOL":
					_, ok = v.(bool)
				case "STRING":
					_, ok = v.(string)
				case "TIMESTAMP", "DATE":
					_, ok = v.(time.Time)
				}
				if !ok {
					t.Fatalf("column %q of type %s holds a %T", col, types[col], v)
				}
			}
		}
	})
}

// TestQueryRefusesWhatNoSQLAPISends: a value nested past any warehouse's depth, and more rows
// than the API's cap, end the read at once instead of exhausting the stack or the memory.
func TestQueryRefusesWhatNoSQLAPISends(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("[", 100_000)
	api := newSQLAPI(t, answerJSON(`{"schema":[{"name":"c","type":"JSON"}],"rows":[{"c":`+deep))
	_, a := queryAuth(t, api)
	if _, err := a.Query(context.Background(), "c", "SELECT c", nil); err == nil || !strings.Contains(err.Error(), "deeper than") {
		t.Errorf("a deep value: %v", err)
	}
	many := newSQLAPI(t, func(w http.ResponseWriter, q seenQuery, n int) {
		io.WriteString(w, `{"schema":[{"name":"i","type":"INT64"}],"rows":[{"i":0}`)
		for range MaxQueryRows + 50_000 {
			if _, err := io.WriteString(w, `,{"i":1}`); err != nil {
				return // the client stopped reading
			}
		}
		io.WriteString(w, `]}`)
	})
	_, b := queryAuth(t, many)
	if _, err := b.Query(context.Background(), "c", "SELECT i", nil); err == nil || !strings.Contains(err.Error(), "more than 200000 rows") {
		t.Errorf("past the cap: %v", err)
	}
}
