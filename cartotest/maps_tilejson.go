package cartotest

import (
	"cmp"
	"slices"
	"strconv"
)

// Zoom levels of the Maps API's tiles. Beyond mapsMaxZoom, deck.gl draws the tiles of
// mapsMaxZoom larger (a tile unit is then about 2 cm on the ground at the equator); the limit
// also keeps tile coordinates far within MVT's 32 bits.
const (
	mapsMinZoom = 0
	mapsMaxZoom = 16
)

// mvtLayerName names the one layer of every tile (and the TileJSON's vector layer).
// @deck.gl/carto reads every layer of a tile whatever its name; loaders.gl puts the name in
// each feature's properties as layerName.
const mvtLayerName = "default"

// schemaField is a column of a Maps API answer's schema, with CARTO's type names.
type schemaField struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// cartoSchema is the source's columns with CARTO's type names (number, string, geometry).
func cartoSchema(cols []column) []schemaField {
	out := make([]schemaField, len(cols))
	for i, c := range cols {
		out[i] = schemaField{c.Name, map[string]string{sqlString: "string", sqlInt64: "number",
			sqlFloat64: "number", sqlGeography: "geometry"}[c.Type]}
	}
	return out
}

// tileJSON is the TileJSON document of a source: the standard fields @deck.gl/carto reads
// (tiles, minzoom, maxzoom, bounds) and CARTO's additions (tilestats, tileResolution,
// schema).
type tileJSON struct {
	TileJSON       string        `json:"tilejson"`
	Name           string        `json:"name"`
	Scheme         string        `json:"scheme"`
	Tiles          []string      `json:"tiles"`
	MinZoom        int           `json:"minzoom"`
	MaxZoom        int           `json:"maxzoom"`
	Bounds         [4]float64    `json:"bounds"`
	Center         [3]float64    `json:"center"`
	VectorLayers   []vectorLayer `json:"vector_layers"`
	Tilestats      tilestats     `json:"tilestats"`
	TileResolution float64       `json:"tileResolution,omitempty"`
	Schema         []schemaField `json:"schema"`
}

type vectorLayer struct {
	ID           string            `json:"id"`
	MinZoom      int               `json:"minzoom"`
	MaxZoom      int               `json:"maxzoom"`
	Fields       map[string]string `json:"fields"`
	GeometryType string            `json:"geometry_type,omitempty"`
}

type tilestats struct {
	LayerCount int         `json:"layerCount"`
	Layers     []statLayer `json:"layers"`
}

type statLayer struct {
	Layer          string      `json:"layer"`
	Count          int         `json:"count"`
	AttributeCount int         `json:"attributeCount"`
	Attributes     []attribute `json:"attributes"`
	Geometry       string      `json:"geometry,omitempty"`
}

// attribute is a property's statistics: min, max and sum for a number, the categories and
// how often each occurs for a string.
type attribute struct {
	Attribute  string     `json:"attribute"`
	Type       string     `json:"type"`
	Min        *float64   `json:"min,omitempty"`
	Max        *float64   `json:"max,omitempty"`
	Sum        *float64   `json:"sum,omitempty"`
	Categories []category `json:"categories,omitempty"`
}

type category struct {
	Category  string `json:"category"`
	Frequency int    `json:"frequency"`
}

// newTileJSON describes the source's tiles, served from tileURL (a template with {z}, {x}
// and {y}); bounds are those of its geometries (the whole Web Mercator world when it has
// none).
func newTileJSON(src mapSource, d *mapData, tileURL string) tileJSON {
	b, ok := d.bounds()
	if !ok {
		b = [4]float64{-180, -mercatorMaxLat, 180, mercatorMaxLat}
	}
	tj := tileJSON{TileJSON: "3.0.0", Name: src.name, Scheme: "xyz", Tiles: []string{tileURL},
		MinZoom: mapsMinZoom, MaxZoom: mapsMaxZoom, Bounds: b,
		Center: [3]float64{(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, mapsMinZoom},
		Schema: cartoSchema(d.schema)}
	if src.kind == "query" {
		tj.Name = "query"
	}
	if r, err := strconv.ParseFloat(src.tileResolution, 64); err == nil {
		tj.TileResolution = r
	}
	vl := vectorLayer{ID: mvtLayerName, MinZoom: mapsMinZoom, MaxZoom: mapsMaxZoom, Fields: map[string]string{},
		GeometryType: d.geometryType()}
	st := statLayer{Layer: mvtLayerName, Count: len(d.rows), Geometry: d.geometryType(), Attributes: []attribute{}}
	for _, i := range d.props {
		a := d.attribute(i)
		vl.Fields[a.Attribute] = a.Type
		st.Attributes = append(st.Attributes, a)
	}
	st.AttributeCount = len(st.Attributes)
	tj.VectorLayers = []vectorLayer{vl}
	tj.Tilestats = tilestats{LayerCount: 1, Layers: []statLayer{st}}
	return tj
}

// attribute is the statistics of column i over the source's rows.
func (d *mapData) attribute(i int) attribute {
	c := d.schema[i]
	a := attribute{Attribute: c.Name, Type: "String"}
	if !sqlNumeric(c.Type) {
		freq := map[string]int{}
		for _, row := range d.rows {
			if s, ok := row[i].(string); ok {
				freq[s]++
			}
		}
		for k, n := range freq {
			a.Categories = append(a.Categories, category{k, n})
		}
		slices.SortFunc(a.Categories, func(x, y category) int {
			return cmp.Or(cmp.Compare(y.Frequency, x.Frequency), cmp.Compare(x.Category, y.Category))
		})
		return a
	}
	a.Type = "Number"
	var lo, hi, sum float64
	n := 0
	for _, row := range d.rows {
		var f float64
		switch v := row[i].(type) {
		case int64:
			f = float64(v)
		case float64:
			f = v
		default:
			continue
		}
		if n == 0 || f < lo {
			lo = f
		}
		if n == 0 || f > hi {
			hi = f
		}
		sum += f
		n++
	}
	if n > 0 {
		a.Min, a.Max, a.Sum = &lo, &hi, &sum
	}
	return a
}
