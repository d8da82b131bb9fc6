package cartotest

import "strings"

// sqlTokenKind is what a token of a SQL statement is.
type sqlTokenKind int

const (
	tokEnd        sqlTokenKind = iota // after the last token
	tokWord                           // a keyword or an unquoted identifier, as written
	tokQuoted                         // a `backticked` or "double-quoted" identifier, unescaped
	tokString                         // a 'string' literal, unescaped
	tokNumber                         // a number literal, as written
	tokNamedParam                     // @name; its text is the name
	tokQuestion                       // ?, a positional parameter
	tokSymbol                         // punctuation or an operator: , ( ) * . ; - = != <> < <= > >= ...
)

// sqlToken is one token, with where it starts and ends in the statement (byte offsets).
type sqlToken struct {
	kind       sqlTokenKind
	text       string
	start, end int
}

// sqlTokens splits q into tokens, the last of kind tokEnd. White space separates tokens;
// quoted identifiers and strings take BigQuery's backslash escapes (\\ \' \" \` \n \t).
func sqlTokens(q string) ([]sqlToken, error) {
	var toks []sqlToken
	for i := 0; ; {
		for i < len(q) && strings.IndexByte(" \t\r\n\f", q[i]) >= 0 {
			i++
		}
		if i == len(q) {
			return append(toks, sqlToken{kind: tokEnd, start: i, end: i}), nil
		}
		tok, err := sqlNextToken(q, i)
		if err != nil {
			return nil, err
		}
		toks = append(toks, tok)
		i = tok.end
	}
}

// sqlNextToken reads the token that starts at q[i], which is not white space.
func sqlNextToken(q string, i int) (sqlToken, error) {
	c := q[i]
	switch {
	case sqlWordStart(c):
		end := sqlWordEnd(q, i)
		return sqlToken{tokWord, q[i:end], i, end}, nil
	case c >= '0' && c <= '9':
		return sqlNumberToken(q, i), nil
	case c == '`' || c == '"':
		return sqlQuotedToken(q, i, tokQuoted, "identifier")
	case c == '\'':
		return sqlQuotedToken(q, i, tokString, "string")
	case c == '@':
		end := sqlWordEnd(q, i+1)
		if end == i+1 || !sqlWordStart(q[i+1]) {
			return sqlToken{}, sqlErrorf("a parameter at character %d has no name: write @name", i+1)
		}
		return sqlToken{tokNamedParam, q[i+1 : end], i, end}, nil
	case c == '?':
		return sqlToken{tokQuestion, "?", i, i + 1}, nil
	}
	for _, op := range []string{"!=", "<>", "<=", ">="} {
		if strings.HasPrefix(q[i:], op) {
			return sqlToken{tokSymbol, op, i, i + 2}, nil
		}
	}
	if c < 0x80 && c > ' ' {
		return sqlToken{tokSymbol, q[i : i+1], i, i + 1}, nil
	}
	return sqlToken{}, sqlErrorf("unexpected character at character %d: identifiers outside quotes are ASCII letters, digits and _", i+1)
}

// sqlWordStart reports whether c starts an unquoted identifier or keyword.
func sqlWordStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// sqlWordEnd is the end of the letters, digits and underscores from q[i].
func sqlWordEnd(q string, i int) int {
	for i < len(q) && (sqlWordStart(q[i]) || q[i] >= '0' && q[i] <= '9') {
		i++
	}
	return i
}

// sqlNumberToken reads digits[.digits][e[+-]digits] from q[i].
func sqlNumberToken(q string, i int) sqlToken {
	digits := func(j int) int {
		for j < len(q) && q[j] >= '0' && q[j] <= '9' {
			j++
		}
		return j
	}
	end := digits(i)
	if end+1 < len(q) && q[end] == '.' && q[end+1] >= '0' && q[end+1] <= '9' {
		end = digits(end + 1)
	}
	if end < len(q) && (q[end] == 'e' || q[end] == 'E') {
		j := end + 1
		if j < len(q) && (q[j] == '+' || q[j] == '-') {
			j++
		}
		if k := digits(j); k > j {
			end = k
		}
	}
	return sqlToken{tokNumber, q[i:end], i, end}
}

// sqlQuotedToken reads a quoted identifier or string from q[i] (the opening quote) to the
// matching closing quote, unescaping it.
func sqlQuotedToken(q string, i int, kind sqlTokenKind, what string) (sqlToken, error) {
	quote := q[i]
	var b strings.Builder
	for j := i + 1; j < len(q); j++ {
		switch c := q[j]; {
		case c == quote:
			if kind == tokQuoted && b.Len() == 0 {
				return sqlToken{}, sqlErrorf("an empty quoted identifier at character %d", i+1)
			}
			return sqlToken{kind, b.String(), i, j + 1}, nil
		case c == '\\' && j+1 < len(q):
			j++
			switch e := q[j]; e {
			case '\\', '\'', '"', '`':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				return sqlToken{}, sqlErrorf("the escape \\%c at character %d is not supported (only \\\\ \\' \\\" \\` \\n \\t)", e, j)
			}
		default:
			b.WriteByte(c)
		}
	}
	return sqlToken{}, sqlErrorf("the %s that starts at character %d has no closing %c", what, i+1, quote)
}
