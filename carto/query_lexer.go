package carto

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonLexer reads JSON from a stream a piece at a time. Strings and numbers come back as bytes
// in a scratch buffer (valid until the next read), so what a caller only looks at — a key it
// knows, a number it parses — costs no allocation: a large answer then leaves little garbage.
type jsonLexer struct {
	r       *bufio.Reader
	scratch []byte
}

func newJSONLexer(r io.Reader) *jsonLexer {
	return &jsonLexer{r: bufio.NewReaderSize(r, 64<<10), scratch: make([]byte, 0, 256)}
}

// maxValueDepth bounds how deeply a value nests (BigQuery allows 500): deeper is refused
// before it can exhaust the stack.
const maxValueDepth = 512

// errTruncated is an answer that ends in the middle.
var errTruncated = errors.New("the answer ends in the middle (unexpected end of JSON)")

// peek skips white space and returns the next byte without reading it.
func (l *jsonLexer) peek() (byte, error) {
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			return 0, truncated(err)
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		l.r.UnreadByte()
		return c, nil
	}
}

func truncated(err error) error {
	if errors.Is(err, io.EOF) {
		return errTruncated
	}
	return err
}

// expect reads the byte want, after white space.
func (l *jsonLexer) expect(want byte) error {
	c, err := l.peek()
	if err != nil {
		return err
	}
	if c != want {
		return fmt.Errorf("expected %q, found %q", want, c)
	}
	l.r.ReadByte()
	return nil
}

// next reports whether a collection that ends with end has another element, reading the comma
// before it (first is true for the first element).
func (l *jsonLexer) next(end byte, first bool) (bool, error) {
	c, err := l.peek()
	if err != nil {
		return false, err
	}
	if c == end {
		l.r.ReadByte()
		return false, nil
	}
	if !first {
		if c != ',' {
			return false, fmt.Errorf("expected ',' or %q, found %q", end, c)
		}
		l.r.ReadByte()
	}
	return true, nil
}

// key reads an object's key and the colon after it.
func (l *jsonLexer) key() ([]byte, error) {
	k, err := l.str()
	if err == nil {
		err = l.expect(':')
	}
	return k, err
}

// str reads a string, its escapes decoded (invalid UTF-8 as U+FFFD, as encoding/json does).
func (l *jsonLexer) str() ([]byte, error) {
	if err := l.expect('"'); err != nil {
		return nil, err
	}
	b := l.scratch[:0]
	ascii := true
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			return nil, truncated(err)
		}
		switch {
		case c == '"':
			l.scratch = b
			if !ascii && !utf8.Valid(b) {
				l.scratch = []byte(string([]rune(string(b)))) // each invalid byte becomes U+FFFD
			}
			return l.scratch, nil
		case c == '\\':
			if b, err = l.escape(b); err != nil {
				return nil, err
			}
		case c < 0x20:
			return nil, errors.New("a control character in a string")
		default:
			ascii = ascii && c < utf8.RuneSelf
			b = append(b, c)
		}
	}
}

// escape reads the rest of an escape sequence and appends what it stands for to b.
func (l *jsonLexer) escape(b []byte) ([]byte, error) {
	c, err := l.r.ReadByte()
	if err != nil {
		return nil, truncated(err)
	}
	switch c {
	case '"', '\\', '/':
		return append(b, c), nil
	case 'b':
		return append(b, '\b'), nil
	case 'f':
		return append(b, '\f'), nil
	case 'n':
		return append(b, '\n'), nil
	case 'r':
		return append(b, '\r'), nil
	case 't':
		return append(b, '\t'), nil
	case 'u':
		r, err := l.hex4()
		if err != nil {
			return nil, err
		}
		if utf16.IsSurrogate(r) {
			// A pair is \uD8xx\uDCxx; anything else is U+FFFD, as encoding/json has it.
			if next, _ := l.r.Peek(2); len(next) == 2 && next[0] == '\\' && next[1] == 'u' {
				l.r.Discard(2)
				r2, err := l.hex4()
				if err != nil {
					return nil, err
				}
				if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
					return utf8.AppendRune(b, dec), nil
				}
				b = utf8.AppendRune(b, utf8.RuneError)
				r = r2
				if utf16.IsSurrogate(r) {
					r = utf8.RuneError
				}
				return utf8.AppendRune(b, r), nil
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(b, r), nil
	}
	return nil, fmt.Errorf("a bad escape \\%c in a string", c)
}

func (l *jsonLexer) hex4() (rune, error) {
	var r rune
	for range 4 {
		c, err := l.r.ReadByte()
		if err != nil {
			return 0, truncated(err)
		}
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, errors.New("a bad \\u escape in a string")
		}
		r = r<<4 | rune(c)
	}
	return r, nil
}

// number reads a number as JSON writes it.
func (l *jsonLexer) number() ([]byte, error) {
	if _, err := l.peek(); err != nil {
		return nil, err
	}
	b := l.scratch[:0]
	for {
		c, err := l.r.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
		if !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			l.r.UnreadByte()
			break
		}
		b = append(b, c)
	}
	l.scratch = b
	if !validNumber(b) {
		return nil, fmt.Errorf("%q is not a number", b)
	}
	return b, nil
}

// validNumber reports whether b is a number in JSON's grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func validNumber(b []byte) bool {
	i := 0
	digits := func() bool {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		return i > start
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if !digits() {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	return i == len(b)
}

// literal reads true, false or null.
func (l *jsonLexer) literal() (any, error) {
	c, err := l.peek()
	if err != nil {
		return nil, err
	}
	word, v := "null", any(nil)
	switch c {
	case 't':
		word, v = "true", true
	case 'f':
		word, v = "false", false
	}
	for i := range len(word) {
		got, err := l.r.ReadByte()
		if err != nil {
			return nil, truncated(err)
		}
		if got != word[i] {
			return nil, fmt.Errorf("expected %s", word)
		}
	}
	return v, nil
}

// value reads any value, nested at most maxValueDepth deep: objects as map[string]any, arrays
// as []any, numbers as json.Number.
func (l *jsonLexer) value(depth int) (any, error) {
	c, err := l.peek()
	if err != nil {
		return nil, err
	}
	switch c {
	case '"':
		s, err := l.str()
		return string(s), err
	case '{', '[':
		if depth >= maxValueDepth {
			return nil, fmt.Errorf("a value nests deeper than %d levels", maxValueDepth)
		}
		l.r.ReadByte()
		if c == '[' {
			list := []any{}
			for first := true; ; first = false {
				more, err := l.next(']', first)
				if err != nil || !more {
					return list, err
				}
				v, err := l.value(depth + 1)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
		}
		obj := map[string]any{}
		for first := true; ; first = false {
			more, err := l.next('}', first)
			if err != nil || !more {
				return obj, err
			}
			k, err := l.key()
			if err != nil {
				return nil, err
			}
			key := string(k)
			v, err := l.value(depth + 1)
			if err != nil {
				return nil, err
			}
			obj[key] = v
		}
	case 't', 'f', 'n':
		return l.literal()
	}
	n, err := l.number()
	return json.Number(n), err
}

// decodeInto reads a value into v, as encoding/json would decode it.
func (l *jsonLexer) decodeInto(v any) error {
	raw, err := l.value(0)
	if err != nil {
		return err
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// end checks that nothing but white space follows the answer.
func (l *jsonLexer) end() error {
	c, err := l.peek()
	if errors.Is(err, errTruncated) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%q after the answer", c)
}
