package carto

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/carto-go/carto-auth/internal/hint"
	"github.com/carto-go/carto-auth/internal/wire"
)

// How queries are sent.
const (
	// maxGetURL is the longest URL a cached query is sent as; a longer one goes as a POST
	// (as CARTO's own client does).
	maxGetURL = 7000
	// queryClient names this library to the SQL API.
	queryClient = "carto-auth-go"
)

// QueryOptions configures Query and QueryInto. Pass nil for the defaults.
type QueryOptions struct {
	// Cache sends the query as a GET, whose answer CARTO may cache (up to a year: fast for
	// repeated reads, stale when the data changes); a URL over 7,000 characters is sent as a
	// POST anyway. The default is a POST, never cached.
	Cache bool
	// Params are named parameters, @name in the SQL (BigQuery's syntax).
	Params map[string]any
	// Positional are positional parameters, ? in the SQL. Give Params or Positional, not both.
	Positional []any
	// MaxRows makes an answer of more rows an error, stopping as soon as it is seen (0: no
	// limit but CARTO's, MaxQueryRows).
	MaxRows int
}

// Query runs sql on the connection (a name in CARTO Workspace → Connections; "carto_dw" is the
// CARTO Data Warehouse) through the SQL API, synchronously, and returns its answer. A
// cancelled ctx ends the wait (the warehouse may go on running the query). A token the API
// refuses (401) is renewed and the request sent once more; a 403 (a valid token that may not
// run this) is returned as it is.
func (a *Auth) Query(ctx context.Context, connection, sql string, opts *QueryOptions) (*QueryResult, error) {
	res := &QueryResult{}
	if err := a.query(ctx, connection, sql, opts, &mapRows{rows: &res.Rows}, res); err != nil {
		return nil, err
	}
	return res, nil
}

// query sends the query and reads a successful answer's rows into sink, its schema and meta
// into res.
func (a *Auth) query(ctx context.Context, connection, sql string, opts *QueryOptions, sink rowSink, res *QueryResult) error {
	if opts == nil {
		opts = &QueryOptions{}
	}
	req, err := a.queryRequest(connection, sql, opts)
	if err != nil {
		return err
	}
	resp, err := a.sendAPI(ctx, req, "sql", queryError)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	stream := newAnswerStream(resp.Body, opts.MaxRows)
	if err := stream.read(sink, res); err != nil {
		if ctx.Err() != nil {
			return queryCancelled(ctx)
		}
		return fmt.Errorf("reading the SQL API's answer: %w", err)
	}
	return nil
}

func (a *Auth) queryRequest(connection, sql string, opts *QueryOptions) (*apiRequest, error) {
	base := a.APIBaseURL()
	switch {
	case base == "":
		return nil, ErrNoAPIBaseURL
	case strings.TrimSpace(connection) == "":
		return nil, errors.New("query: no connection given (the CARTO Data Warehouse's is carto_dw)")
	case strings.TrimSpace(sql) == "":
		return nil, errors.New("query: no SQL given")
	case opts.Params != nil && opts.Positional != nil:
		return nil, errors.New("query: give named parameters (Params) or positional ones (Positional), not both")
	case opts.MaxRows < 0:
		return nil, errors.New("query: MaxRows must not be negative")
	}
	var params any
	switch {
	case opts.Params != nil:
		params = opts.Params
	case opts.Positional != nil:
		params = opts.Positional
	}
	endpoint := base + "/v3/sql/" + url.PathEscape(connection) + "/query"
	if opts.Cache {
		q := url.Values{"q": {sql}, "client": {queryClient}}
		if params != nil {
			p, err := marshalJSON(params)
			if err != nil {
				return nil, fmt.Errorf("query parameters: %w", err)
			}
			q.Set("queryParameters", string(p))
		}
		if u := endpoint + "?" + q.Encode(); len(u) <= maxGetURL {
			return &apiRequest{method: http.MethodGet, url: u, cancelled: queryCancelled}, nil
		}
	}
	body, err := marshalJSON(struct {
		Q      string `json:"q"`
		Params any    `json:"queryParameters,omitempty"`
	}{sql, params})
	if err != nil {
		return nil, fmt.Errorf("query parameters: %w", err)
	}
	return &apiRequest{method: http.MethodPost, url: endpoint + "?client=" + queryClient, body: body, cancelled: queryCancelled}, nil
}

// marshalJSON encodes v as JSON with <, > and & as they are (SQL holds them; HTML escapes
// would only lengthen the URL).
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// pastSyncLimit recognizes the SQL API's word for a query that ran past the synchronous limit.
func pastSyncLimit(msg string) bool {
	msg = strings.ToLower(msg)
	for _, w := range []string{"timeout", "timed out", "time out", "time-out", "deadline", "too long"} {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return strings.Contains(msg, "exceeded") && strings.Contains(msg, "time")
}

// queryError is the SQL API's error answer, with a hint where one helps.
func queryError(resp *http.Response, answer []byte) error {
	err := wire.AnswerError("sql", resp, answer)
	var se *ServerError
	if errors.As(err, &se) && (resp.StatusCode == http.StatusGatewayTimeout || resp.StatusCode == http.StatusRequestTimeout ||
		pastSyncLimit(se.Code+" "+se.Description)) {
		return hint.With(fmt.Errorf("%w: a synchronous query may run for at most a minute", err), HintSQLJob)
	}
	return err
}

func queryCancelled(ctx context.Context) error {
	return fmt.Errorf("query: %w (the warehouse may go on running it)", context.Cause(ctx))
}
