package wire

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// YAMLValue finds the string at path from the top of a YAML (or JSON) document, or "" when
// there is none, it is not a string, or the document cannot be read: apis.baseUrl, never
// other.apis.baseUrl. It reads the YAML a tenant's config.yaml is written in — block mappings
// (keys plain or quoted, comments, blank lines), flow mappings and JSON — and no more: a
// document it cannot follow gives "", and discovery then asks for the base URL.
func YAMLValue(doc []byte, path ...string) string {
	doc = bytes.TrimPrefix(doc, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	if !utf8.Valid(doc) {
		return "" // not a YAML document
	}
	text := strings.ReplaceAll(string(doc), "\r\n", "\n")
	if strings.ContainsAny(text, "\r\u0085\u2028\u2029") {
		return "" // a line break this reader does not follow (a lone CR; NEL, LS, PS in YAML 1.1)
	}
	if strings.HasPrefix(strings.TrimSpace(text), "{") {
		return flowValue(strings.TrimSpace(text), path)
	}
	return blockValue(text, path)
}

// lineKind says what a line of a block document holds.
type lineKind int

const (
	skipLine   lineKind = iota // blank, a comment, or a directive
	keyLine                    // key: value
	otherLine                  // a sequence entry, or a line this reader does not read
	markerLine                 // a document marker (--- or ...)
	tabLine                    // a tab in the indentation: not YAML this reader follows
)

// blockLine is one line of a block mapping: its kind, indentation, key and (possibly empty)
// value.
type blockLine struct {
	kind       lineKind
	indent     int
	key, value string
}

// open is a key whose value, a mapping, goes on in the lines below it.
type open struct {
	indent int
	key    string
}

// blockValue follows path down the block mappings of text's first document. The keys of the
// lines above a line, each less indented than the next, are its path. A value is read only when
// it ends on its line: the lines more indented than a key with a value continue that value (a
// folded scalar, a block scalar, a flow collection), so they are never read as keys, and a
// value that continues there is one this reader does not follow.
func blockValue(text string, path []string) string {
	var stack []open
	content := false // a line of the document has been read
	started := false // a --- has begun the first document
	inValue := -1    // the lines more indented than this continue the last line's value
	found, value := false, ""
	for _, raw := range strings.Split(text, "\n") {
		l := parseBlockLine(raw)
		switch l.kind {
		case skipLine:
			continue
		case tabLine:
			return ""
		}
		if inValue >= 0 && l.indent > inValue {
			if found {
				return "" // the value goes on past its line
			}
			continue
		}
		if found {
			return value
		}
		if l.kind == markerLine {
			if content || started || l.value != "" {
				return "" // the first document ends (empty, perhaps), or is a node on the marker line
			}
			started = strings.HasPrefix(raw, "---")
			continue
		}
		content = true
		inValue = -1
		for len(stack) > 0 && stack[len(stack)-1].indent >= l.indent {
			stack = stack[:len(stack)-1]
		}
		if l.kind == otherLine {
			inValue = l.indent // nothing below a sequence entry or an unread key is on the path
			continue
		}
		stack = append(stack, open{l.indent, l.key})
		depth := len(stack)
		onPath := depth <= len(path) && keysMatch(stack, path)
		if l.value != "" {
			inValue = l.indent
			stack = stack[:depth-1] // a value has no keys below it
		}
		if !onPath {
			continue
		}
		switch {
		case depth == len(path):
			value = scalar(l.value)
		case strings.HasPrefix(l.value, "{"):
			value = flowValue(l.value, path[depth:])
		default:
			continue
		}
		if value == "" {
			return ""
		}
		found = true
	}
	return value
}

// keysMatch reports whether the open keys are the start of path.
func keysMatch(stack []open, path []string) bool {
	for i, o := range stack {
		if o.key != path[i] {
			return false
		}
	}
	return true
}

// parseBlockLine reads "<indent>key: value # comment".
func parseBlockLine(raw string) blockLine {
	body := strings.TrimLeft(raw, " ")
	indent := len(raw) - len(body)
	if strings.HasPrefix(body, "\t") {
		return blockLine{kind: tabLine}
	}
	body = strings.TrimRight(stripComment(body), " \t")
	switch {
	case body == "":
		return blockLine{kind: skipLine}
	case indent == 0 && (body == "---" || body == "..." || strings.HasPrefix(body, "--- ") || strings.HasPrefix(body, "... ")):
		return blockLine{kind: markerLine, value: strings.TrimSpace(body[3:])}
	case indent == 0 && strings.HasPrefix(body, "%"):
		return blockLine{kind: skipLine}
	}
	key, rest, ok := splitKey(body)
	if !ok {
		return blockLine{kind: otherLine, indent: indent}
	}
	return blockLine{kind: keyLine, indent: indent, key: key, value: strings.TrimSpace(rest)}
}

// splitKey splits "key: rest" where key may be quoted; ok is false when there is no ": ".
func splitKey(s string) (key, rest string, ok bool) {
	if s != "" && (s[0] == '"' || s[0] == '\'') {
		q, n := quoted(s)
		if n < 0 || !strings.HasPrefix(s[n:], ":") || !(n+1 == len(s) || s[n+1] == ' ') {
			return "", "", false // in a block, ':' needs a space after it ("k":{} is no mapping)
		}
		return q, s[n+1:], true
	}
	i := strings.Index(s+" ", ": ")
	if i < 0 && strings.HasSuffix(s, ":") {
		i = len(s) - 1
	}
	if i < 0 {
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), s[min(i+1, len(s)):], true
}

// stripComment drops a comment: a # at the start or after white space, outside quotes.
func stripComment(s string) string {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if i == 0 || s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == ':' || s[i-1] == '{' || s[i-1] == ',' || s[i-1] == '[' {
				quote = c
			}
		case c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return s[:i]
		}
	}
	return s
}

