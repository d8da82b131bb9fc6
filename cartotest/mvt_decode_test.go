package cartotest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// A small MVT reader for the tests, written from the specification apart from the encoder:
// it checks what a client relies on (wire types, command counts, non-zero LineTo moves,
// closed rings) and fails on anything else.

// decodedFeature is one feature of a decoded tile: its id, type (1 point, 2 line, 3 polygon),
// geometry (a part per MoveTo: for points one position each; for polygons each ring without
// its closing position) and properties.
type decodedFeature struct {
	id    uint64
	kind  int
	parts [][]tilePoint
	props map[string]any
}

// decodedLayer is one layer of a decoded tile.
type decodedLayer struct {
	name     string
	version  int
	extent   int
	keys     []string
	values   []any
	features []decodedFeature
}

// pbReader reads protocol buffer fields.
type pbReader struct {
	b []byte
	i int
}

func (r *pbReader) done() bool { return r.i >= len(r.b) }

func (r *pbReader) varint() (uint64, error) {
	v, n := binary.Uvarint(r.b[r.i:])
	if n <= 0 {
		return 0, errors.New("bad varint")
	}
	r.i += n
	return v, nil
}

// field reads a field's key and value: a varint, 8 or 4 bytes as a number, or the bytes of a
// length-delimited field.
func (r *pbReader) field() (num, wire int, v uint64, b []byte, err error) {
	k, err := r.varint()
	if err != nil {
		return 0, 0, 0, nil, err
	}
	num, wire = int(k>>3), int(k&7)
	switch wire {
	case 0:
		v, err = r.varint()
	case 1:
		if r.i+8 > len(r.b) {
			return 0, 0, 0, nil, errors.New("short fixed64")
		}
		v = binary.LittleEndian.Uint64(r.b[r.i:])
		r.i += 8
	case 5:
		if r.i+4 > len(r.b) {
			return 0, 0, 0, nil, errors.New("short fixed32")
		}
		v = uint64(binary.LittleEndian.Uint32(r.b[r.i:]))
		r.i += 4
	case 2:
		var n uint64
		if n, err = r.varint(); err == nil {
			if uint64(len(r.b)-r.i) < n {
				return 0, 0, 0, nil, errors.New("short bytes")
			}
			b = r.b[r.i : r.i+int(n)]
			r.i += int(n)
		}
	default:
		err = fmt.Errorf("wire type %d", wire)
	}
	return num, wire, v, b, err
}

// packed reads a packed repeated uint32 field.
func packed(b []byte) ([]uint32, error) {
	r := &pbReader{b: b}
	var out []uint32
	for !r.done() {
		v, err := r.varint()
		if err != nil {
			return nil, err
		}
		out = append(out, uint32(v))
	}
	return out, nil
}

