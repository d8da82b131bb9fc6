package carto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// QueryInto runs sql as Query does and appends its rows to *dst, decoding each straight from
// the answer into a T, a struct whose fields take the columns of their JSON names (the json
// tag's, else the field's name; matched without regard to case when no name matches exactly),
// with Query's typing: an INT64 column fills an int field, a TIMESTAMP a time.Time, a nullable
// column a pointer field, and a column of any other Go type (a GEOGRAPHY as GeoJSON into a
// struct, say) is converted through JSON. Columns without a field are skipped. The returned
// result has the Schema and Meta, and no Rows.
func QueryInto[T any](ctx context.Context, auth *Auth, connection, sql string, dst *[]T, opts *QueryOptions) (*QueryResult, error) {
	typ := reflect.TypeFor[T]()
	if typ.Kind() != reflect.Struct {
		return nil, fmt.Errorf("QueryInto: rows go into structs, not %s", typ)
	}
	if dst == nil {
		return nil, fmt.Errorf("QueryInto: dst is nil")
	}
	res := &QueryResult{}
	sink := &structRows[T]{dst: dst, fields: columnFields(typ)}
	if err := auth.query(ctx, connection, sql, opts, sink, res); err != nil {
		return nil, err
	}
	return res, nil
}

// structRows is the rowSink of QueryInto: one T per row.
type structRows[T any] struct {
	dst    *[]T
	fields map[string][]int // column name (and its lower case) → field index path, nil for none
	cur    T
}

func (s *structRows[T]) begin(int) { var zero T; s.cur = zero }
func (s *structRows[T]) end() error {
	*s.dst = append(*s.dst, s.cur)
	return nil
}

func (s *structRows[T]) set(col string, c *cell, t colType) error {
	index, ok := s.fields[col]
	if !ok { // matched without regard to case once, then remembered (nil: no field)
		index = s.fields[strings.ToLower(col)]
		s.fields[col] = index
	}
	if index == nil {
		return nil // no field for this column
	}
	f := reflect.ValueOf(&s.cur).Elem().FieldByIndex(index)
	err := setDirect(f, c, t)
	if errors.Is(err, errNotDirect) {
		var v any
		if v, err = typed(c, t); err == nil {
			err = assign(f, v)
		}
	}
	if err != nil {
		return fmt.Errorf("into field %s: %w", reflect.TypeFor[T]().FieldByIndex(index).Name, err)
	}
	return nil
}

// errNotDirect sends setDirect's caller to the general way: typed, then assign.
var errNotDirect = errors.New("not a direct assignment")

// setDirect stores c, a scalar of type t, in a field of the matching Go kind without boxing it
// first (a large answer then leaves far less garbage); any other case is errNotDirect.
func setDirect(f reflect.Value, c *cell, t colType) error {
	if c.kind == 'n' || c.kind == '[' {
		return errNotDirect
	}
	switch {
	case t == typeInt && f.CanInt():
		n, err := typedInt(c)
		if err != nil {
			return err
		}
		if f.OverflowInt(n) {
			return fmt.Errorf("%d does not fit in a %s", n, f.Type())
		}
		f.SetInt(n)
	case t == typeFloat && f.CanFloat():
		x, err := typedFloat(c)
		if err != nil {
			return err
		}
		f.SetFloat(x)
	case (t == typeString || t == typeOther) && c.kind == '"' && f.Kind() == reflect.String:
		f.SetString(string(c.text))
	case t == typeBool && f.Kind() == reflect.Bool:
		b, err := typedBool(c)
		if err != nil {
			return err
		}
		f.SetBool(b)
	case t == typeTimestamp || t == typeDate:
		p, ok := f.Addr().Interface().(*time.Time)
		if !ok {
			return errNotDirect
		}
		ts, err := typedTime(c, t)
		if err != nil {
			return err
		}
		*p = ts
	default:
		return errNotDirect
	}
	return nil
}

// columnFields maps the column names a struct's fields take (see QueryInto) to their index
// paths; promoted fields of embedded structs (not pointers) count, as in encoding/json.
func columnFields(typ reflect.Type) map[string][]int {
	out := map[string][]int{}
	lower := map[string][]int{}
	for _, f := range reflect.VisibleFields(typ) {
		if !f.IsExported() || f.Anonymous && f.Type.Kind() == reflect.Struct || throughPointer(typ, f.Index) {
			continue
		}
		name := f.Name
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == "-" {
			continue
		} else if tag != "" {
			name = tag
		}
		if _, dup := out[name]; !dup {
			out[name] = f.Index
		}
		if _, dup := lower[strings.ToLower(name)]; !dup {
			lower[strings.ToLower(name)] = f.Index
		}
	}
	for name, index := range lower {
		if _, ok := out[name]; !ok {
			out[name] = index
		}
	}
	return out
}

// throughPointer reports whether the field at index is reached through an embedded pointer.
func throughPointer(typ reflect.Type, index []int) bool {
	for _, i := range index[:len(index)-1] {
		f := typ.Field(i)
		if f.Type.Kind() == reflect.Pointer {
			return true
		}
		typ = f.Type
	}
	return false
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	numberType = reflect.TypeFor[json.Number]()
)

// assign stores the typed value v in the field f.
func assign(f reflect.Value, v any) error {
	if v == nil {
		f.SetZero()
		return nil
	}
	rv := reflect.ValueOf(v)
	switch {
	case f.Kind() == reflect.Pointer:
		p := reflect.New(f.Type().Elem())
		if err := assign(p.Elem(), v); err != nil {
			return err
		}
		f.Set(p)
		return nil
	case f.Kind() == reflect.Interface && rv.Type().AssignableTo(f.Type()), f.Type() == rv.Type():
		f.Set(rv)
		return nil
	case f.Type() == timeType:
		return fmt.Errorf("a %T cannot be a time.Time", v)
	}
	switch x := v.(type) {
	case int64:
		return assignInt(f, x)
	case float64:
		if f.CanFloat() {
			f.SetFloat(x)
			return nil
		}
	case json.Number:
		if f.Type() == numberType {
			f.Set(rv)
			return nil
		}
		if n, err := x.Int64(); err == nil {
			return assignInt(f, n)
		}
		if fl, err := x.Float64(); err == nil && f.CanFloat() {
			f.SetFloat(fl)
			return nil
		}
	case string:
		if f.Kind() == reflect.String {
			f.SetString(x)
			return nil
		}
	case bool:
		if f.Kind() == reflect.Bool {
			f.SetBool(x)
			return nil
		}
	}
	if k := f.Kind(); k == reflect.Struct || k == reflect.Map || k == reflect.Slice || k == reflect.Array {
		b, err := json.Marshal(v)
		if err == nil {
			err = json.Unmarshal(b, f.Addr().Interface())
		}
		return err
	}
	return fmt.Errorf("a %T cannot be a %s", v, f.Type())
}

// assignInt stores n in an integer or float field, refusing one too small to hold it.
func assignInt(f reflect.Value, n int64) error {
	switch {
	case f.CanInt():
		if f.OverflowInt(n) {
			return fmt.Errorf("%d does not fit in a %s", n, f.Type())
		}
		f.SetInt(n)
	case f.CanUint():
		if n < 0 || f.OverflowUint(uint64(n)) {
			return fmt.Errorf("%d does not fit in a %s", n, f.Type())
		}
		f.SetUint(uint64(n))
	case f.CanFloat():
		f.SetFloat(float64(n))
	default:
		return fmt.Errorf("an integer cannot be a %s", f.Type())
	}
	return nil
}
