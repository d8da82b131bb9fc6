package cartotest

import (
	"strconv"
	"strings"
)

// operand reads a column name, a number or string literal, or a parameter.
func (p *sqlParser) operand() (sqlOperand, error) {
	t := p.peek()
	switch t.kind {
	case tokWord, tokQuoted:
		if t.kind == tokWord && sqlReserved(t.text) {
			return sqlOperand{}, p.unexpected()
		}
		p.next()
		if p.symbol("(") {
			return sqlOperand{}, sqlUnsupported("the function "+strings.ToUpper(t.text)+"()", t.start)
		}
		if p.peek().kind == tokSymbol && p.peek().text == "." {
			return sqlOperand{}, sqlUnsupported("the qualified name "+t.text+".…", t.start)
		}
		return sqlOperand{kind: operandColumn, name: t.text, pos: t.start}, nil
	case tokString:
		p.next()
		return sqlOperand{kind: operandLiteral, value: t.text, pos: t.start}, nil
	case tokNumber:
		p.next()
		v, err := sqlNumber(t.text, t.start)
		return sqlOperand{kind: operandLiteral, value: v, pos: t.start}, err
	case tokNamedParam:
		p.next()
		p.q.named = true
		return sqlOperand{kind: operandNamed, name: t.text, pos: t.start}, nil
	case tokQuestion:
		p.next()
		p.q.positional++
		return sqlOperand{kind: operandPositional, index: p.q.positional - 1, pos: t.start}, nil
	case tokSymbol:
		if t.text == "-" && p.toks[p.i+1].kind == tokNumber {
			p.next()
			n := p.next()
			v, err := sqlNumber("-"+n.text, t.start)
			return sqlOperand{kind: operandLiteral, value: v, pos: t.start}, err
		}
	}
	return sqlOperand{}, p.unexpected()
}

// sqlNumber is the value of a number literal: an INT64 for digits only, else a FLOAT64.
func sqlNumber(text string, pos int) (any, error) {
	if strings.ContainsAny(text, ".eE") {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, sqlErrorf("the number %s at character %d is out of FLOAT64's range", text, pos+1)
		}
		return f, nil
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return nil, sqlErrorf("the number %s at character %d is out of INT64's range", text, pos+1)
	}
	return n, nil
}
