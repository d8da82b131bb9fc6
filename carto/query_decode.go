package carto

import (
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
	// set takes one of its columns, c, of the type t (see typed).
	set(col string, c *cell, t colType) error
	end() error // the row is complete
}

// cell is one value of a row as the lexer read it: a scalar's kind and text, or a nested value.
type cell struct {
	kind   byte   // '"' string, '0' number, 't' true, 'f' false, 'n' null, '[' object or array
	text   []byte // a string's or number's bytes, valid until the next read
	nested any    // an object (map[string]any) or array ([]any)
}

// colType is a column's warehouse type as Query types its values, read once from the schema.
type colType uint8

const (
	typeOther     colType = iota // GEOGRAPHY, NUMERIC, ARRAY, ...: as CARTO sends it
	typeInt                      // INT64
	typeFloat                    // FLOAT64
	typeBool                     // BOOL
	typeString                   // STRING
	typeTimestamp                // TIMESTAMP
	typeDate                     // DATE
)

// columnType is the colType of a schema's type name (BigQuery's, and their common aliases).
func columnType(name string) colType {
	switch strings.ToUpper(name) {
	case "INT64", "INTEGER", "INT", "BIGINT", "SMALLINT":
		return typeInt
	case "FLOAT64", "FLOAT", "DOUBLE", "REAL":
		return typeFloat
	case "BOOL", "BOOLEAN":
		return typeBool
	case "STRING":
		return typeString
	case "TIMESTAMP":
		return typeTimestamp
	case "DATE":
		return typeDate
	}
	return typeOther
}

// String is the type's name, for errors.
func (t colType) String() string {
	return [...]string{"a JSON value", "an INT64", "a FLOAT64", "a BOOL", "a STRING", "a TIMESTAMP", "a DATE"}[t]
}

// answerStream reads a SQL API answer, {"rows": [...], "schema": [...], "meta": {...}} with
// its members in any order, as it arrives: rows are typed and handed on one value at a time,
// and the answer is never held whole. Rows that come before the schema are kept decoded until
// it does.
type answerStream struct {
	lex     *jsonLexer
	maxRows int
	types   map[string]colType // column name → type, once the schema is read
	names   map[string]string  // column name → the schema's string of it, shared by every row
	n       int                // rows read
	c       cell               // the value being handed on
}

func newAnswerStream(r io.Reader, maxRows int) *answerStream {
	return &answerStream{lex: newJSONLexer(r), maxRows: maxRows}
}

