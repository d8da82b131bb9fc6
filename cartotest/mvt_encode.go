package cartotest

import (
	"encoding/binary"
	"math"
)

// Mapbox Vector Tile 2.1 (vector_tile.proto), written by hand: a Tile holds Layers (field
// 3); a Layer its version (15), name (1), features (2), keys (3), values (4) and extent (5);
// a Feature its tags (2, packed), type (3) and geometry (4, packed); a Value one of
// string (1), double (3), uint (5), sint (6) or bool (7).
const (
	mvtExtent    = 4096 // the tile's side in its coordinates
	mvtVersion   = 2
	wireVarint   = 0
	wireFixed64  = 1
	wireBytes    = 2
	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

// pbuf appends protocol buffer fields to a byte slice.
type pbuf []byte

func (b pbuf) varint(v uint64) pbuf { return binary.AppendUvarint(b, v) }

func (b pbuf) key(field, wire int) pbuf { return b.varint(uint64(field<<3 | wire)) }

func (b pbuf) uintField(field int, v uint64) pbuf { return b.key(field, wireVarint).varint(v) }

func (b pbuf) bytesField(field int, v []byte) pbuf {
	return append(b.key(field, wireBytes).varint(uint64(len(v))), v...)
}

func (b pbuf) packedField(field int, vs []uint32) pbuf {
	var inner pbuf
	for _, v := range vs {
		inner = inner.varint(uint64(v))
	}
	return b.bytesField(field, inner)
}

// zigzag maps a signed integer to an unsigned one, small magnitudes to small numbers.
func zigzag(n int32) uint32 { return uint32(n<<1) ^ uint32(n>>31) }

// mvtCommand is a command integer: its id and how many times it repeats.
func mvtCommand(id, count int) uint32 { return uint32(id&0x7 | count<<3) }

// mvtLayer builds one layer of a tile, sharing keys and values between its features.
type mvtLayer struct {
	name     string
	features []pbuf
	keys     []string
	keyIndex map[string]uint32
	values   []pbuf
	valIndex map[any]uint32
}

func newMVTLayer(name string) *mvtLayer {
	return &mvtLayer{name: name, keyIndex: map[string]uint32{}, valIndex: map[any]uint32{}}
}

// mvtProp is one property of a feature; its value is a string, float64, int64 or bool (nil
// values are left out, as MVT has no null).
type mvtProp struct {
	key   string
	value any
}

// add appends a feature of kind with its geometry commands and properties. Features carry no
// id: loaders.gl would put it among a GeoJSON feature's properties, as "id", over a column of
// that name.
func (l *mvtLayer) add(kind shapeKind, geometry []uint32, props []mvtProp) {
	var tags []uint32
	for _, p := range props {
		v, ok := mvtValue(p.value)
		if !ok {
			continue
		}
		tags = append(tags, l.keyOf(p.key), l.valueOf(p.value, v))
	}
	var f pbuf
	if len(tags) > 0 {
		f = f.packedField(2, tags)
	}
	f = f.uintField(3, uint64(kind)).packedField(4, geometry)
	l.features = append(l.features, f)
}

func (l *mvtLayer) keyOf(k string) uint32 {
	i, ok := l.keyIndex[k]
	if !ok {
		i = uint32(len(l.keys))
		l.keyIndex[k] = i
		l.keys = append(l.keys, k)
	}
	return i
}

func (l *mvtLayer) valueOf(v any, encoded pbuf) uint32 {
	i, ok := l.valIndex[v]
	if !ok {
		i = uint32(len(l.values))
		l.valIndex[v] = i
		l.values = append(l.values, encoded)
	}
	return i
}

// mvtValue encodes a Value message: a string, a double, a whole number (uint when not
// negative, else sint) or a bool; ok is false for nil and other types.
func mvtValue(v any) (pbuf, bool) {
	switch v := v.(type) {
	case string:
		return pbuf(nil).bytesField(1, []byte(v)), true
	case float64:
		return binary.LittleEndian.AppendUint64(pbuf(nil).key(3, wireFixed64), math.Float64bits(v)), true
	case int64:
		if v >= 0 {
			return pbuf(nil).uintField(5, uint64(v)), true
		}
		return pbuf(nil).uintField(6, uint64(v<<1)^uint64(v>>63)), true
	case bool:
		n := uint64(0)
		if v {
			n = 1
		}
		return pbuf(nil).uintField(7, n), true
	}
	return nil, false
}

// encode writes the layer as a Layer message.
func (l *mvtLayer) encode() pbuf {
	b := pbuf(nil).uintField(15, mvtVersion).bytesField(1, []byte(l.name))
	for _, f := range l.features {
		b = b.bytesField(2, f)
	}
	for _, k := range l.keys {
		b = b.bytesField(3, []byte(k))
	}
	for _, v := range l.values {
		b = b.bytesField(4, v)
	}
	return b.uintField(5, mvtExtent)
}

// encodeTile writes a Tile message of the layers that hold features.
func encodeTile(layers ...*mvtLayer) []byte {
	var b pbuf
	for _, l := range layers {
		if len(l.features) > 0 {
			b = b.bytesField(3, l.encode())
		}
	}
	return b
}
