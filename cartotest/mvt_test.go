package cartotest

import (
	"math"
	"net/http"
	"slices"
	"testing"
)

// expectedTilePoint projects a position into tile t's coordinates with the textbook form of
// spherical Mercator, y = (1 - ln(tan φ + sec φ)/π) / 2, apart from the encoder's.
func expectedTilePoint(t tileID, p lonLat) [2]float64 {
	n := math.Exp2(float64(t.z))
	phi := p[1] * math.Pi / 180
	x := (p[0] + 180) / 360 * n
	y := (1 - math.Log(math.Tan(phi)+1/math.Cos(phi))/math.Pi) / 2 * n
	return [2]float64{(x - float64(t.x)) * 4096, (y - float64(t.y)) * 4096}
}

// tileOf is the tile at zoom z that holds p.
func tileOf(z int, p lonLat) tileID {
	e := expectedTilePoint(tileID{z, 0, 0}, p)
	return tileID{z, int(e[0] / 4096), int(e[1] / 4096)}
}

// near reports whether a decoded position is the rounding of an expected one.
func near(got tilePoint, want [2]float64) bool {
	return math.Abs(float64(got[0])-want[0]) <= 0.5+1e-6 && math.Abs(float64(got[1])-want[1]) <= 0.5+1e-6
}

// surveyor is twice a ring's signed area in tile coordinates (positive: clockwise on
// screen, y down).
func surveyor(ring []tilePoint) float64 {
	var a float64
	for i, p := range ring {
		q := ring[(i+1)%len(ring)]
		a += float64(p[0])*float64(q[1]) - float64(q[0])*float64(p[1])
	}
	return a
}

// tableShapes reads a built-in table's geometries by name.
func tableShapes(t *testing.T, name string) map[string]shape {
	t.Helper()
	tb := sqlTableNamed(name)
	out := map[string]shape{}
	for _, row := range tb.rows {
		sh, err := parseWKT(row[tb.columnIndex("geom")].(string))
		if err != nil {
			t.Fatal(err)
		}
		out[row[tb.columnIndex("name")].(string)] = sh
	}
	return out
}

func TestMapsLinesRoundTrip(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	tj := mapChain(t, s, tok, instantiate(s, "table", "routes", nil))
	want := tableShapes(t, "routes")
	for _, z := range []int{0, 3} {
		for id, sh := range want {
			tile := tileOf(z, sh.parts[0][0][0])
			f := findFeature(t, getTile(t, tileURL(t, tj, tile.z, tile.x, tile.y), tok), id)
			if f.kind != 2 || len(f.parts) != len(sh.parts) || f.props["mode"] != "air" {
				t.Fatalf("tile %v, route %s: %+v, want a line of %d paths", tile, id, f, len(sh.parts))
			}
			for i, part := range sh.parts {
				path := part[0]
				if len(f.parts[i]) != len(path) {
					t.Fatalf("tile %v, route %s: path %d has %d positions, want %d", tile, id, i, len(f.parts[i]), len(path))
				}
				for k, p := range path {
					if e := expectedTilePoint(tile, p); !near(f.parts[i][k], e) {
						t.Errorf("tile %v, route %s: position %d at %v, want %v", tile, id, k, f.parts[i][k], e)
					}
				}
			}
		}
	}
}

func TestMapsPolygonsRoundTripWoundForMVT(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	tj := mapChain(t, s, tok, instantiate(s, "table", "regions", url1("columns", "name,area_km2")))
	want := tableShapes(t, "regions")
	for id, sh := range want {
		tile := tileOf(10, sh.parts[0][0][0])
		f := findFeature(t, getTile(t, tileURL(t, tj, tile.z, tile.x, tile.y), tok), id)
		var rings [][]lonLat
		exterior := map[int]bool{}
		for _, poly := range sh.parts {
			exterior[len(rings)] = true
			rings = append(rings, poly...)
		}
		if f.kind != 3 || len(f.parts) != len(rings) || len(f.props) != 2 {
			t.Fatalf("region %s: %+v, want a polygon of %d rings with 2 properties", id, f, len(rings))
		}
		for i, ring := range rings {
			got := f.parts[i]
			if len(got) != len(ring)-1 {
				t.Fatalf("region %s: ring %d has %d positions, want %d (the closing one left out)", id, i, len(got), len(ring)-1)
			}
			for _, p := range ring {
				e := expectedTilePoint(tile, p)
				if !slices.ContainsFunc(got, func(q tilePoint) bool { return near(q, e) }) {
					t.Errorf("region %s: ring %d lacks %v", id, i, e)
				}
			}
			if a := surveyor(got); exterior[i] != (a > 0) {
				t.Errorf("region %s: ring %d (exterior %v) has area %v: MVT wants exteriors clockwise (positive), holes counter-clockwise", id, i, exterior[i], a)
			}
		}
	}
	// At zoom 0, Central Park is under a tile unit: Manhattan's hole collapses and is left out,
	// its exterior (a few units) stays, still clockwise.
	f := findFeature(t, getTile(t, tileURL(t, tj, 0, 0, 0), tok), "Manhattan")
	if len(f.parts) != 1 || surveyor(f.parts[0]) <= 0 {
		t.Errorf("Manhattan at zoom 0: %+v, want its exterior alone", f)
	}
	// A polygon under a tile unit is left out whole.
	tiny := shape{kind: shapePolygon, parts: [][][]lonLat{{{{1, 1}, {1.001, 1}, {1.001, 1.001}, {1, 1}}}}}
	if g := mvtGeometry(tiny, tileID{0, 0, 0}); g != nil {
		t.Errorf("a polygon under a tile unit: %v, want nothing", g)
	}
	// With featureBbox (prepareLabels), each polygon carries its whole bounding box.
	tj = mapChain(t, s, tok, instantiate(s, "table", "regions", url1("featureBbox", "true")))
	f = findFeature(t, getTile(t, tileURL(t, tj, 0, 0, 0), tok), "Iberia")
	if f.props["_carto_bbox"] != "-9.3,36,3.2,43.1" {
		t.Errorf("Iberia's _carto_bbox: %v, want -9.3,36,3.2,43.1", f.props["_carto_bbox"])
	}
	// An empty tile (the South Pacific) is a 204 without a body.
	if r := mapsDo(t, http.MethodGet, tileURL(t, tj, 2, 0, 2), tok, "", ""); r.status != http.StatusNoContent || r.body != "" {
		t.Errorf("empty tile: %d %q, want 204", r.status, r.body)
	}
}

