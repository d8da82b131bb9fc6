package carto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/internal/hint"
	"github.com/carto-go/carto-auth/internal/wire"
)

// rowSink receives an answer's rows, one value at a time.
type rowSink interface {
	begin(columns int) // a new row, of about this many columns
	// set takes one of its columns: v decoded from JSON (numbers as json.Number), of the
	// warehouse type typ (see typedValue).
	set(col string, v any, typ string) error
	end() error // the row is complete
}

// answerStream reads a SQL API answer, {"rows": [...], "schema": [...], "meta": {...}} with
// its members in any order, as it arrives: rows are typed and handed on one value at a time,
// and the answer is never held whole. Rows that come before the schema are kept raw until it
// does.
type answerStream struct {
	dec     *json.Decoder
	maxRows int
	types   map[string]string // column name → type, once the schema is read
	names   map[string]string // column name → the schema's string of it, shared by every row
	n       int               // rows read
}

func newAnswerStream(r io.Reader, maxRows int) *answerStream {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &answerStream{dec: dec, maxRows: maxRows}
}

// read reads the answer into sink, and fills res's Schema and Meta.
func (s *answerStream) read(sink rowSink, res *QueryResult) error {
	if err := expectDelim(s.dec, '{'); err != nil {
		return err
	}
	var early []map[string]json.RawMessage // rows before the schema
	for s.dec.More() {
		key, err := s.dec.Token()
		if err != nil {
			return err
		}
		switch key {
		case "schema":
			if err := s.dec.Decode(&res.Schema); err != nil {
				return fmt.Errorf("schema: %w", err)
			}
			s.types, s.names = map[string]string{}, map[string]string{}
			for _, c := range res.Schema {
				s.types[c.Name], s.names[c.Name] = c.Type, c.Name
			}
			for i, raw := range early {
				if err := s.rawRow(raw, sink); err != nil {
					return fmt.Errorf("row %d: %w", i+1, err)
				}
			}
			early = nil
		case "meta":
			if err := s.dec.Decode(&res.Meta); err != nil {
				return fmt.Errorf("meta: %w", err)
			}
		case "rows":
			if err := s.rows(func() error {
				if s.types != nil {
					return s.typedRow(sink)
				}
				var raw map[string]json.RawMessage
				if err := s.dec.Decode(&raw); err != nil {
					return err
				}
				early = append(early, raw)
				return nil
			}); err != nil {
				return err
			}
		default:
			var skip json.RawMessage
			if err := s.dec.Decode(&skip); err != nil {
				return err
			}
		}
	}
	if s.types == nil && len(early) > 0 {
		return errors.New("the answer has rows but no schema")
	}
	if s.n >= MaxQueryRows {
		return hint.With(fmt.Errorf("the answer holds %d rows, the SQL API's cap (MaxQueryRows): it may be cut short", s.n), HintNarrowQuery)
	}
	return nil
}

// rows reads the rows array, calling one for each row.
func (s *answerStream) rows(one func() error) error {
	if err := expectDelim(s.dec, '['); err != nil {
		return fmt.Errorf("rows: %w", err)
	}
	for s.dec.More() {
		if s.n++; s.maxRows > 0 && s.n > s.maxRows {
			return hint.With(fmt.Errorf("the answer has more than %d rows (QueryOptions.MaxRows)", s.maxRows), HintNarrowQuery)
		}
		if s.n > MaxQueryRows {
			return fmt.Errorf("the answer has more than %d rows, more than the SQL API sends (MaxQueryRows): it is not a SQL API answer", MaxQueryRows)
		}
		if err := one(); err != nil {
			return fmt.Errorf("row %d: %w", s.n, err)
		}
	}
	_, err := s.dec.Token() // ]
	return err
}

// typedRow reads one row object into sink, its scalars straight from the decoder's tokens.
func (s *answerStream) typedRow(sink rowSink) error {
	if err := expectDelim(s.dec, '{'); err != nil {
		return err
	}
	sink.begin(len(s.types))
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		col, ok := s.names[key]
		if !ok {
			col = key
		}
		v, err := s.tokenValue(0)
		if err != nil {
			return err
		}
		if err := s.setValue(sink, col, v); err != nil {
			return err
		}
	}
	if _, err := s.dec.Token(); err != nil { // }
		return err
	}
	return sink.end()
}

// maxValueDepth bounds how deeply a value nests (BigQuery allows 500): deeper is refused
// before it can exhaust the stack.
const maxValueDepth = 512

