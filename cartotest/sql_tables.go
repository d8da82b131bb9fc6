package cartotest

import (
	"strconv"
	"strings"
)

// Markup in the SQL API's cities table, for tests that a front end shows what the API
// answers as text: the API hands it on as it is (CARTO's does not escape), and each sets
// window.__cartoPayload if a page runs it.
const (
	// PayloadName is the name of the last row of the SQL API's cities table (country
	// "Nowhere", population 1, at POINT(0 0)).
	PayloadName = `<img src=x onerror="window.__cartoPayload='row'"><script>window.__cartoPayload='row'</script>`
	// PayloadColumn is the name of the 7th column of the SQL API's cities table, a STRING
	// that is NULL in every row but PayloadName's, where it is PayloadNote.
	PayloadColumn = `<img src=x onerror="window.__cartoPayload='column'">`
	// PayloadNote is the value of PayloadColumn in PayloadName's row.
	PayloadNote = "note"
)

// sqlTable is one of the SQL API's built-in tables: its columns and its rows, each value of
// its column's type (see sqlString and the rest) or nil.
type sqlTable struct {
	name    string
	columns []column
	rows    [][]any
}

// sqlTableNames lists the built-in tables, for error messages.
const sqlTableNames = "cities, features"

// sqlTableNamed returns the built-in table whose name is the last dotted part of path (so
// `project.dataset.cities` is cities), without regard to case, or nil. Tables are built for
// each query, never at start-up.
func sqlTableNamed(path string) *sqlTable {
	name := path[strings.LastIndex(path, ".")+1:]
	switch strings.ToLower(name) {
	case "cities":
		return sqlCities()
	case "features":
		return sqlFeatures()
	}
	return nil
}

// sqlCities is the cities table: the cities of BigQueryCities, in that order, with their
// points, then PayloadName's row.
func sqlCities() *sqlTable {
	t := &sqlTable{name: "cities", columns: []column{
		{"name", sqlString}, {"country", sqlString}, {"population", sqlInt64},
		{"lat", sqlFloat64}, {"lon", sqlFloat64}, {"geom", sqlGeography}, {PayloadColumn, sqlString},
	}}
	for _, c := range BigQueryCities() {
		t.rows = append(t.rows, []any{c.Name, c.Country, c.Population, c.Lat, c.Lon, wktPoint(c.Lon, c.Lat), nil})
	}
	t.rows = append(t.rows, []any{PayloadName, "Nowhere", int64(1), 0.0, 0.0, wktPoint(0, 0), PayloadNote})
	return t
}

// wktPoint is the WKT text of a point.
func wktPoint(lon, lat float64) string {
	return "POINT(" + strconv.FormatFloat(lon, 'g', -1, 64) + " " + strconv.FormatFloat(lat, 'g', -1, 64) + ")"
}

// sqlFeatures is the features table: a few lines and polygons, as WKT.
func sqlFeatures() *sqlTable {
	return &sqlTable{name: "features", columns: []column{
		{"id", sqlInt64}, {"kind", sqlString}, {"name", sqlString}, {"geom", sqlGeography},
	}, rows: [][]any{
		{int64(1), "line", "Madrid to Toledo", "LINESTRING(-3.7038 40.4168, -4.0273 39.8628)"},
		{int64(2), "polygon", "Retiro Park", "POLYGON((-3.6905 40.42, -3.6766 40.42, -3.6766 40.4095, -3.6905 40.4095, -3.6905 40.42))"},
		{int64(3), "line", "Brooklyn Bridge", "LINESTRING(-73.9969 40.7061, -73.9903 40.7033)"},
		{int64(4), "polygon", "Central Park", "POLYGON((-73.9819 40.7681, -73.958 40.8006, -73.9498 40.7969, -73.9737 40.7644, -73.9819 40.7681))"},
		{int64(5), "line", "Sydney Harbour Bridge", "LINESTRING(151.2108 -33.8523, 151.2101 -33.8478)"},
	}}
}

// columnIndex returns the index of the column named name, without regard to case (as
// BigQuery matches column names), or -1.
func (t *sqlTable) columnIndex(name string) int {
	for i, c := range t.columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// columnNames lists the table's columns, for error messages.
func (t *sqlTable) columnNames() string {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}