func url1(k, v string) map[string][]string { return map[string][]string{k: {v}} }

// findFeature is the feature named name in a decoded tile.
func findFeature(t *testing.T, layers []decodedLayer, name string) decodedFeature {
	t.Helper()
	for _, l := range layers {
		for _, f := range l.features {
			if f.props["name"] == name {
				return f
			}
		}
	}
	t.Fatalf("no feature %s in %+v", name, layers)
	return decodedFeature{}
}

func TestMVTEncoding(t *testing.T) {
	t.Parallel()
	for n, want := range map[int32]uint32{0: 0, -1: 1, 1: 2, -2: 3, 2147483647: 4294967294, -2147483648: 4294967295} {
		if got := zigzag(n); got != want {
			t.Errorf("zigzag(%d) = %d, want %d", n, got, want)
		}
	}
	if mvtCommand(cmdMoveTo, 1) != 9 || mvtCommand(cmdLineTo, 3) != 26 || mvtCommand(cmdClosePath, 1) != 15 {
		t.Error("command integers differ from the specification's examples (9, 26, 15)")
	}
	// Two points (a MULTIPOINT) are one MoveTo of count 2, as the specification's example.
	pts := shape{kind: shapePoint, parts: [][][]lonLat{{{{-180, 0}}}, {{{0, 0}}}}}
	if got := mvtGeometry(pts, tileID{0, 0, 0}); !slices.Equal(got, []uint32{17, 0, 4096, 4096, 0}) {
		t.Errorf("MULTIPOINT geometry %v, want [17 0 4096 4096 0]", got)
	}
	// Points on the world's edges and poles are each in one tile of a zoom.
	for _, p := range []lonLat{{180, 0}, {-180, 90}, {0, -90}, {179.9999999, -85.0511287798}, {-180, mercatorMaxLat}} {
		n := 0
		for x := 0; x < 2; x++ {
			for y := 0; y < 2; y++ {
				if mvtGeometry(shape{kind: shapePoint, parts: [][][]lonLat{{{p}}}}, tileID{1, x, y}) != nil {
					n++
				}
			}
		}
		if n != 1 {
			t.Errorf("point %v in %d tiles of zoom 1, want 1", p, n)
		}
	}
	l := newMVTLayer("default")
	props := []mvtProp{{"s", "x"}, {"f", 1.5}, {"i", int64(-7)}, {"u", int64(1) << 40}, {"b", true}, {"n", nil}}
	l.add(shapePoint, []uint32{9, 2, 2}, props)
	l.add(shapePoint, []uint32{9, 4, 4}, props[:2])
	layers, err := decodeMVT(encodeTile(l, newMVTLayer("empty")))
	if err != nil || len(layers) != 1 {
		t.Fatalf("decode: %v %+v", err, layers)
	}
	got := layers[0]
	if len(got.keys) != 5 || len(got.values) != 5 || len(got.features) != 2 {
		t.Errorf("keys %v, values %v: want each once (5, the nil left out)", got.keys, got.values)
	}
	wantProps := map[string]any{"s": "x", "f": 1.5, "i": int64(-7), "u": int64(1) << 40, "b": true}
	for k, v := range wantProps {
		if got.features[0].props[k] != v {
			t.Errorf("property %s = %#v, want %#v", k, got.features[0].props[k], v)
		}
	}
	if len(got.features[0].props) != len(wantProps) || got.features[1].props["s"] != "x" || len(got.features[1].props) != 2 {
		t.Errorf("features %+v", got.features)
	}
	if encodeTile(newMVTLayer("empty")) != nil {
		t.Error("a tile of empty layers is not empty")
	}
}
