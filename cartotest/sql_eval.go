package cartotest

import "slices"

// sqlAnswer is a statement's answer: its columns and rows, and the bytes BigQuery would have
// counted as processed.
type sqlAnswer struct {
	schema         []column
	rows           [][]any
	bytesProcessed int64
}

// runSQL runs one statement of this subset on the built-in tables (cities, features):
//
//	SELECT item [, item ...]
//	[FROM table]
//	[WHERE condition]
//	[ORDER BY column [ASC | DESC] [, ...]]
//	[LIMIT n] [;]
//
// An item is *, COUNT(*), a column, a literal (a number, or a 'string' with backslash
// escapes), or a parameter (@name from a JSON object of queryParameters, ? from a JSON
// array), each but * with an optional [AS] alias. COUNT(*) goes only with literals and
// parameters, and then the answer is one row. The table is named plainly or with its project
// and dataset (`project.dataset.cities`): the last dotted part names it. Without FROM the
// items are literals and parameters, answered as one row. A condition compares two
// operands (columns, literals, parameters) with = != <> < <= > or >=, and joins comparisons
// with AND and OR (AND first) and parentheses; a comparison with NULL is neither true nor
// false, as in SQL. ORDER BY takes names of the answer's columns (or aliases), or of the
// table's; NULLs come first, or last with DESC. Keywords are read in any case; identifiers
// may be `backticked` or "double-quoted"; column names match without regard to case.
//
// Anything else (a JOIN, a function, GROUP BY, DDL or DML, a missing parameter, an unknown
// table or column, a comparison of different types) is a *sqlError that says what.
func runSQL(sql string, params sqlParams) (*sqlAnswer, error) {
	q, err := parseSQL(sql)
	if err != nil {
		return nil, err
	}
	if q.named && q.positional > 0 {
		return nil, sqlErrorf("a query takes named parameters (@name) or positional ones (?), not both")
	}
	b := &sqlBinder{params: params}
	rows := [][]any{{}} // without FROM, one row of no columns
	if q.from != "" {
		if b.t = sqlTableNamed(q.from); b.t == nil {
			return nil, sqlErrorf("Table not found: %s at character %d (the sandbox's tables are %s)", q.from, q.fromPos+1, sqlTableNames)
		}
		b.read, rows = make([]bool, len(b.t.columns)), b.t.rows
	}
	outs, aggregate, err := b.outputs(q.items)
	if err != nil {
		return nil, err
	}
	var where *sqlBoundCond
	if q.where != nil {
		if where, err = b.condition(q.where); err != nil {
			return nil, err
		}
	}
	keys := make([]sqlBound, len(q.orderBy))
	for i, k := range q.orderBy {
		if keys[i], err = b.orderKey(k, outs, aggregate); err != nil {
			return nil, err
		}
	}
	kept := sqlFilter(rows, where)
	if aggregate {
		kept = [][]any{{int64(len(kept))}}
	} else {
		sqlSort(kept, keys, q.orderBy)
	}
	if q.limit >= 0 && int64(len(kept)) > q.limit {
		kept = kept[:q.limit]
	}
	ans := &sqlAnswer{bytesProcessed: b.bytesRead()}
	for _, o := range outs {
		ans.schema = append(ans.schema, column{o.name, o.from.typ})
	}
	for _, row := range kept {
		ans.rows = append(ans.rows, sqlProject(row, outs))
	}
	return ans, nil
}

// sqlFilter keeps the rows for which where is true (all without a condition).
func sqlFilter(rows [][]any, where *sqlBoundCond) [][]any {
	var kept [][]any
	for _, row := range rows {
		if where == nil || where.eval(row) == sqlTrue {
			kept = append(kept, row)
		}
	}
	return kept
}

// sqlSort orders rows by keys, stably (rows that tie keep the table's order).
func sqlSort(rows [][]any, keys []sqlBound, order []sqlOrderKey) {
	slices.SortStableFunc(rows, func(x, y []any) int {
		for i, k := range keys {
			c := sqlOrder(k.of(x), k.of(y))
			if order[i].desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

// sqlProject is a row of the answer: outs' values from a row of the table (for an aggregate,
// from the one row that holds the count).
func sqlProject(row []any, outs []sqlOutput) []any {
	out := make([]any, len(outs))
	for i, o := range outs {
		if o.count {
			out[i] = row[0]
		} else {
			out[i] = o.from.of(row)
		}
	}
	return out
}

// bytesRead is what BigQuery would count for reading the columns the statement uses, from
// every row of the table (it reads whole columns).
func (b *sqlBinder) bytesRead() int64 {
	var n int64
	for i, read := range b.read {
		for _, row := range b.t.rows {
			if read {
				n += sqlValueBytes(row[i], b.t.columns[i].Type)
			}
		}
	}
	return n
}
