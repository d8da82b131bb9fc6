package cartotest

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// sqlMaxExactInt is 2^53: an INT64 beyond ±this goes out as a JSON string, as a float64
// would not hold it exactly.
const sqlMaxExactInt = 1 << 53

// encode writes the answer in CARTO's v3 shape, schema first, each row's columns in the
// schema's order:
//
//	{"schema":[{"name":..,"type":..}],"rows":[{..}],"meta":{"cacheHit":false,"location":"US","totalBytesProcessed":"<n>"}}
//
// Strings go out as they are, <, > and & included: CARTO's API does not escape markup; the
// page that shows a value does.
func (a *sqlAnswer) encode() []byte {
	w := &sqlJSONWriter{}
	w.enc = json.NewEncoder(&w.buf)
	w.enc.SetEscapeHTML(false)
	w.buf.WriteString(`{"schema":[`)
	for i, c := range a.schema {
		w.comma(i)
		w.buf.WriteString(`{"name":`)
		w.str(c.Name)
		w.buf.WriteString(`,"type":`)
		w.str(c.Type)
		w.buf.WriteByte('}')
	}
	w.buf.WriteString(`],"rows":[`)
	for i, row := range a.rows {
		w.comma(i)
		w.buf.WriteByte('{')
		for j, v := range row {
			w.comma(j)
			w.str(a.schema[j].Name)
			w.buf.WriteByte(':')
			w.value(v)
		}
		w.buf.WriteByte('}')
	}
	w.buf.WriteString(`],"meta":{"cacheHit":false,"location":"US","totalBytesProcessed":"`)
	w.buf.WriteString(strconv.FormatInt(a.bytesProcessed, 10))
	w.buf.WriteString("\"}}\n")
	return w.buf.Bytes()
}

// sqlJSONWriter builds a JSON text without escaping markup.
type sqlJSONWriter struct {
	buf bytes.Buffer
	enc *json.Encoder // writes to buf, markup as it is
}

// comma separates the i-th element of a list or object from the one before.
func (w *sqlJSONWriter) comma(i int) {
	if i > 0 {
		w.buf.WriteByte(',')
	}
}

// str writes s as a JSON string.
func (w *sqlJSONWriter) str(s string) {
	_ = w.enc.Encode(s)             // a string always encodes
	w.buf.Truncate(w.buf.Len() - 1) // Encode's newline
}

// value writes a column's value: null, a number (an INT64 beyond ±2^53 as a string), or a
// string.
func (w *sqlJSONWriter) value(v any) {
	switch v := v.(type) {
	case nil:
		w.buf.WriteString("null")
	case int64:
		if v > sqlMaxExactInt || v < -sqlMaxExactInt {
			w.str(strconv.FormatInt(v, 10))
		} else {
			w.buf.WriteString(strconv.FormatInt(v, 10))
		}
	case float64:
		w.buf.Write(strconv.AppendFloat(nil, v, 'g', -1, 64))
	case string:
		w.str(v)
	}
}
