package cartotest

import (
	"net/http"
	"slices"
	"strings"
)

// mapData is a source's rows, read for one request: its columns, which one holds the
// geography, which go into tiles' properties, and each row's geometry (a shape without
// parts for NULL).
type mapData struct {
	schema []column
	geom   int
	props  []int
	rows   [][]any
	shapes []shape
}

// load reads the source's rows: a built-in table's, or a query's answer from runSQL. status
// and msg say what is wrong (404 for an unknown table, 400 for a query runSQL refuses, or a
// spatial column or columns= entry the source lacks).
func (src mapSource) load() (d *mapData, status int, msg string) {
	d = &mapData{}
	if src.kind == "table" {
		t := sqlTableNamed(src.name)
		if t == nil {
			return nil, http.StatusNotFound, "Table not found: " + src.name + " (the sandbox's tables are " + sqlTableNames + ")"
		}
		d.schema, d.rows = t.columns, t.rows
	} else {
		ps, err := decodeSQLParams([]byte(src.params))
		var ans *sqlAnswer
		if err == nil {
			ans, err = runSQL(src.q, ps)
		}
		if err != nil {
			return nil, http.StatusBadRequest, err.Error()
		}
		d.schema, d.rows = ans.schema, ans.rows
	}
	index := func(name string) int {
		return slices.IndexFunc(d.schema, func(c column) bool { return strings.EqualFold(c.Name, name) })
	}
	if d.geom = index(src.spatialColumn); d.geom < 0 || d.schema[d.geom].Type != sqlGeography {
		return nil, http.StatusBadRequest, "spatialDataColumn " + src.spatialColumn + " is not a GEOGRAPHY column of the source (its columns: " + columnList(d.schema) + ")"
	}
	for i := range d.schema {
		if !src.hasColumns && i != d.geom {
			d.props = append(d.props, i)
		}
	}
	for _, c := range src.columns {
		i := index(c)
		if i < 0 {
			return nil, http.StatusBadRequest, "columns: the source has no column " + c + " (its columns: " + columnList(d.schema) + ")"
		}
		if i != d.geom && !slices.Contains(d.props, i) {
			d.props = append(d.props, i)
		}
	}
	for _, row := range d.rows {
		var sh shape
		if text, ok := row[d.geom].(string); ok {
			var err error
			if sh, err = parseWKT(text); err != nil {
				return nil, http.StatusBadRequest, "spatialDataColumn " + src.spatialColumn + ": " + err.Error()
			}
		}
		d.shapes = append(d.shapes, sh)
	}
	return d, 0, ""
}

// columnList names columns, for error messages.
func columnList(cs []column) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// bounds is the bounding box of every geometry of the source (west, south, east, north),
// and false when it has none.
func (d *mapData) bounds() ([4]float64, bool) {
	b, found := [4]float64{180, 90, -180, -90}, false
	for _, sh := range d.shapes {
		if len(sh.parts) == 0 {
			continue
		}
		sb := sh.bbox()
		b = [4]float64{min(b[0], sb[0]), min(b[1], sb[1]), max(b[2], sb[2]), max(b[3], sb[3])}
		found = true
	}
	return b, found
}

// geometryType is the GeoJSON type name of the source's geometries when they are all of one
// kind (Point, LineString, Polygon), else "".
func (d *mapData) geometryType() string {
	kind := shapeKind(0)
	for _, sh := range d.shapes {
		switch {
		case len(sh.parts) == 0:
		case kind == 0:
			kind = sh.kind
		case kind != sh.kind:
			return ""
		}
	}
	return map[shapeKind]string{shapePoint: "Point", shapeLine: "LineString", shapePolygon: "Polygon"}[kind]
}
