package cartotest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// sqlParams are a query's parameters, from its queryParameters: named ones (@name) from a
// JSON object, or positional ones (?) from a JSON array. Values are JSON numbers (an INT64
// when whole, else a FLOAT64) or strings (STRING).
type sqlParams struct {
	named      map[string]any // nil unless an object was given
	positional []any          // nil unless an array was given
}

// decodeSQLParams reads queryParameters; nothing, or JSON null, is no parameters.
func decodeSQLParams(raw []byte) (sqlParams, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return sqlParams{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return sqlParams{}, sqlErrorf("queryParameters is not JSON: give an object for @name parameters or an array for ?")
	}
	switch v := v.(type) {
	case nil:
		return sqlParams{}, nil
	case map[string]any:
		return sqlParams{named: v}, nil
	case []any:
		return sqlParams{positional: v}, nil
	}
	return sqlParams{}, sqlErrorf("queryParameters must be a JSON object (for @name parameters) or array (for ?)")
}

// value is the value and type of a parameter of the statement.
func (ps sqlParams) value(o sqlOperand) (any, string, error) {
	var raw any
	switch {
	case o.kind == operandNamed && ps.named != nil:
		var ok bool
		if raw, ok = ps.named[o.name]; !ok {
			return nil, "", sqlErrorf("query parameter @%s (character %d) is missing: queryParameters has no %q", o.name, o.pos+1, o.name)
		}
	case o.kind == operandNamed:
		return nil, "", sqlErrorf("query parameter @%s (character %d) is missing: give queryParameters as a JSON object", o.name, o.pos+1)
	case o.index < len(ps.positional):
		raw = ps.positional[o.index]
	default:
		return nil, "", sqlErrorf("positional parameter %d (? at character %d) is missing: give queryParameters as a JSON array, a value for each ?",
			o.index+1, o.pos+1)
	}
	v, typ, ok := sqlParamValue(raw)
	if !ok {
		what := "@" + o.name
		if o.kind == operandPositional {
			what = "parameter " + strconv.Itoa(o.index+1)
		}
		return nil, "", sqlErrorf("query %s is %s: the sandbox takes numbers and strings", what, sqlJSONKind(raw))
	}
	return v, typ, nil
}

// sqlParamValue is a JSON value as a parameter: a whole number as INT64, another number as
// FLOAT64, a string as STRING.
func sqlParamValue(raw any) (any, string, bool) {
	switch v := raw.(type) {
	case string:
		return v, sqlString, true
	case json.Number:
		if !strings.ContainsAny(v.String(), ".eE") {
			n, err := v.Int64()
			return n, sqlInt64, err == nil
		}
		f, err := v.Float64()
		return f, sqlFloat64, err == nil
	}
	return nil, "", false
}

// sqlJSONKind names the kind of a decoded JSON value, for error messages.
func sqlJSONKind(raw any) string {
	switch v := raw.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case json.Number:
		return "the number " + v.String() + ", out of range"
	}
	return fmt.Sprintf("%T", raw)
}
