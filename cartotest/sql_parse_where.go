package cartotest

// sqlComparison reports whether op is one of the comparison operators WHERE takes.
func sqlComparison(op string) bool {
	switch op {
	case "=", "!=", "<>", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// condition reads comparisons joined by OR and AND (AND binding tighter), with parentheses.
func (p *sqlParser) condition() (*sqlCond, error) {
	left, err := p.conjunction()
	for err == nil && p.keyword("OR") {
		var right *sqlCond
		pos := p.toks[p.i-1].start
		if right, err = p.conjunction(); err == nil {
			left = &sqlCond{op: "OR", left: left, right: right, pos: pos}
		}
	}
	return left, err
}

// conjunction reads comparisons (or parenthesized conditions) joined by AND.
func (p *sqlParser) conjunction() (*sqlCond, error) {
	left, err := p.primaryCondition()
	for err == nil && p.keyword("AND") {
		var right *sqlCond
		pos := p.toks[p.i-1].start
		if right, err = p.primaryCondition(); err == nil {
			left = &sqlCond{op: "AND", left: left, right: right, pos: pos}
		}
	}
	return left, err
}

// primaryCondition reads a parenthesized condition or one comparison.
func (p *sqlParser) primaryCondition() (*sqlCond, error) {
	if p.symbol("(") {
		c, err := p.condition()
		if err == nil {
			err = p.expectSymbol(")")
		}
		return c, err
	}
	a, err := p.operand()
	if err != nil {
		return nil, err
	}
	op := p.peek()
	if op.kind != tokSymbol || !sqlComparison(op.text) {
		return nil, p.unexpected()
	}
	p.next()
	b, err := p.operand()
	if err != nil {
		return nil, err
	}
	return &sqlCond{op: op.text, a: a, b: b, pos: op.start}, nil
}