// decodeMVT reads a Tile message.
func decodeMVT(b []byte) ([]decodedLayer, error) {
	var layers []decodedLayer
	r := &pbReader{b: b}
	for !r.done() {
		num, wire, _, lb, err := r.field()
		if err != nil {
			return nil, err
		}
		if num != 3 || wire != 2 {
			return nil, fmt.Errorf("tile: unexpected field %d", num)
		}
		l, err := decodeLayer(lb)
		if err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	return layers, nil
}

func decodeLayer(b []byte) (decodedLayer, error) {
	l := decodedLayer{version: 1, extent: 4096}
	var raw [][]byte
	r := &pbReader{b: b}
	for !r.done() {
		num, _, v, fb, err := r.field()
		if err != nil {
			return l, err
		}
		switch num {
		case 15:
			l.version = int(v)
		case 1:
			l.name = string(fb)
		case 2:
			raw = append(raw, fb)
		case 3:
			l.keys = append(l.keys, string(fb))
		case 4:
			val, err := decodeValue(fb)
			if err != nil {
				return l, err
			}
			l.values = append(l.values, val)
		case 5:
			l.extent = int(v)
		default:
			return l, fmt.Errorf("layer: unexpected field %d", num)
		}
	}
	for _, fb := range raw {
		f, err := l.decodeFeature(fb)
		if err != nil {
			return l, err
		}
		l.features = append(l.features, f)
	}
	return l, nil
}

func decodeValue(b []byte) (any, error) {
	r := &pbReader{b: b}
	num, _, v, fb, err := r.field()
	if err != nil || !r.done() {
		return nil, errors.New("value: not one field")
	}
	switch num {
	case 1:
		return string(fb), nil
	case 2:
		return float64(math.Float32frombits(uint32(v))), nil
	case 3:
		return math.Float64frombits(v), nil
	case 4:
		return int64(v), nil
	case 5:
		return int64(v), nil
	case 6:
		return int64(v>>1) ^ -int64(v&1), nil
	case 7:
		return v != 0, nil
	}
	return nil, fmt.Errorf("value: field %d", num)
}

func (l *decodedLayer) decodeFeature(b []byte) (decodedFeature, error) {
	f := decodedFeature{props: map[string]any{}}
	var tags, geom []uint32
	r := &pbReader{b: b}
	for !r.done() {
		num, _, v, fb, err := r.field()
		if err != nil {
			return f, err
		}
		switch num {
		case 1:
			f.id = v
		case 2:
			tags, err = packed(fb)
		case 3:
			f.kind = int(v)
		case 4:
			geom, err = packed(fb)
		default:
			err = fmt.Errorf("feature: field %d", num)
		}
		if err != nil {
			return f, err
		}
	}
	if len(tags)%2 != 0 {
		return f, errors.New("feature: odd tags")
	}
	for i := 0; i < len(tags); i += 2 {
		if int(tags[i]) >= len(l.keys) || int(tags[i+1]) >= len(l.values) {
			return f, errors.New("feature: tag out of range")
		}
		f.props[l.keys[tags[i]]] = l.values[tags[i+1]]
	}
	var err error
	f.parts, err = decodeGeometry(f.kind, geom)
	return f, err
}

// decodeGeometry follows the commands; a polygon ring must end with ClosePath.
func decodeGeometry(kind int, cmds []uint32) ([][]tilePoint, error) {
	var parts [][]tilePoint
	var x, y int32
	for i := 0; i < len(cmds); {
		id, count := int(cmds[i]&7), int(cmds[i]>>3)
		i++
		if count == 0 || (id == cmdClosePath && count != 1) {
			return nil, fmt.Errorf("command %d with count %d", id, count)
		}
		if id == cmdClosePath {
			if kind != 3 || len(parts) == 0 {
				return nil, errors.New("ClosePath outside a polygon")
			}
			continue
		}
		if i+2*count > len(cmds) {
			return nil, errors.New("geometry: short parameters")
		}
		for k := 0; k < count; k++ {
			dx, dy := cmds[i], cmds[i+1]
			i += 2
			x += int32(dx>>1) ^ -int32(dx&1)
			y += int32(dy>>1) ^ -int32(dy&1)
			switch id {
			case cmdMoveTo:
				parts = append(parts, []tilePoint{{x, y}})
			case cmdLineTo:
				if len(parts) == 0 || kind == 1 {
					return nil, errors.New("LineTo without MoveTo, or in points")
				}
				if dx == 0 && dy == 0 {
					return nil, errors.New("LineTo that does not move")
				}
				parts[len(parts)-1] = append(parts[len(parts)-1], tilePoint{x, y})
			default:
				return nil, fmt.Errorf("unknown command %d", id)
			}
		}
	}
	return parts, nil
}

// tileToLonLat is the position of a tile coordinate (the inverse of the projection, written
// from the spherical Mercator formulas).
func tileToLonLat(t tileID, p tilePoint, extent int) lonLat {
	n := math.Exp2(float64(t.z))
	x := (float64(t.x) + float64(p[0])/float64(extent)) / n
	y := (float64(t.y) + float64(p[1])/float64(extent)) / n
	return lonLat{x*360 - 180, math.Atan(math.Sinh(math.Pi*(1-2*y))) * 180 / math.Pi}
}
