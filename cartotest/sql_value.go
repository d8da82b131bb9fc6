package cartotest

import (
	"cmp"
	"strings"
)

// BigQuery's names of the SQL API's column types. A value of each is, in Go: STRING and
// GEOGRAPHY (WKT text) a string, INT64 an int64, FLOAT64 a float64; NULL is nil.
const (
	sqlString    = "STRING"
	sqlInt64     = "INT64"
	sqlFloat64   = "FLOAT64"
	sqlGeography = "GEOGRAPHY"
)

// column is one entry of a SQL API answer's schema, and one column of a built-in table.
type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// sqlNumeric reports whether typ is INT64 or FLOAT64.
func sqlNumeric(typ string) bool { return typ == sqlInt64 || typ == sqlFloat64 }

// sqlComparable reports whether values of types a and b can be compared with = < > and the
// rest: two numbers, or two strings. GEOGRAPHY values cannot (as in BigQuery).
func sqlComparable(a, b string) bool {
	return sqlNumeric(a) && sqlNumeric(b) || a == sqlString && b == sqlString
}

// sqlCompare orders two non-NULL values of comparable types: -1, 0 or +1. An INT64 and a
// FLOAT64 compare as float64s.
func sqlCompare(a, b any) int {
	switch x := a.(type) {
	case string:
		return strings.Compare(x, b.(string))
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
		return cmp.Compare(float64(x), b.(float64))
	case float64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, float64(y))
		}
		return cmp.Compare(x, b.(float64))
	}
	return 0
}

// sqlOrder orders two values of one column for ORDER BY: NULL before any value, as
// BigQuery's ascending order puts it.
func sqlOrder(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return sqlCompare(a, b)
}

// sqlTypeOf is the type of a literal's value: an int64 is an INT64, a float64 a FLOAT64,
// anything else a STRING.
func sqlTypeOf(v any) string {
	switch v.(type) {
	case int64:
		return sqlInt64
	case float64:
		return sqlFloat64
	}
	return sqlString
}

// sqlValueBytes is how many bytes BigQuery counts for a value of typ when it reads one: 8 for
// a number, 2 plus its length for a string, 16 plus 24 a vertex (counted as commas plus one)
// for a GEOGRAPHY, nothing for NULL.
func sqlValueBytes(v any, typ string) int64 {
	s, isString := v.(string)
	switch {
	case v == nil:
		return 0
	case typ == sqlGeography && isString:
		return 16 + 24*int64(strings.Count(s, ",")+1)
	case isString:
		return 2 + int64(len(s))
	}
	return 8
}
