package cartotest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// bqParseQuery matches sql against the one query shape the stand-in understands,
//
//	SELECT <* | columns> FROM <[project.dataset.]cities> [LIMIT n]
//
// in any case, with a table name in backquotes or not, and a trailing semicolon or not. It
// returns the select list and the LIMIT's digits ("" without one). It is the regular
// expression
//
//	(?is)^\s*select\s+(.+?)\s+from\s+`?(?:[\w-]+\.){0,2}cities`?(?:\s+limit\s+(\d+))?\s*;?\s*$
//
// written out, so that programs linking this package (the cartoauth CLI) do not link and
// initialize package regexp; TestBQParseQueryIsTheRegexp holds the two equal. As there, the
// select list is the shortest that lets the rest match, after as much white space as can be.
func bqParseQuery(sql string) (list, limit string, ok bool) {
	rest, ok := bqCutWord(bqTrimSpace(sql), "select")
	if !ok {
		return "", "", false
	}
	spaces := len(rest) - len(bqTrimSpace(rest))
	for skip := spaces; skip >= 1; skip-- { // \s+ is greedy: as much white space first
		from := rest[skip:]
		for j := 0; j < len(from); {
			_, size := utf8.DecodeRuneInString(from[j:])
			j += size // .+? takes at least one character, then as few as can be
			if limit, ok := bqParseFrom(from[j:]); ok {
				return from[:j], limit, true
			}
		}
	}
	return "", "", false
}

// bqParseFrom matches s against \s+from\s+`?(?:[\w-]+\.){0,2}cities`?(?:\s+limit\s+(\d+))?\s*;?\s*$
// and returns the LIMIT's digits.
func bqParseFrom(s string) (limit string, ok bool) {
	s, ok = bqCutSpaces(s)
	if ok {
		s, ok = bqCutWord(s, "from")
	}
	if ok {
		s, ok = bqCutSpaces(s)
	}
	if !ok {
		return "", false
	}
	s = strings.TrimPrefix(s, "`")
	name := strings.IndexFunc(s, func(r rune) bool { return !bqIsWordRune(r) && r != '.' })
	if name < 0 {
		name = len(s)
	}
	if !bqIsCitiesTable(s[:name]) {
		return "", false
	}
	s = strings.TrimPrefix(s[name:], "`")
	if digits, ok := bqParseLimit(s); ok {
		return digits, true
	}
	return "", bqIsEnd(s)
}

// bqParseLimit matches s against \s+limit\s+(\d+)\s*;?\s*$ and returns the digits.
func bqParseLimit(s string) (digits string, ok bool) {
	s, ok = bqCutSpaces(s)
	if ok {
		s, ok = bqCutWord(s, "limit")
	}
	if ok {
		s, ok = bqCutSpaces(s)
	}
	if !ok {
		return "", false
	}
	n := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if n < 0 {
		n = len(s)
	}
	return s[:n], n > 0 && bqIsEnd(s[n:])
}

// bqIsCitiesTable reports whether name is cities, dataset.cities or project.dataset.cities,
// each part before cities one or more of [\w-].
func bqIsCitiesTable(name string) bool {
	parts := strings.Split(name, ".")
	if len(parts) > 3 {
		return false
	}
	if slices.Contains(parts[:len(parts)-1], "") {
		return false
	}
	last, ok := bqCutWord(parts[len(parts)-1], "cities")
	return ok && last == ""
}

// bqIsEnd reports whether s matches \s*;?\s*$.
func bqIsEnd(s string) bool {
	return bqTrimSpace(strings.TrimPrefix(bqTrimSpace(s), ";")) == ""
}

// bqCutSpaces drops the leading white space of s, reporting whether there was any (\s+).
func bqCutSpaces(s string) (string, bool) {
	t := bqTrimSpace(s)
	return t, len(t) < len(s)
}

// bqTrimSpace drops the leading white space of s, as \s* of package regexp: [\t\n\f\r ].
func bqTrimSpace(s string) string {
	return strings.TrimLeft(s, "\t\n\f\r ")
}

// bqCutWord cuts word (lower-case ASCII letters) from the start of s in any case, as (?i) of
// package regexp folds it: the Unicode simple folding, so that "ſ" (U+017F) is an "s".
func bqCutWord(s, word string) (string, bool) {
	for _, w := range word {
		r, size := utf8.DecodeRuneInString(s)
		if size == 0 || !bqFoldEqual(r, w) {
			return "", false
		}
		s = s[size:]
	}
	return s, true
}

// bqFoldEqual reports whether r is w under Unicode simple case folding.
func bqFoldEqual(r, w rune) bool {
	for f := unicode.SimpleFold(w); f != w; f = unicode.SimpleFold(f) {
		if f == r {
			return true
		}
	}
	return r == w
}

// bqIsWordRune reports whether r matches (?i)[\w-] of package regexp: [0-9A-Za-z_-], and
// "ſ" (U+017F) and the Kelvin sign (U+212A), which fold to s and k.
func bqIsWordRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
		r == '_' || r == '-' || r == 'ſ' || r == '\u212A'
}
