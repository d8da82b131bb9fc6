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
const sqlTableNames = "cities, features, regions, routes"

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
	case "regions":
		return sqlRegions()
	case "routes":
		return sqlRoutes()
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

// sqlRegions is the regions table, polygons for maps: a few rough outlines around the
// cities, one with a hole (Manhattan around Central Park), one a MULTIPOLYGON (Japan's two
// largest islands), one written clockwise (Iberia) and the rest counter-clockwise.
func sqlRegions() *sqlTable {
	return &sqlTable{name: "regions", columns: []column{
		{"id", sqlInt64}, {"name", sqlString}, {"country", sqlString}, {"area_km2", sqlFloat64}, {"geom", sqlGeography},
	}, rows: [][]any{
		{int64(1), "Iberia", "Spain", 583000.0, "POLYGON((-9.3 43.1, 3.2 42.4, -0.3 38.8, -5.6 36.0, -8.9 37.0, -9.3 43.1))"},
		{int64(2), "Manhattan", "United States", 59.1, "POLYGON((-74.019 40.701, -73.971 40.711, -73.929 40.796, -73.934 40.877, -74.011 40.757, -74.019 40.701), " +
			"(-73.9819 40.7681, -73.9737 40.7644, -73.9498 40.7969, -73.958 40.8006, -73.9819 40.7681))"},
		{int64(3), "Japan", "Japan", 305000.0, "MULTIPOLYGON(((130.9 34.3, 135.0 33.5, 140.9 35.6, 141.9 40.5, 141.2 41.4, 140.0 40.5, 136.7 37.2, 132.6 35.4, 130.9 34.3)), " +
			"((140.0 41.4, 141.9 42.6, 145.8 43.3, 145.3 44.3, 141.9 45.5, 141.3 43.2, 140.0 41.4)))"},
		{int64(4), "Lagos State", "Nigeria", 3577.0, "POLYGON((2.70 6.37, 4.35 6.37, 4.35 6.70, 3.50 6.75, 2.70 6.70, 2.70 6.37))"},
		{int64(5), "Sydney Basin", "Australia", 12368.0, "POLYGON((150.5 -34.3, 151.4 -34.3, 151.4 -33.4, 150.5 -33.4, 150.5 -34.3))"},
	}}
}

// sqlRoutes is the routes table, lines for maps: flights between the cities, one a
// MULTILINESTRING (a journey of two legs).
func sqlRoutes() *sqlTable {
	return &sqlTable{name: "routes", columns: []column{
		{"id", sqlInt64}, {"name", sqlString}, {"mode", sqlString}, {"length_km", sqlFloat64}, {"geom", sqlGeography},
	}, rows: [][]any{
		{int64(1), "Madrid - New York", "air", 5767.0, "LINESTRING(-3.7038 40.4168, -40 45, -74.006 40.7128)"},
		{int64(2), "New York - São Paulo", "air", 7685.0, "LINESTRING(-74.006 40.7128, -60 10, -46.6333 -23.5505)"},
		{int64(3), "Lagos - Madrid", "air", 3843.0, "LINESTRING(3.3792 6.5244, -1 25, -3.7038 40.4168)"},
		{int64(4), "Tokyo - Sydney", "air", 7823.0, "LINESTRING(139.6503 35.6762, 147 0, 151.2093 -33.8688)"},
		{int64(5), "São Paulo - Lagos via Madrid", "air", 12178.0,
			"MULTILINESTRING((-46.6333 -23.5505, -20 15, -3.7038 40.4168), (-3.7038 40.4168, 3.3792 6.5244))"},
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
