package cartotest

import (
	"strconv"
	"strings"
)

// sqlBound is an operand bound to the table: a column's index, or a constant (a literal's or
// a parameter's value), with its type.
type sqlBound struct {
	col   int // -1 for a constant
	value any
	typ   string
}

// of is the operand's value in row.
func (b sqlBound) of(row []any) any {
	if b.col >= 0 {
		return row[b.col]
	}
	return b.value
}

// sqlOutput is one column of the answer: its name and where its values come from.
type sqlOutput struct {
	name  string
	count bool // COUNT(*); else from
	from  sqlBound
}

// sqlBoundCond is a WHERE condition bound to the table.
type sqlBoundCond struct {
	op          string
	left, right *sqlBoundCond
	a, b        sqlBound
}

// sqlBinder resolves a statement's names against its table and parameters, and checks types.
type sqlBinder struct {
	t      *sqlTable // nil without FROM
	params sqlParams
	read   []bool // the table's columns the statement reads
}

// operand binds o: a column of the table, a literal, or a parameter's value.
func (b *sqlBinder) operand(o sqlOperand) (sqlBound, error) {
	switch o.kind {
	case operandColumn:
		if b.t == nil {
			return sqlBound{}, sqlErrorf("Unrecognized name: %s at character %d (without FROM there are no columns)", o.name, o.pos+1)
		}
		i := b.t.columnIndex(o.name)
		if i < 0 {
			return sqlBound{}, sqlErrorf("Unrecognized name: %s at character %d (table %s has columns %s)", o.name, o.pos+1, b.t.name, b.t.columnNames())
		}
		b.read[i] = true
		return sqlBound{col: i, typ: b.t.columns[i].Type}, nil
	case operandLiteral:
		return sqlBound{col: -1, value: o.value, typ: sqlTypeOf(o.value)}, nil
	}
	v, typ, err := b.params.value(o)
	return sqlBound{col: -1, value: v, typ: typ}, err
}

// outputs binds the SELECT list to the answer's columns, naming each: its alias, else its
// column's name, else f0_, f1_, ... in the order of the unnamed ones (as BigQuery does).
func (b *sqlBinder) outputs(items []sqlItem) (outs []sqlOutput, aggregate bool, err error) {
	unnamed := 0
	for _, it := range items {
		switch it.kind {
		case itemStar:
			if b.t == nil {
				return nil, false, sqlErrorf("SELECT * at character %d needs a FROM clause", it.pos+1)
			}
			for i, c := range b.t.columns {
				b.read[i] = true
				outs = append(outs, sqlOutput{name: c.Name, from: sqlBound{col: i, typ: c.Type}})
			}
			continue
		case itemCount:
			aggregate = true
			outs = append(outs, sqlOutput{name: it.alias, count: true, from: sqlBound{col: -1, typ: sqlInt64}})
		default:
			from, err := b.operand(it.operand)
			if err != nil {
				return nil, false, err
			}
			name := it.alias
			if name == "" && from.col >= 0 {
				name = b.t.columns[from.col].Name
			}
			outs = append(outs, sqlOutput{name: name, from: from})
		}
		if outs[len(outs)-1].name == "" {
			outs[len(outs)-1].name = "f" + strconv.Itoa(unnamed) + "_"
			unnamed++
		}
	}
	return outs, aggregate, sqlCheckOutputs(outs, aggregate)
}

// sqlCheckOutputs refuses an answer with two columns of one name, and, beside COUNT(*), a
// column of the table (which would need GROUP BY).
func sqlCheckOutputs(outs []sqlOutput, aggregate bool) error {
	for i, o := range outs {
		if aggregate && o.from.col >= 0 {
			return sqlErrorf("SELECT list expression references column %s which is neither grouped nor aggregated: "+
				"beside COUNT(*) only literals and parameters (GROUP BY is not supported)", o.name)
		}
		for _, p := range outs[:i] {
			if strings.EqualFold(p.name, o.name) {
				return sqlErrorf("Duplicate column names in the result are not supported. Found duplicate(s): %s", o.name)
			}
		}
	}
	return nil
}

// condition binds a WHERE condition, checking that each comparison compares like with like.
func (b *sqlBinder) condition(c *sqlCond) (*sqlBoundCond, error) {
	if c.op == "AND" || c.op == "OR" {
		left, err := b.condition(c.left)
		if err != nil {
			return nil, err
		}
		right, err := b.condition(c.right)
		return &sqlBoundCond{op: c.op, left: left, right: right}, err
	}
	x, err := b.operand(c.a)
	if err != nil {
		return nil, err
	}
	y, err := b.operand(c.b)
	if err != nil {
		return nil, err
	}
	if !sqlComparable(x.typ, y.typ) {
		return nil, sqlErrorf("No matching signature for operator %s for argument types: %s, %s (at character %d; "+
			"numbers compare with numbers, strings with strings, GEOGRAPHY with nothing)", c.op, x.typ, y.typ, c.pos+1)
	}
	return &sqlBoundCond{op: c.op, a: x, b: y}, nil
}

// orderKey binds an ORDER BY key to a column of the answer (by name or alias) or, when the
// answer is not an aggregate, of the table.
func (b *sqlBinder) orderKey(k sqlOrderKey, outs []sqlOutput, aggregate bool) (sqlBound, error) {
	var key *sqlBound
	for _, o := range outs {
		if strings.EqualFold(o.name, k.name) {
			key = &o.from
			break
		}
	}
	if key == nil && !aggregate && b.t != nil {
		if i := b.t.columnIndex(k.name); i >= 0 {
			b.read[i] = true
			key = &sqlBound{col: i, typ: b.t.columns[i].Type}
		}
	}
	if key == nil {
		return sqlBound{}, sqlErrorf("Unrecognized name: %s in ORDER BY at character %d", k.name, k.pos+1)
	}
	if key.typ == sqlGeography {
		return sqlBound{}, sqlErrorf("ORDER BY does not support expressions of type GEOGRAPHY (%s at character %d)", k.name, k.pos+1)
	}
	return *key, nil
}
