package cartotest

import "math"

// mvtBuffer is how far beyond its edges, as a fraction of its side, a tile takes the lines
// and polygons whose bounding box reaches it (so that strokes join across tile edges).
const mvtBuffer = 64.0 / mvtExtent

// tilePoint is a position in a tile's coordinates (0 to mvtExtent, y down).
type tilePoint [2]int32

// mvtGeometry encodes the part of sh that tile t shows as MVT geometry commands, nil when it
// shows none: for points, those inside the tile (its west and north edges included, its east
// and south ones not, so that each point is in one tile of a zoom; see pointXY); for lines and polygons,
// the whole shape when its bounding box reaches the tile grown by mvtBuffer (not clipped:
// MVT allows coordinates beyond the extent). Polygon rings are turned as MVT 2.1 wants them,
// exteriors clockwise and holes counter-clockwise in tile coordinates (y down). Positions
// round to whole tile units; a path or ring that collapses (fewer than 2, or 3, distinct
// positions, or no area) is left out, and a polygon whose exterior collapses with it.
func mvtGeometry(sh shape, t tileID) []uint32 {
	pen := &mvtPen{}
	switch sh.kind {
	case shapePoint:
		var pts []tilePoint
		for _, part := range sh.parts {
			x, y := t.localExtent(pointXY(part[0][0]))
			if x >= 0 && x < mvtExtent && y >= 0 && y < mvtExtent {
				pts = append(pts, roundPoint(x, y))
			}
		}
		pen.command(cmdMoveTo, pts)
	case shapeLine, shapePolygon:
		if !touches(sh, t) {
			return nil
		}
		for _, part := range sh.parts {
			if sh.kind == shapeLine {
				if path := tilePath(part[0], t); len(path) >= 2 {
					pen.command(cmdMoveTo, path[:1])
					pen.command(cmdLineTo, path[1:])
				}
				continue
			}
			pen.polygon(part, t)
		}
	}
	return pen.out
}

// pointXY is worldXY of a point kept inside the unit square, so that a point on its east or
// south edge (180° E, or the south pole) is in a tile too: longitudes wrap, y stops short of 1.
func pointXY(p lonLat) (x, y float64) {
	x, y = worldXY(p)
	return x - math.Floor(x), max(0, min(y, math.Nextafter(1, 0)))
}

// touches reports whether sh's bounding box reaches the tile grown by mvtBuffer.
func touches(sh shape, t tileID) bool {
	b := sh.bbox()
	x0, y1 := worldXY(lonLat{b[0], b[1]}) // south-west: the largest y
	x1, y0 := worldXY(lonLat{b[2], b[3]})
	box := t.box(mvtBuffer)
	return x1 >= box[0] && x0 <= box[2] && y1 >= box[1] && y0 <= box[3]
}

// tilePath projects positions into the tile and drops repeated ones.
func tilePath(ps []lonLat, t tileID) []tilePoint {
	var out []tilePoint
	for _, p := range ps {
		x, y := worldXY(p)
		q := roundPoint(t.localExtent(x, y))
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	return out
}

func roundPoint(x, y float64) tilePoint {
	return tilePoint{int32(math.Round(x)), int32(math.Round(y))}
}

// localExtent is local at mvtExtent: a unit-square position in the tile's coordinates.
func (t tileID) localExtent(x, y float64) (float64, float64) { return t.local(x, y, mvtExtent) }

// mvtPen writes geometry commands, each position relative to the one before.
type mvtPen struct {
	at  tilePoint
	out []uint32
}

// command writes cmd once for each position (MoveTo, LineTo); nothing for none.
func (p *mvtPen) command(cmd int, pts []tilePoint) {
	if len(pts) == 0 {
		return
	}
	p.out = append(p.out, mvtCommand(cmd, len(pts)))
	for _, q := range pts {
		p.out = append(p.out, zigzag(q[0]-p.at[0]), zigzag(q[1]-p.at[1]))
		p.at = q
	}
}

// polygon writes one polygon's rings: the exterior with a positive area, holes negative.
func (p *mvtPen) polygon(rings [][]lonLat, t tileID) {
	for i, ring := range rings {
		path := tilePath(ring, t)
		if len(path) > 1 && path[0] == path[len(path)-1] {
			path = path[:len(path)-1]
		}
		area := ringArea(path)
		if len(path) < 3 || area == 0 {
			if i == 0 {
				return
			}
			continue
		}
		if (i == 0) != (area > 0) {
			for a, b := 0, len(path)-1; a < b; a, b = a+1, b-1 {
				path[a], path[b] = path[b], path[a]
			}
		}
		p.command(cmdMoveTo, path[:1])
		p.command(cmdLineTo, path[1:])
		p.out = append(p.out, mvtCommand(cmdClosePath, 1))
	}
}

// ringArea is twice a ring's signed area by the surveyor's formula in tile coordinates:
// positive for a ring that turns clockwise on screen (y down).
func ringArea(path []tilePoint) int64 {
	var a int64
	for i, q := range path {
		r := path[(i+1)%len(path)]
		a += int64(q[0])*int64(r[1]) - int64(r[0])*int64(q[1])
	}
	return a
}
