package cartomap

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// Limits of a local source (Points, Rows, GeoJSON): its data is written into the page, and so
// into the saved notebook. Draw more through a table or query source, which reads tiles from
// CARTO's Maps API instead.
const (
	// MaxLocalFeatures is the most points or features a local source holds.
	MaxLocalFeatures = 5000
	// MaxLocalBytes is the most bytes of GeoJSON a local source holds.
	MaxLocalBytes = 1 << 20
)

type sourceKind int

const (
	kindNone sourceKind = iota
	kindTable
	kindQuery
	kindLocal
)

// Source is what a map draws: a table or a SQL query read through CARTO's Maps API, or local
// data written into the page. Make one with Table, Query, Points, Rows or GeoJSON.
type Source struct {
	kind       sourceKind
	connection string
	table      string
	sql        string
	params     map[string]any
	spatial    string
	local      json.RawMessage // a GeoJSON FeatureCollection
	bounds     [4]float64      // west, south, east, north of local data
	features   int
	err        error
}

// Table is a table on a connection (its name as the warehouse spells it, e.g.
// project.dataset.table), read through the Maps API; its geometry is the column "geom" unless
// SpatialColumn says otherwise.
func Table(connection, table string) Source {
	return Source{kind: kindTable, connection: connection, table: table, spatial: "geom"}
}

// Query is a SQL query on a connection, read through the Maps API, with named parameters
// (@name in the SQL, given apart from its text); its geometry is the column "geom" unless
// SpatialColumn says otherwise. The map's token is granted this exact SQL text.
func Query(connection, sql string, params map[string]any) Source {
	return Source{kind: kindQuery, connection: connection, sql: sql, params: params, spatial: "geom"}
}

// SpatialColumn returns the source with its geometry read from column instead of "geom"
// (table and query sources).
func (s Source) SpatialColumn(column string) Source {
	s.spatial = column
	return s
}

// Point is one local point: where it is, and the properties its tooltip and colour read.
type Point struct {
	Lon, Lat   float64
	Properties map[string]any
}

// Points is local points, written into the page (at most MaxLocalFeatures of them).
func Points(points []Point) Source {
	if len(points) > MaxLocalFeatures {
		return tooBig(fmt.Sprintf("%d points", len(points)))
	}
	type geometry struct {
		Type        string     `json:"type"`
		Coordinates [2]float64 `json:"coordinates"`
	}
	type feature struct {
		Type       string         `json:"type"`
		Geometry   geometry       `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	b := emptyBounds()
	for i, p := range points {
		if !validLonLat(p.Lon, p.Lat) {
			return Source{kind: kindLocal, err: fmt.Errorf("cartomap: point %d has no valid lon/lat (%v, %v)", i, p.Lon, p.Lat)}
		}
		props := p.Properties
		if props == nil {
			props = map[string]any{}
		}
		fc.Features = append(fc.Features, feature{"Feature", geometry{"Point", [2]float64{p.Lon, p.Lat}}, jsonSafe(props)})
		b.add(p.Lon, p.Lat)
	}
	raw, err := json.Marshal(fc)
	if err != nil {
		return Source{kind: kindLocal, err: fmt.Errorf("cartomap: points: %w", err)}
	}
	return localSource(raw, b, len(points))
}

// Rows is the rows of a query's answer as local points, their position in the columns lon and
// lat, every other column (but GEOGRAPHY ones) a property. Rows without a valid position are
// left out.
func Rows(res *carto.QueryResult, lon, lat string) Source {
	if res == nil {
		return Source{kind: kindLocal, err: fmt.Errorf("cartomap: Rows of no query result")}
	}
	var pts []Point
	for _, row := range res.Rows {
		x, okx := number(row[lon])
		y, oky := number(row[lat])
		if !okx || !oky || !validLonLat(x, y) {
			continue
		}
		props := map[string]any{}
		for _, c := range res.Schema {
			if c.Name == lon || c.Name == lat || c.Type == "GEOGRAPHY" {
				continue
			}
			props[c.Name] = row[c.Name]
		}
		pts = append(pts, Point{Lon: x, Lat: y, Properties: props})
	}
	return Points(pts)
}

// GeoJSON is local GeoJSON (a FeatureCollection, a Feature or a geometry), written into the
// page (at most MaxLocalBytes and MaxLocalFeatures).
func GeoJSON(data []byte) Source {
	if len(data) > MaxLocalBytes {
		return tooBig(fmt.Sprintf("%d bytes of GeoJSON", len(data)))
	}
	fc, b, n, err := readGeoJSON(data)
	if err != nil {
		return Source{kind: kindLocal, err: fmt.Errorf("cartomap: GeoJSON: %w", err)}
	}
	if n > MaxLocalFeatures {
		return tooBig(fmt.Sprintf("%d features", n))
	}
	return localSource(fc, b, n)
}

func localSource(raw json.RawMessage, b bbox, n int) Source {
	if len(raw) > MaxLocalBytes {
		return tooBig(fmt.Sprintf("%d bytes of GeoJSON", len(raw)))
	}
	return Source{kind: kindLocal, local: raw, bounds: b.box(), features: n}
}

// tooBig is the error of a local source above the limits, with the advice.
func tooBig(what string) Source {
	return Source{kind: kindLocal, err: fmt.Errorf("cartomap: %s is too much for a local map (at most %d features and %d KiB, written into the saved notebook): draw it from a table or query source (cartomap.Table, cartomap.Query), which the Maps API sends as tiles", what, MaxLocalFeatures, MaxLocalBytes>>10)}
}

// describe names the source for the map's token line and errors.
func (s Source) describe() string {
	switch s.kind {
	case kindTable:
		return "table " + s.table
	case kindQuery:
		return "query " + shorten(s.sql, 80)
	case kindLocal:
		return fmt.Sprintf("%d local features", s.features)
	}
	return "no source"
}

// grant is the Maps API grant of exactly this source.
func (s Source) grant() carto.APIGrant {
	if s.kind == kindTable {
		return carto.APIGrant{Connection: s.connection, Source: s.table}
	}
	return carto.APIGrant{Connection: s.connection, Source: s.sql}
}

// check reports what is wrong with the source, if anything.
func (s Source) check() error {
	if s.err != nil {
		return s.err
	}
	switch s.kind {
	case kindTable:
		if s.connection == "" || s.table == "" {
			return fmt.Errorf("cartomap: a table source needs a connection and a table name")
		}
	case kindQuery:
		if s.connection == "" || s.sql == "" {
			return fmt.Errorf("cartomap: a query source needs a connection and SQL")
		}
	case kindLocal:
	default:
		return fmt.Errorf("cartomap: no source: use cartomap.Table, Query, Points, Rows or GeoJSON")
	}
	if (s.kind == kindTable || s.kind == kindQuery) && s.spatial == "" {
		return fmt.Errorf("cartomap: the source's spatial column is empty")
	}
	return nil
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func validLonLat(lon, lat float64) bool {
	return !math.IsNaN(lon) && !math.IsNaN(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
}

// number is v as a float64, for the numeric types a QueryResult holds.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// jsonSafe returns props with values JSON cannot hold as such (NaN, infinities, times) as
// text or null, so that encoding them never fails.
func jsonSafe(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				v = nil
			}
		case time.Time:
			v = x.UTC().Format(time.RFC3339Nano)
		}
		out[k] = v
	}
	return out
}
