package carto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/internal/hint"
	"github.com/carto-go/carto-auth/internal/wire"
)

// rowSink receives an answer's rows, one value at a time.
type rowSink interface {
	begin()                      // a new row
	set(col string, v any) error // one of its columns, typed
	end() error                  // the row is complete
}

// answerStream reads a SQL API answer, {"rows": [...], "schema": [...], "meta": {...}} with
// its members in any order, as it arrives: rows are typed and handed on one value at a time,
// and the answer is never held whole. Rows that come before the schema are kept raw until it
// does.
type answerStream struct {
	dec     *json.Decoder
	maxRows int
	types   map[string]string // column name → type, once the schema is read
	n       int               // rows read
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
			s.types = map[string]string{}
			for _, c := range res.Schema {
				s.types[c.Name] = c.Type
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
		if err := one(); err != nil {
			return fmt.Errorf("row %d: %w", s.n, err)
		}
	}
	_, err := s.dec.Token() // ]
	return err
}

// typedRow reads one row object into sink.
func (s *answerStream) typedRow(sink rowSink) error {
	if err := expectDelim(s.dec, '{'); err != nil {
		return err
	}
	sink.begin()
	for s.dec.More() {
		tok, err := s.dec.Token()
		if err != nil {
			return err
		}
		col, _ := tok.(string)
		var raw json.RawMessage
		if err := s.dec.Decode(&raw); err != nil {
			return err
		}
		if err := s.setValue(sink, col, raw); err != nil {
			return err
		}
	}
	if _, err := s.dec.Token(); err != nil { // }
		return err
	}
	return sink.end()
}

// rawRow hands a row that came before the schema to sink.
func (s *answerStream) rawRow(raw map[string]json.RawMessage, sink rowSink) error {
	sink.begin()
	for col, r := range raw {
		if err := s.setValue(sink, col, r); err != nil {
			return err
		}
	}
	return sink.end()
}

func (s *answerStream) setValue(sink rowSink, col string, raw json.RawMessage) error {
	v, err := typedValue(raw, s.types[col])
	if err == nil {
		err = sink.set(col, v)
	}
	if err != nil {
		return fmt.Errorf("column %q: %w", col, err)
	}
	return nil
}

// mapRows is the rowSink of Query: one map per row.
type mapRows struct {
	rows *[]map[string]any
	cur  map[string]any
}

func (m *mapRows) begin()                      { m.cur = map[string]any{} }
func (m *mapRows) set(col string, v any) error { m.cur[col] = v; return nil }
func (m *mapRows) end() error                  { *m.rows = append(*m.rows, m.cur); return nil }

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

// typedValue is raw as a value of the warehouse type typ (see QueryResult).
func typedValue(raw json.RawMessage, typ string) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	text, quoted := unquote(raw)
	switch strings.ToUpper(typ) {
	case "INT64", "INTEGER", "INT", "BIGINT", "SMALLINT":
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s is not an INT64", wire.Clip(string(raw)))
		}
		return n, nil
	case "FLOAT64", "FLOAT", "DOUBLE", "REAL":
		f, err := strconv.ParseFloat(text, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, fmt.Errorf("%s is not a FLOAT64", wire.Clip(string(raw)))
		}
		return f, nil
	case "BOOL", "BOOLEAN":
		b, err := strconv.ParseBool(text)
		if err != nil {
			return nil, fmt.Errorf("%s is not a BOOL", wire.Clip(string(raw)))
		}
		return b, nil
	case "STRING":
		if !quoted {
			return nil, fmt.Errorf("%s is not a STRING", wire.Clip(string(raw)))
		}
		return text, nil
	case "TIMESTAMP":
		return parseTimestamp(text, quoted)
	case "DATE":
		t, err := time.Parse(time.DateOnly, text)
		if err != nil {
			return nil, fmt.Errorf("%s is not a DATE", wire.Clip(string(raw)))
		}
		return t, nil
	case "GEOGRAPHY", "GEOMETRY":
		if quoted {
			return text, nil
		}
	}
	return decodeJSON(raw)
}

// unquote returns a JSON string's text (quoted true), or raw itself.
func unquote(raw json.RawMessage) (string, bool) {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s, true
		}
	}
	return string(raw), false
}

// timestampLayouts are the forms a TIMESTAMP may take as text.
var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05.999999999 MST",
	"2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"}

// parseTimestamp reads a TIMESTAMP: text in one of timestampLayouts (UTC when it has no zone),
// or seconds since the Unix epoch (a number, or its text), to the nanosecond.
func parseTimestamp(text string, quoted bool) (time.Time, error) {
	if quoted {
		for _, layout := range timestampLayouts {
			if t, err := time.Parse(layout, text); err == nil {
				return t.UTC(), nil
			}
		}
	}
	if t, ok := epochSeconds(text); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%s is not a TIMESTAMP", wire.Clip(text))
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
