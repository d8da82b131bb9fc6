package cartotest

import (
	"fmt"
	"strings"
)

// sqlParser walks the tokens of one statement.
type sqlParser struct {
	toks []sqlToken
	i    int
	q    *sqlQuery // the statement being read, which records the parameters it meets
}

// peek is the current token.
func (p *sqlParser) peek() sqlToken { return p.toks[p.i] }

// next returns the current token and moves past it (never past the end).
func (p *sqlParser) next() sqlToken {
	t := p.toks[p.i]
	if t.kind != tokEnd {
		p.i++
	}
	return t
}

// keyword moves past the current token if it is the keyword kw (in any case).
func (p *sqlParser) keyword(kw string) bool {
	if t := p.peek(); t.kind == tokWord && strings.EqualFold(t.text, kw) {
		p.i++
		return true
	}
	return false
}

// symbol moves past the current token if it is the symbol s.
func (p *sqlParser) symbol(s string) bool {
	if t := p.peek(); t.kind == tokSymbol && t.text == s {
		p.i++
		return true
	}
	return false
}

// expectKeyword moves past the keyword kw, or fails on what is there instead.
func (p *sqlParser) expectKeyword(kw string) error {
	if !p.keyword(kw) {
		return p.unexpected()
	}
	return nil
}

// expectSymbol moves past the symbol s, or fails on what is there instead.
func (p *sqlParser) expectSymbol(s string) error {
	if !p.symbol(s) {
		return p.unexpected()
	}
	return nil
}

// identifier moves past an identifier (a quoted one, or a word that is not a keyword) and
// returns it.
func (p *sqlParser) identifier() (string, bool) {
	t := p.peek()
	if t.kind == tokQuoted || t.kind == tokWord && !sqlReserved(t.text) {
		p.i++
		return t.text, true
	}
	return "", false
}

// unexpected is the error for the current token, which the subset has no place for.
func (p *sqlParser) unexpected() error {
	t := p.peek()
	switch {
	case t.kind == tokEnd:
		return sqlErrorf("the statement ends too early: %s", sqlSubset)
	case t.kind == tokWord && sqlReserved(t.text):
		return sqlUnsupported("the keyword "+strings.ToUpper(t.text), t.start)
	case t.kind == tokString:
		return sqlUnsupported(fmt.Sprintf("the string %q", t.text), t.start)
	case t.kind == tokQuoted:
		return sqlUnsupported(fmt.Sprintf("the identifier %q", t.text), t.start)
	}
	return sqlUnsupported(fmt.Sprintf("%q", p.tokenText(t)), t.start)
}

// tokenText is how t is written in the statement.
func (p *sqlParser) tokenText(t sqlToken) string {
	if t.kind == tokNamedParam {
		return "@" + t.text
	}
	return t.text
}

// sqlReserved reports whether word is one of BigQuery's reserved keywords, which cannot name
// a column without quotes.
func sqlReserved(word string) bool {
	switch strings.ToUpper(word) {
	case "ALL", "AND", "ANY", "ARRAY", "AS", "ASC", "ASSERT_ROWS_MODIFIED", "AT", "BETWEEN", "BY",
		"CASE", "CAST", "COLLATE", "CONTAINS", "CREATE", "CROSS", "CUBE", "CURRENT", "DEFAULT",
		"DEFINE", "DESC", "DISTINCT", "ELSE", "END", "ENUM", "ESCAPE", "EXCEPT", "EXCLUDE",
		"EXISTS", "EXTRACT", "FALSE", "FETCH", "FOLLOWING", "FOR", "FROM", "FULL", "GROUP",
		"GROUPING", "GROUPS", "HASH", "HAVING", "IF", "IGNORE", "IN", "INNER", "INTERSECT",
		"INTERVAL", "INTO", "IS", "JOIN", "LATERAL", "LEFT", "LIKE", "LIMIT", "LOOKUP", "MERGE",
		"NATURAL", "NEW", "NO", "NOT", "NULL", "NULLS", "OF", "ON", "OR", "ORDER", "OUTER", "OVER",
		"PARTITION", "PRECEDING", "PROTO", "QUALIFY", "RANGE", "RECURSIVE", "RESPECT", "RIGHT",
		"ROLLUP", "ROWS", "SELECT", "SET", "SOME", "STRUCT", "TABLESAMPLE", "THEN", "TO", "TREAT",
		"TRUE", "UNBOUNDED", "UNION", "UNNEST", "USING", "WHEN", "WHERE", "WINDOW", "WITH", "WITHIN":
		return true
	}
	return false
}
