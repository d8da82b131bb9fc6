package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/carto-go/carto-auth/carto"
)

// runSQL is "cartoauth sql".
func runSQL(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("sql", `cartoauth sql [--connection C] [--json|--csv] [--param name=value ...] [--cache] [--max-rows N] [--profile NAME] [--m2m FILE] [--org ORG] [--api-base-url URL] "SELECT ..."`, `
Runs a SQL statement through CARTO's SQL API with the cached login (it never prompts: exit 3
when a login is needed) and prints the answer on stdout: an aligned table, or with --json the
schema, rows and meta as one JSON object, or with --csv a header line and the rows.

Named parameters (@name in the SQL) come from --param name=value; a value that reads as JSON
(a number, true, false, null, or a "quoted string") is that, anything else a string:

  cartoauth sql --param min=5000000 "SELECT name FROM cities WHERE population > @min"

A synchronous query ends after a minute and holds at most 200,000 rows (an answer at that
cap is an error, since it may be cut short).`)
	var af authFlags
	af.register(fs, true)
	connection := fs.String("connection", "carto_dw", "the `connection` to query (CARTO Workspace → Connections)")
	asJSON := fs.Bool("json", false, "print the answer as JSON")
	asCSV := fs.Bool("csv", false, "print the answer as CSV")
	cache := fs.Bool("cache", false, "send it as a GET, whose answer CARTO may cache")
	maxRows := fs.Int("max-rows", 0, "fail when the answer has more than `N` rows (0: only CARTO's cap)")
	params := paramValues{}
	fs.Var(params, "param", "a named parameter, `name=value` (repeatable)")
	if err := fs.parseArgs(e, args, 1); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 1 || strings.TrimSpace(fs.Arg(0)) == "":
		return usageErrorf("sql: give the SQL statement as one argument").with(`quote it: cartoauth sql "SELECT ..."`)
	case *asJSON && *asCSV:
		return usageErrorf("sql: --json and --csv are exclusive").with("pick one")
	}
	if err := af.check("sql"); err != nil {
		return err
	}
	a, err := openCached(ctx, af)
	if err != nil {
		return err
	}
	opts := &carto.QueryOptions{Cache: *cache, MaxRows: *maxRows}
	if len(params) > 0 {
		opts.Params = params
	}
	res, err := a.Query(ctx, *connection, fs.Arg(0), opts)
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		return writeJSONResult(e.stdout, res)
	case *asCSV:
		return writeCSV(e.stdout, res)
	}
	return writeTable(e.stdout, res)
}

// paramValues parses repeated --param name=value flags.
type paramValues map[string]any

func (p paramValues) String() string { return "" }

func (p paramValues) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || !isParamName(name) {
		return fmt.Errorf("want name=value, the name as in @name")
	}
	var v any
	if json.Unmarshal([]byte(value), &v) != nil {
		v = value
	}
	if _, ok := v.(float64); ok {
		v = json.Number(value) // a number, exactly as given (an INT64 beyond 2^53 too)
	}
	p[name] = v
	return nil
}

func isParamName(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// writeTable prints res as columns aligned with spaces.
func writeTable(w io.Writer, res *carto.QueryResult) error {
	headers, rows, _ := res.TextTable(0)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	oneLine := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ") // each cell on its line, in its column
	for _, cells := range append([][]string{headers}, rows...) {
		for i, c := range cells {
			if i > 0 {
				io.WriteString(tw, "\t")
			}
			oneLine.WriteString(tw, c)
		}
		io.WriteString(tw, "\n")
	}
	return tw.Flush()
}

// writeCSV prints res as CSV: a header line, then the rows.
func writeCSV(w io.Writer, res *carto.QueryResult) error {
	headers, rows, _ := res.TextTable(0)
	cw := csv.NewWriter(w)
	cw.Write(headers)
	cw.WriteAll(rows)
	return cw.Error()
}

// writeJSONResult prints res as one JSON object: schema, rows (values as Query types them),
// meta.
func writeJSONResult(w io.Writer, res *carto.QueryResult) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Schema []carto.Column   `json:"schema"`
		Rows   []map[string]any `json:"rows"`
		Meta   carto.QueryMeta  `json:"meta"`
	}{res.Schema, res.Rows, res.Meta})
}