// read reads the answer into sink, and fills res's Schema and Meta.
func (s *answerStream) read(sink rowSink, res *QueryResult) error {
	l := s.lex
	if err := l.expect('{'); err != nil {
		return err
	}
	var early []map[string]any // rows before the schema
	for first := true; ; first = false {
		more, err := l.next('}', first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		k, err := l.key()
		if err != nil {
			return err
		}
		switch string(k) {
		case "schema":
			if err := l.decodeInto(&res.Schema); err != nil {
				return fmt.Errorf("schema: %w", err)
			}
			s.types, s.names = map[string]colType{}, map[string]string{}
			for _, c := range res.Schema {
				s.types[c.Name], s.names[c.Name] = columnType(c.Type), c.Name
			}
			for i, row := range early {
				if err := s.decodedRow(row, sink); err != nil {
					return fmt.Errorf("row %d: %w", i+1, err)
				}
			}
			early = nil
		case "meta":
			if err := l.decodeInto(&res.Meta); err != nil {
				return fmt.Errorf("meta: %w", err)
			}
		case "rows":
			if err := s.rows(func() error {
				if s.types != nil {
					return s.typedRow(sink)
				}
				v, err := l.value(0)
				row, ok := v.(map[string]any)
				if err == nil && !ok {
					err = errors.New("a row is not an object")
				}
				early = append(early, row)
				return err
			}); err != nil {
				return err
			}
		default:
			if _, err := l.value(0); err != nil {
				return err
			}
		}
	}
	if err := l.end(); err != nil {
		return err
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
	if err := s.lex.expect('['); err != nil {
		return fmt.Errorf("rows: %w", err)
	}
	for first := true; ; first = false {
		more, err := s.lex.next(']', first)
		if err != nil || !more {
			return err
		}
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
}

// typedRow reads one row object into sink, each value straight from the lexer.
func (s *answerStream) typedRow(sink rowSink) error {
	l := s.lex
	if err := l.expect('{'); err != nil {
		return err
	}
	sink.begin(len(s.types))
	for first := true; ; first = false {
		more, err := l.next('}', first)
		if err != nil {
			return err
		}
		if !more {
			return sink.end()
		}
		k, err := l.key()
		if err != nil {
			return err
		}
		col, ok := s.names[string(k)] // no allocation for a known column
		if !ok {
			col = string(k)
		}
		if err := s.readCell(); err != nil {
			return fmt.Errorf("column %q: %w", col, err)
		}
		if err := sink.set(col, &s.c, s.types[col]); err != nil {
			return fmt.Errorf("column %q: %w", col, err)
		}
	}
}

// readCell reads the next value into s.c.
func (s *answerStream) readCell() error {
	l := s.lex
	c, err := l.peek()
	if err != nil {
		return err
	}
	s.c = cell{kind: c}
	switch c {
	case '"':
		s.c.text, err = l.str()
	case '{', '[':
		s.c.kind = '['
		s.c.nested, err = l.value(1)
	case 't', 'f', 'n':
		_, err = l.literal()
	default:
		s.c.kind = '0'
		s.c.text, err = l.number()
	}
	return err
}

// decodedRow hands a row that came before the schema to sink.
func (s *answerStream) decodedRow(row map[string]any, sink rowSink) error {
	sink.begin(len(s.types))
	for col, v := range row {
		if name, ok := s.names[col]; ok {
			col = name
		}
		c := cellOf(v)
		if err := sink.set(col, &c, s.types[col]); err != nil {
			return fmt.Errorf("column %q: %w", col, err)
		}
	}
	return sink.end()
}

// cellOf is a decoded value as a cell.
func cellOf(v any) cell {
	switch x := v.(type) {
	case nil:
		return cell{kind: 'n'}
	case bool:
		if x {
			return cell{kind: 't'}
		}
		return cell{kind: 'f'}
	case string:
		return cell{kind: '"', text: []byte(x)}
	case json.Number:
		return cell{kind: '0', text: []byte(x)}
	}
	return cell{kind: '[', nested: v}
}

// mapRows is the rowSink of Query: one map per row.
type mapRows struct {
	rows *[]map[string]any
	cur  map[string]any
}

func (m *mapRows) begin(columns int) { m.cur = make(map[string]any, columns) }
func (m *mapRows) set(col string, c *cell, t colType) error {
	v, err := typed(c, t)
	m.cur[col] = v
	return err
}
func (m *mapRows) end() error { *m.rows = append(*m.rows, m.cur); return nil }

// typed is c as a value of the type t (see QueryResult).
func typed(c *cell, t colType) (any, error) {
	switch {
	case c.kind == 'n':
		return nil, nil
	case c.kind == '[' && t != typeOther:
		return nil, badValue(c, t)
	}
	switch t {
	case typeInt:
		return typedInt(c)
	case typeFloat:
		return typedFloat(c)
	case typeBool:
		return typedBool(c)
	case typeString:
		if c.kind != '"' {
			return nil, badValue(c, t)
		}
		return string(c.text), nil
	case typeTimestamp, typeDate:
		return typedTime(c, t)
	}
	switch c.kind { // every other type as its decoded JSON
	case '"':
		return string(c.text), nil
	case '0':
		return json.Number(c.text), nil
	case '[':
		return c.nested, nil
	}
	return c.kind == 't', nil
}

func badValue(c *cell, t colType) error { return fmt.Errorf("%s is not %s", clipCell(c), t) }

// clipCell is a value for an error: short, as JSON.
func clipCell(c *cell) string {
	switch c.kind {
	case '"':
		b, _ := json.Marshal(string(c.text))
		return wire.Clip(string(b))
	case '0':
		return wire.Clip(string(c.text))
	case 't':
		return "true"
	case 'f':
		return "false"
	case 'n':
		return "null"
	}
	b, _ := json.Marshal(c.nested)
	return wire.Clip(string(b))
}

// typedInt reads an INT64 from a JSON number or string, exactly (never through float64).
func typedInt(c *cell) (int64, error) {
	if c.kind == '"' || c.kind == '0' {
		if n, ok := parseInt64(c.text); ok {
			return n, nil
		}
	}
	return 0, badValue(c, typeInt)
}

// parseInt64 reads a decimal integer, without allocating.
func parseInt64(b []byte) (int64, bool) {
	neg := len(b) > 0 && (b[0] == '-' || b[0] == '+')
	digits := b
	if neg {
		neg, digits = b[0] == '-', b[1:]
	}
	if len(digits) == 0 || len(digits) > 19 {
		return 0, false
	}
	var n uint64
	for _, d := range digits {
		if d < '0' || d > '9' {
			return 0, false
		}
		n = n*10 + uint64(d-'0')
	}
	if neg && n <= 1<<63 {
		return -int64(n), true
	}
	if !neg && n < 1<<63 {
		return int64(n), true
	}
	return 0, false
}

// typedFloat reads a FLOAT64 from a JSON number or string ("NaN", "Infinity" included).
func typedFloat(c *cell) (float64, error) {
	if c.kind == '"' || c.kind == '0' {
		f, err := strconv.ParseFloat(string(c.text), 64)
		if err == nil || errors.Is(err, strconv.ErrRange) {
			return f, nil
		}
	}
	return 0, badValue(c, typeFloat)
}

// typedBool reads a BOOL from true, false or their text.
func typedBool(c *cell) (bool, error) {
	switch c.kind {
	case 't', 'f':
		return c.kind == 't', nil
	case '"':
		if b, err := strconv.ParseBool(string(c.text)); err == nil {
			return b, nil
		}
	}
	return false, badValue(c, typeBool)
}

// typedTime reads a TIMESTAMP (text, or seconds since the epoch) or a DATE (2006-01-02).
func typedTime(c *cell, t colType) (time.Time, error) {
	switch {
	case t == typeDate && c.kind == '"':
		if d, err := time.Parse(time.DateOnly, string(c.text)); err == nil {
			return d, nil
		}
	case t == typeTimestamp && (c.kind == '"' || c.kind == '0'):
		if ts, ok := parseTimestamp(string(c.text), c.kind == '"'); ok {
			return ts, nil
		}
	}
	return time.Time{}, badValue(c, t)
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
