package carto

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxQueryRows is the most rows a synchronous SQL API answer holds: an answer of exactly this
// many may have been cut short, and Query refuses it.
const MaxQueryRows = 200_000

// Column is one column of a query's answer: its name and the warehouse's type for it
// (BigQuery's: STRING, INT64, FLOAT64, BOOL, TIMESTAMP, DATE, GEOGRAPHY, ...).
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// QueryMeta is what the SQL API says about how it answered.
type QueryMeta struct {
	CacheHit            bool   `json:"cacheHit"`
	Location            string `json:"location,omitempty"`
	TotalBytesProcessed string `json:"totalBytesProcessed,omitempty"`
}

// QueryResult is the answer of a SQL query.
//
// Rows holds one map per row, by column name, its values typed by Schema: INT64 as int64
// (from a JSON number or string, never through float64), FLOAT64 as float64, BOOL as bool,
// STRING as string, TIMESTAMP and DATE as time.Time (UTC), GEOGRAPHY as CARTO sends it (a
// string, else the decoded JSON), NULL as nil, and any other type (NUMERIC, DATETIME, ARRAY,
// STRUCT, JSON, ...) as its decoded JSON: a string stays a string, a number is a json.Number.
type QueryResult struct {
	Schema []Column
	Rows   []map[string]any
	Meta   QueryMeta
}

// TextTable is the result as text, for a table or a CSV file: the column names, and the first
// max rows (all for max <= 0) with each value as ValueText gives it; more is how many rows
// were left out.
func (r *QueryResult) TextTable(max int) (headers []string, rows [][]string, more int) {
	for _, c := range r.Schema {
		headers = append(headers, c.Name)
	}
	n := len(r.Rows)
	if max > 0 && n > max {
		n, more = max, n-max
	}
	for _, row := range r.Rows[:n] {
		cells := make([]string, len(r.Schema))
		for i, c := range r.Schema {
			cells[i] = ValueText(row[c.Name], c.Type)
		}
		rows = append(rows, cells)
	}
	return headers, rows, more
}

// ValueText is a value of a QueryResult as text: "" for NULL, a TIMESTAMP in RFC 3339, a DATE
// as 2006-01-02, a number or bool as Go writes it, a string as it is, and anything else as
// JSON.
func ValueText(v any, typ string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case json.Number:
		return x.String()
	case time.Time:
		if strings.EqualFold(typ, "DATE") {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.RFC3339Nano)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
