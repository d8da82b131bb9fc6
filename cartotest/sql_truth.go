package cartotest

// sqlTruth is the value of a condition in SQL's three-valued logic.
type sqlTruth int

const (
	sqlFalse   sqlTruth = iota
	sqlTrue             // the only value for which WHERE keeps a row
	sqlUnknown          // a comparison with NULL, and what it spreads to
)

// eval is the condition's value for row.
func (c *sqlBoundCond) eval(row []any) sqlTruth {
	switch c.op {
	case "AND":
		l, r := c.left.eval(row), c.right.eval(row)
		switch {
		case l == sqlFalse || r == sqlFalse:
			return sqlFalse
		case l == sqlUnknown || r == sqlUnknown:
			return sqlUnknown
		}
		return sqlTrue
	case "OR":
		l, r := c.left.eval(row), c.right.eval(row)
		switch {
		case l == sqlTrue || r == sqlTrue:
			return sqlTrue
		case l == sqlUnknown || r == sqlUnknown:
			return sqlUnknown
		}
		return sqlFalse
	}
	x, y := c.a.of(row), c.b.of(row)
	if x == nil || y == nil {
		return sqlUnknown
	}
	n := sqlCompare(x, y)
	var holds bool
	switch c.op {
	case "=":
		holds = n == 0
	case "!=", "<>":
		holds = n != 0
	case "<":
		holds = n < 0
	case "<=":
		holds = n <= 0
	case ">":
		holds = n > 0
	case ">=":
		holds = n >= 0
	}
	if holds {
		return sqlTrue
	}
	return sqlFalse
}
