package cartotest

import (
	"strconv"
	"strings"
)

// parseSQL reads one SELECT statement of the evaluator's subset (see runSQL), or says what in
// it is outside the subset.
func parseSQL(sql string) (*sqlQuery, error) {
	toks, err := sqlTokens(sql)
	if err != nil {
		return nil, err
	}
	p := &sqlParser{toks: toks, q: &sqlQuery{limit: -1}}
	if err := p.statement(); err != nil {
		return nil, err
	}
	return p.q, nil
}

// statement reads SELECT list [FROM table] [WHERE condition] [ORDER BY keys] [LIMIT n] [;].
func (p *sqlParser) statement() error {
	if t := p.peek(); !p.keyword("SELECT") {
		if t.kind == tokWord {
			return sqlErrorf("only SELECT statements run here, not %s: %s", strings.ToUpper(t.text), sqlSubset)
		}
		return p.unexpected()
	}
	err := p.selectList()
	if err == nil && p.keyword("FROM") {
		err = p.table()
	}
	if err == nil && p.keyword("WHERE") {
		p.q.where, err = p.condition()
	}
	if err == nil && p.keyword("ORDER") {
		if err = p.expectKeyword("BY"); err == nil {
			err = p.orderKeys()
		}
	}
	if err == nil && p.keyword("LIMIT") {
		err = p.limit()
	}
	if err != nil {
		return err
	}
	semicolon := p.symbol(";")
	if t := p.peek(); t.kind != tokEnd {
		if semicolon {
			return sqlErrorf("one statement at a time: another starts at character %d", t.start+1)
		}
		return p.unexpected()
	}
	return nil
}

// selectList reads the entries of the SELECT list, separated by commas.
func (p *sqlParser) selectList() error {
	for {
		it, err := p.item()
		if err != nil {
			return err
		}
		p.q.items = append(p.q.items, it)
		if !p.symbol(",") {
			return nil
		}
	}
}

// item reads *, COUNT(*), or an operand with an optional [AS] alias.
func (p *sqlParser) item() (sqlItem, error) {
	t := p.peek()
	if p.symbol("*") {
		return sqlItem{kind: itemStar, pos: t.start}, nil
	}
	it := sqlItem{kind: itemOperand, pos: t.start}
	if t.kind == tokWord && strings.EqualFold(t.text, "COUNT") && p.toks[p.i+1].text == "(" {
		p.i += 2
		if !p.symbol("*") || !p.symbol(")") {
			return it, sqlUnsupported("COUNT of anything but *", t.start)
		}
		it.kind = itemCount
	} else {
		var err error
		if it.operand, err = p.operand(); err != nil {
			return it, err
		}
	}
	if p.keyword("AS") {
		alias, ok := p.identifier()
		if !ok {
			return it, p.unexpected()
		}
		it.alias = alias
	} else if alias, ok := p.identifier(); ok {
		it.alias = alias
	}
	return it, nil
}

// table reads the FROM table's name: identifiers, quoted or not, joined by dots; unquoted
// parts may have dashes, as project ids do (carto-demo-data.demo_tables.cities).
func (p *sqlParser) table() error {
	p.q.fromPos = p.peek().start
	var parts []string
	for {
		part, err := p.tablePart()
		if err != nil {
			return err
		}
		parts = append(parts, part)
		if !p.symbol(".") {
			break
		}
	}
	p.q.from = strings.Join(parts, ".")
	if t := p.peek(); p.keyword("AS") || t.kind == tokQuoted || t.kind == tokWord && !sqlReserved(t.text) {
		return sqlUnsupported("a table alias", t.start)
	}
	return nil
}

// tablePart reads one part of a table's name: a quoted identifier, or words and numbers joined
// by dashes with no space between them.
func (p *sqlParser) tablePart() (string, error) {
	t := p.peek()
	if t.kind == tokQuoted {
		p.next()
		return t.text, nil
	}
	if t.kind != tokWord {
		return "", p.unexpected()
	}
	p.next()
	part := t.text
	for end := t.end; p.peek().kind == tokSymbol && p.peek().text == "-" && p.peek().start == end; {
		p.next()
		w := p.peek()
		if w.start != end+1 || w.kind != tokWord && w.kind != tokNumber {
			return "", p.unexpected()
		}
		p.next()
		part, end = part+"-"+w.text, w.end
	}
	return part, nil
}

// orderKeys reads ORDER BY's keys: column names, each with an optional ASC or DESC.
func (p *sqlParser) orderKeys() error {
	for {
		pos := p.peek().start
		name, ok := p.identifier()
		if !ok {
			return p.unexpected()
		}
		desc := p.keyword("DESC")
		if !desc {
			p.keyword("ASC")
		}
		p.q.orderBy = append(p.q.orderBy, sqlOrderKey{name: name, desc: desc, pos: pos})
		if !p.symbol(",") {
			return nil
		}
	}
}

// limit reads LIMIT's count, a whole number.
func (p *sqlParser) limit() error {
	t := p.peek()
	if t.kind != tokNumber || strings.ContainsAny(t.text, ".eE") {
		return p.unexpected()
	}
	p.next()
	n, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		return sqlErrorf("LIMIT %s at character %d is out of INT64's range", t.text, t.start+1)
	}
	p.q.limit = n
	return nil
}
