package cartotest

import (
	"errors"
	"strconv"
	"strings"
)

// lonLat is a position: longitude, then latitude, in degrees.
type lonLat [2]float64

// shapeKind is the kind of a shape, as an MVT feature types it: points, lines or polygons.
type shapeKind int

const (
	shapePoint   shapeKind = 1 // POINT, MULTIPOINT
	shapeLine    shapeKind = 2 // LINESTRING, MULTILINESTRING
	shapePolygon shapeKind = 3 // POLYGON, MULTIPOLYGON
)

// shape is a geometry read from WKT. Points hold one position a part; lines one path a part;
// polygons one polygon a part, its rings each closed (the first position repeated last), the
// exterior first.
type shape struct {
	kind  shapeKind
	parts [][][]lonLat // points: parts[i][0][0]; lines: parts[i][0]; polygons: parts[i] (rings)
}

// bbox is the shape's bounding box: west, south, east, north.
func (sh shape) bbox() [4]float64 {
	b := [4]float64{180, 90, -180, -90}
	for _, part := range sh.parts {
		for _, ring := range part {
			for _, p := range ring {
				b[0], b[1] = min(b[0], p[0]), min(b[1], p[1])
				b[2], b[3] = max(b[2], p[0]), max(b[3], p[1])
			}
		}
	}
	return b
}

// wktNode is a parenthesised list of WKT: either positions (coords) or lists (kids).
type wktNode struct {
	coords []lonLat
	kids   []wktNode
}

// parseWKT reads the WKT text of a POINT, LINESTRING or POLYGON or of their MULTI forms, in
// two dimensions, as the built-in tables carry geographies. An EMPTY geometry is a shape
// without parts.
func parseWKT(text string) (shape, error) {
	s := strings.TrimSpace(text)
	i := strings.IndexByte(s, '(')
	head := strings.ToUpper(strings.TrimSpace(s))
	if i >= 0 {
		head = strings.ToUpper(strings.TrimSpace(s[:i]))
	}
	kinds := map[string]struct {
		kind  shapeKind
		multi bool
	}{
		"POINT": {shapePoint, false}, "MULTIPOINT": {shapePoint, true},
		"LINESTRING": {shapeLine, false}, "MULTILINESTRING": {shapeLine, true},
		"POLYGON": {shapePolygon, false}, "MULTIPOLYGON": {shapePolygon, true},
	}
	name, empty := strings.CutSuffix(head, " EMPTY")
	k, ok := kinds[strings.TrimSpace(name)]
	if !ok {
		return shape{}, errors.New("not a WKT point, line or polygon: " + abbreviate(text))
	}
	if empty && i < 0 {
		return shape{kind: k.kind}, nil
	}
	if i < 0 {
		return shape{}, errors.New("WKT without coordinates: " + abbreviate(text))
	}
	p := &wktParser{s: s, i: i}
	n, err := p.list()
	if err == nil && strings.TrimSpace(s[p.i:]) != "" {
		err = errors.New("text after the WKT geometry")
	}
	if err != nil {
		return shape{}, err
	}
	sh := shape{kind: k.kind}
	if err := sh.fill(n, k.multi); err != nil {
		return shape{}, errors.New(err.Error() + ": " + abbreviate(text))
	}
	return sh, nil
}

// fill builds the shape's parts from the parsed lists, checking their nesting.
func (sh *shape) fill(n wktNode, multi bool) error {
	parts := []wktNode{n}
	if multi {
		parts = n.kids
		if sh.kind == shapePoint && n.coords != nil { // MULTIPOINT(1 2, 3 4)
			parts = nil
			for _, c := range n.coords {
				parts = append(parts, wktNode{coords: []lonLat{c}})
			}
		}
	}
	for _, part := range parts {
		var rings [][]lonLat
		switch {
		case sh.kind == shapePoint && len(part.coords) == 1:
			rings = [][]lonLat{part.coords}
		case sh.kind == shapeLine && len(part.coords) >= 2:
			rings = [][]lonLat{part.coords}
		case sh.kind == shapePolygon && len(part.kids) > 0:
			for _, r := range part.kids {
				if len(r.coords) < 4 || r.coords[0] != r.coords[len(r.coords)-1] {
					return errors.New("a polygon ring needs 4 or more positions, the first repeated last")
				}
				rings = append(rings, r.coords)
			}
		default:
			return errors.New("wrong nesting or too few positions")
		}
		sh.parts = append(sh.parts, rings)
	}
	return nil
}

// wktParser reads the parenthesised lists of a WKT text.
type wktParser struct {
	s string
	i int
}

func (p *wktParser) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// list reads "(" item {"," item} ")", each item a list or a position "lon lat".
func (p *wktParser) list() (wktNode, error) {
	var n wktNode
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] != '(' {
		return n, errors.New("WKT: ( expected at character " + strconv.Itoa(p.i+1))
	}
	p.i++
	for {
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == '(' {
			if n.coords != nil {
				return n, errors.New("WKT: positions and lists mixed")
			}
			kid, err := p.list()
			if err != nil {
				return n, err
			}
			n.kids = append(n.kids, kid)
		} else {
			if n.kids != nil {
				return n, errors.New("WKT: positions and lists mixed")
			}
			c, err := p.position()
			if err != nil {
				return n, err
			}
			n.coords = append(n.coords, c)
		}
		p.skipSpace()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ')' {
			p.i++
			return n, nil
		}
		return n, errors.New("WKT: , or ) expected at character " + strconv.Itoa(p.i+1))
	}
}

// position reads two numbers separated by white space.
func (p *wktParser) position() (lonLat, error) {
	var c lonLat
	for k := range c {
		p.skipSpace()
		start := p.i
		for p.i < len(p.s) && strings.IndexByte("0123456789+-.eE", p.s[p.i]) >= 0 {
			p.i++
		}
		f, err := strconv.ParseFloat(p.s[start:p.i], 64)
		if err != nil {
			return c, errors.New("WKT: a number expected at character " + strconv.Itoa(start+1))
		}
		c[k] = f
	}
	return c, nil
}

// abbreviate shortens a text for an error message.
func abbreviate(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
