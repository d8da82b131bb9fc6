package cartotest

import "math"

// mercatorMaxLat is the latitude where Web Mercator's square world ends (atan(sinh(π))).
const mercatorMaxLat = 85.05112877980659

// worldXY projects a position into Web Mercator's unit square: x from 0 (180° W) to 1
// (180° E), y from 0 (the north edge) to 1 (the south edge). Latitudes beyond the square are
// clamped to its edge.
func worldXY(p lonLat) (x, y float64) {
	lat := max(-mercatorMaxLat, min(mercatorMaxLat, p[1]))
	sin := math.Sin(lat * math.Pi / 180)
	x = (p[0] + 180) / 360
	y = 0.5 - math.Log((1+sin)/(1-sin))/(4*math.Pi)
	return x, y
}

// tileID is a tile of the XYZ scheme: zoom z, column x from the west, row y from the north.
type tileID struct{ z, x, y int }

// valid reports whether the tile exists at its zoom.
func (t tileID) valid() bool {
	n := 1 << t.z
	return t.z >= 0 && t.z <= 30 && t.x >= 0 && t.x < n && t.y >= 0 && t.y < n
}

// local maps a point of the unit square to the tile's coordinates, where the tile spans 0 to
// extent on each axis (y down); points outside the tile fall outside that range.
func (t tileID) local(x, y float64, extent int) (float64, float64) {
	n := float64(int(1) << t.z)
	return (x*n - float64(t.x)) * float64(extent), (y*n - float64(t.y)) * float64(extent)
}

// box is the tile's area in the unit square grown by buffer, a fraction of the tile's side:
// minX, minY, maxX, maxY.
func (t tileID) box(buffer float64) [4]float64 {
	n := float64(int(1) << t.z)
	return [4]float64{(float64(t.x) - buffer) / n, (float64(t.y) - buffer) / n,
		(float64(t.x) + 1 + buffer) / n, (float64(t.y) + 1 + buffer) / n}
}