// tokenValue reads one JSON value, at nesting depth, from the decoder's tokens: a scalar as its
// token (numbers as json.Number), an object or array built from the tokens that follow.
func (s *answerStream) tokenValue(depth int) (any, error) {
	tok, err := s.dec.Token()
	if err != nil {
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth >= maxValueDepth {
		return nil, fmt.Errorf("a value nests deeper than %d levels", maxValueDepth)
	}
	if d == '[' {
		list := []any{}
		for s.dec.More() {
			v, err := s.tokenValue(depth + 1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := s.dec.Token() // ]
		return list, err
	}
	obj := map[string]any{}
	for s.dec.More() {
		k, err := s.dec.Token()
		if err != nil {
			return nil, err
		}
		v, err := s.tokenValue(depth + 1)
		if err != nil {
			return nil, err
		}
		key, _ := k.(string)
		obj[key] = v
	}
	_, err = s.dec.Token() // }
	return obj, err
}

// rawRow hands a row that came before the schema to sink.
func (s *answerStream) rawRow(raw map[string]json.RawMessage, sink rowSink) error {
	sink.begin(len(s.types))
	for col, r := range raw {
		v, err := decodeJSON(r)
		if err != nil {
			return fmt.Errorf("column %q: %w", col, err)
		}
		if name, ok := s.names[col]; ok {
			col = name
		}
		if err := s.setValue(sink, col, v); err != nil {
			return err
		}
	}
	return sink.end()
}

// setValue hands the decoded JSON value v of column col to sink, with its type.
func (s *answerStream) setValue(sink rowSink, col string, v any) error {
	if err := sink.set(col, v, s.types[col]); err != nil {
		return fmt.Errorf("column %q: %w", col, err)
	}
	return nil
}

// mapRows is the rowSink of Query: one map per row.
type mapRows struct {
	rows *[]map[string]any
	cur  map[string]any
}

func (m *mapRows) begin(columns int) { m.cur = make(map[string]any, columns) }
func (m *mapRows) set(col string, v any, typ string) error {
	typed, err := typedValue(v, typ)
	m.cur[col] = typed
	return err
}
func (m *mapRows) end() error { *m.rows = append(*m.rows, m.cur); return nil }

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q, found %v", want, tok)
	}
	return nil
}

// typedValue is v, a decoded JSON value (numbers as json.Number), as a value of the warehouse
// type typ (see QueryResult).
func typedValue(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	text, quoted := v.(string)
	number, isNumber := v.(json.Number)
	if isNumber {
		text = string(number)
	}
	scalar := quoted || isNumber
	bad := func(what string) error { return fmt.Errorf("%s is not a %s", clipValue(v), what) }
	switch strings.ToUpper(typ) {
	case "INT64", "INTEGER", "INT", "BIGINT", "SMALLINT":
		n, err := typedInt(v)
		if err != nil {
			return nil, err
		}
		return n, nil
	case "FLOAT64", "FLOAT", "DOUBLE", "REAL":
		f, err := typedFloat(v)
		if err != nil {
			return nil, err
		}
		return f, nil
	case "BOOL", "BOOLEAN":
		if b, ok := v.(bool); ok {
			return b, nil
		}
		b, err := strconv.ParseBool(text)
		if !quoted || err != nil {
			return nil, bad("BOOL")
		}
		return b, nil
	case "STRING":
		if !quoted {
			return nil, bad("STRING")
		}
		return v, nil // the decoded string, not boxed again
	case "TIMESTAMP":
		if t, ok := parseTimestamp(text, quoted); scalar && ok {
			return t, nil
		}
		return nil, bad("TIMESTAMP")
	case "DATE":
		t, err := time.Parse(time.DateOnly, text)
		if !quoted || err != nil {
			return nil, bad("DATE")
		}
		return t, nil
	}
	return v, nil // GEOGRAPHY as sent, and every other type as its decoded JSON
}

// typedInt reads an INT64 from a JSON number or string, exactly (never through float64).
func typedInt(v any) (int64, error) {
	n, err := strconv.ParseInt(numberText(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not an INT64", clipValue(v))
	}
	return n, nil
}

// typedFloat reads a FLOAT64 from a JSON number or string ("NaN", "Infinity" included).
func typedFloat(v any) (float64, error) {
	f, err := strconv.ParseFloat(numberText(v), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%s is not a FLOAT64", clipValue(v))
	}
	return f, nil
}

// numberText is the text of a JSON number or string ("" for anything else, which no number
// parser accepts).
func numberText(v any) string {
	switch x := v.(type) {
	case json.Number:
		return string(x)
	case string:
		return x
	}
	return ""
}

// clipValue is a value for an error: short, as JSON.
func clipValue(v any) string {
	b, _ := json.Marshal(v)
	return wire.Clip(string(b))
}

// timestampLayouts are the forms a TIMESTAMP may take as text.
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999 MST",
	"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"}

// parseTimestamp reads a TIMESTAMP: text in one of timestampLayouts (UTC when it has no zone),
// or seconds since the Unix epoch (a number, or its text), to the nanosecond.
func parseTimestamp(text string, quoted bool) (time.Time, bool) {
	if quoted {
		for _, layout := range timestampLayouts {
			if t, err := time.Parse(layout, text); err == nil {
				return t.UTC(), true
			}
		}
	}
	return epochSeconds(text)
}

// epochSeconds reads "1700000000.123456" (or an exponent form) as a time, without losing the
// fraction to float64 where it can help it.
func epochSeconds(text string) (time.Time, bool) {
	whole, frac, _ := strings.Cut(text, ".")
	if sec, err := strconv.ParseInt(whole, 10, 64); err == nil && len(frac) <= 9 && strings.Trim(frac, "0123456789") == "" {
		ns, _ := strconv.ParseInt((frac + "000000000")[:9], 10, 64)
		if strings.HasPrefix(whole, "-") && ns > 0 {
			ns = -ns
		}
		return time.Unix(sec, ns).UTC(), true
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
		return time.Time{}, false
	}
	sec, fr := math.Modf(f)
	return time.Unix(int64(sec), int64(fr*1e9)).UTC(), true
}

// decodeJSON decodes raw as JSON, numbers as json.Number.
func decodeJSON(raw json.RawMessage) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
