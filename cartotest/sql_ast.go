package cartotest

// sqlQuery is a parsed SELECT statement of the evaluator's subset.
type sqlQuery struct {
	items   []sqlItem
	from    string // the table's path as written, its parts joined by dots; "" without FROM
	fromPos int
	where   *sqlCond // nil without WHERE
	orderBy []sqlOrderKey
	limit   int64 // -1 without LIMIT
	// named and positional say which parameters the statement uses: @name ones, and how
	// many ? (numbered from 0 in their order).
	named      bool
	positional int
}

// sqlItemKind is what an entry of the SELECT list is.
type sqlItemKind int

const (
	itemStar    sqlItemKind = iota // *: every column of the table
	itemCount                      // COUNT(*)
	itemOperand                    // a column, a literal or a parameter
)

// sqlItem is one entry of the SELECT list.
type sqlItem struct {
	kind    sqlItemKind
	operand sqlOperand // for itemOperand
	alias   string     // "" without AS
	pos     int
}

// sqlOperandKind is what a value in the statement is.
type sqlOperandKind int

const (
	operandColumn     sqlOperandKind = iota // a column of the table, by name
	operandLiteral                          // a number or a string
	operandNamed                            // @name
	operandPositional                       // ?
)

// sqlOperand is a value in the SELECT list or in a comparison.
type sqlOperand struct {
	kind  sqlOperandKind
	name  string // the column's or the named parameter's
	value any    // a literal's: int64, float64 or string
	index int    // a positional parameter's, from 0
	pos   int
}

// sqlCond is a WHERE condition: AND or OR of two conditions, or a comparison of two operands.
type sqlCond struct {
	op          string // "AND", "OR", or one of = != <> < <= > >=
	left, right *sqlCond
	a, b        sqlOperand
	pos         int
}

// sqlOrderKey is one key of ORDER BY: an output or table column's name.
type sqlOrderKey struct {
	name string
	desc bool
	pos  int
}