// scalar is the string a block value holds, or "" for none: an empty value (a mapping below),
// a collection, a block scalar, or a plain null, boolean or number.
func scalar(v string) string {
	if v == "" {
		return ""
	}
	switch v[0] {
	case '"', '\'':
		q, n := quoted(v)
		if n < 0 || strings.TrimSpace(v[n:]) != "" {
			return ""
		}
		return strings.TrimSpace(q)
	case '{', '[', '|', '>', '&', '*', '!':
		return ""
	}
	if notString(v) {
		return ""
	}
	return v
}

// notString reports a plain scalar that YAML reads as null, a boolean, a number or (what
// starts as a date does) a timestamp.
func notString(v string) bool {
	if len(v) > 4 && v[4] == '-' && strings.Trim(v[:4], "0123456789") == "" {
		return true
	}
	switch strings.ToLower(v) {
	case "~", "null", "true", "false", "yes", "no", "on", "off", ".nan", ".inf", "-.inf", "+.inf":
		return true
	}
	_, err := strconv.ParseFloat(v, 64)
	if err == nil {
		return true
	}
	_, err = strconv.ParseInt(v, 0, 64)
	return err == nil
}

// quoted reads the quoted string at the start of s and returns it and the length it took, or
// n < 0 when it is not closed.
func quoted(s string) (string, int) {
	q := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case q == '\'' && s[i] == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case q == '\'' && s[i] == '\n':
			return "", -1 // a single-quoted string spanning lines is folded: not read here
		case s[i] == q:
			if q == '\'' {
				return strings.ReplaceAll(s[1:i], "''", "'"), i + 1
			}
			var out string
			if json.Unmarshal([]byte(s[:i+1]), &out) != nil {
				return "", -1
			}
			return out, i + 1
		}
	}
	return "", -1
}

// flowValue follows path down a flow mapping ({key: value, ...}, which JSON objects are).
func flowValue(s string, path []string) string {
	f := &flow{s: s}
	v, found := f.value(path)
	if f.bad || !found {
		return ""
	}
	return v
}

// flow reads a flow collection, keeping only the value at the path it follows; bad records
// that it is not one.
type flow struct {
	s   string
	i   int
	bad bool
}

func (f *flow) space() {
	for f.i < len(f.s) && strings.ContainsRune(" \t\n", rune(f.s[f.i])) {
		f.i++
	}
}

// more reports whether there is input left, marking the collection bad when not.
func (f *flow) more() bool {
	if f.i >= len(f.s) {
		f.bad = true
	}
	return !f.bad
}

// value reads one value and reports whether it holds a string at path (the value itself when
// path is empty).
func (f *flow) value(path []string) (string, bool) {
	f.space()
	if !f.more() {
		return "", false
	}
	switch c := f.s[f.i]; c {
	case '{':
		return f.mapping(path)
	case '[':
		f.skip()
		return "", false
	case '"', '\'':
		q, n := quoted(f.s[f.i:])
		if n < 0 {
			f.bad = true
			return "", false
		}
		f.i += n
		return strings.TrimSpace(q), len(path) == 0
	}
	start := f.i
	for f.i < len(f.s) && !strings.ContainsRune(",}]", rune(f.s[f.i])) {
		f.i++
	}
	v := strings.TrimSpace(f.s[start:f.i])
	// A plain value that spans lines is folded, and one with " #" ends in a comment: this
	// reader reads neither.
	readable := !strings.Contains(v, "\n") && !strings.Contains(v, " #") && !strings.Contains(v, "\t#")
	return v, len(path) == 0 && v != "" && readable && !notString(v)
}

// mapping reads {key: value, ...} and returns the string at path within it.
func (f *flow) mapping(path []string) (result string, found bool) {
	f.i++ // {
	for !f.bad {
		f.space()
		if !f.more() {
			break
		}
		if f.s[f.i] == '}' {
			f.i++
			return result, found
		}
		key := f.key()
		if f.bad {
			break
		}
		if len(path) > 0 && key == path[0] && !found {
			result, found = f.value(path[1:])
		} else {
			f.value(nil)
		}
		f.space()
		if !f.more() {
			break
		}
		switch f.s[f.i] {
		case ',':
			f.i++
		case '}':
		default:
			f.bad = true
		}
	}
	return "", false
}

// key reads "key:", the key plain or quoted.
func (f *flow) key() string {
	var key string
	if c := f.s[f.i]; c == '"' || c == '\'' {
		q, n := quoted(f.s[f.i:])
		if n < 0 {
			f.bad = true
			return ""
		}
		key, f.i = q, f.i+n
		f.space()
	} else {
		start := f.i
		for f.i < len(f.s) && f.s[f.i] != ':' && !strings.ContainsRune(",{}[]", rune(f.s[f.i])) {
			f.i++
		}
		key = strings.TrimSpace(f.s[start:f.i])
	}
	if !f.more() || f.s[f.i] != ':' {
		f.bad = true
		return ""
	}
	f.i++
	return key
}

// skip passes a balanced sequence, quotes included.
func (f *flow) skip() {
	depth := 0
	for ; f.i < len(f.s); f.i++ {
		switch c := f.s[f.i]; c {
		case '"', '\'':
			_, n := quoted(f.s[f.i:])
			if n < 0 {
				f.bad = true
				return
			}
			f.i += n - 1
		case '[', '{':
			depth++
		case ']', '}':
			if depth--; depth == 0 {
				f.i++
				return
			}
		}
	}
	f.bad = true
}
