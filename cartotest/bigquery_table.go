package cartotest

import (
	"fmt"
	"strconv"
	"strings"
)

// BigQueryCity is one row of the BigQuery stand-in's canned "cities" table.
// Its field names match the table's columns (name, country, population, lat,
// lon), so a cloud.google.com/go/bigquery RowIterator can load rows of
// "SELECT * FROM cities" straight into it.
type BigQueryCity struct {
	Name       string
	Country    string
	Population int64
	Lat        float64
	Lon        float64
}

// bqCityRow is a BigQueryCity in REST form: one string per column.
type bqCityRow []string

var bigQueryCities = []BigQueryCity{
	{"Madrid", "Spain", 3223334, 40.4168, -3.7038},
	{"New York", "United States", 8336817, 40.7128, -74.006},
	{"Tokyo", "Japan", 13960000, 35.6762, 139.6503},
	{"São Paulo", "Brazil", 12330000, -23.5505, -46.6333},
	{"Lagos", "Nigeria", 15388000, 6.5244, 3.3792},
	{"Sydney", "Australia", 5312163, -33.8688, 151.2093},
}

// BigQueryCities returns a copy of the rows of the stand-in's "cities" table,
// in the order queries return them.
func BigQueryCities() []BigQueryCity {
	return append([]BigQueryCity(nil), bigQueryCities...)
}

// bqCitiesColumns are the columns of "cities" with their BigQuery REST types.
var bqCitiesColumns = []struct{ name, typ string }{
	{"name", "STRING"},
	{"country", "STRING"},
	{"population", "INTEGER"},
	{"lat", "FLOAT"},
	{"lon", "FLOAT"},
}

// bqCityValues returns c's columns as BigQuery REST encodes them (all strings).
func bqCityValues(c BigQueryCity) []string {
	return []string{
		c.Name, c.Country,
		strconv.FormatInt(c.Population, 10),
		strconv.FormatFloat(c.Lat, 'g', -1, 64),
		strconv.FormatFloat(c.Lon, 'g', -1, 64),
	}
}

// bqQuerySQL matches the one query shape the stand-in understands:
// SELECT <* | columns> FROM <[project.dataset.]cities> [LIMIT n].
var bqQuerySQL = lazyRegexp("(?is)^\\s*select\\s+(.+?)\\s+from\\s+`?(?:[\\w-]+\\.){0,2}cities`?(?:\\s+limit\\s+(\\d+))?\\s*;?\\s*$")

// bqQueryResult is the outcome of running SQL on the stand-in.
type bqQueryResult struct {
	fields []map[string]string // schema fields: name, type, mode
	rows   []bqCityRow
}

// bqRunSQL runs sql against the canned table. Its error text is what BigQuery
// would say, and is sent back as an invalidQuery error.
func bqRunSQL(sql string) (*bqQueryResult, error) {
	m := bqQuerySQL().FindStringSubmatch(sql)
	if m == nil {
		return nil, fmt.Errorf("the BigQuery stand-in only understands " +
			"SELECT <* or columns> FROM cities [LIMIT n]; the cities table has columns " +
			"name, country, population, lat, lon")
	}
	cols, err := bqPickColumns(m[1])
	if err != nil {
		return nil, err
	}
	limit := len(bigQueryCities)
	if m[2] != "" {
		n, err := strconv.Atoi(m[2])
		if err != nil {
			return nil, fmt.Errorf("invalid LIMIT %q", m[2])
		}
		limit = min(n, limit)
	}
	res := &bqQueryResult{}
	for _, c := range cols {
		res.fields = append(res.fields, map[string]string{
			"name": bqCitiesColumns[c].name, "type": bqCitiesColumns[c].typ, "mode": "NULLABLE"})
	}
	for _, city := range bigQueryCities[:limit] {
		all := bqCityValues(city)
		row := make(bqCityRow, len(cols))
		for i, c := range cols {
			row[i] = all[c]
		}
		res.rows = append(res.rows, row)
	}
	return res, nil
}

// bqPickColumns resolves a select list ("*" or comma-separated column names)
// to column indexes.
func bqPickColumns(list string) ([]int, error) {
	if strings.TrimSpace(list) == "*" {
		return []int{0, 1, 2, 3, 4}, nil
	}
	var cols []int
	for name := range strings.SplitSeq(list, ",") {
		name = strings.Trim(strings.TrimSpace(name), "`")
		i := bqColumnIndex(name)
		if i < 0 {
			return nil, fmt.Errorf("Unrecognized name: %s", name)
		}
		cols = append(cols, i)
	}
	return cols, nil
}

// bqColumnIndex returns the index of the named column of "cities", or -1.
func bqColumnIndex(name string) int {
	for i, c := range bqCitiesColumns {
		if strings.EqualFold(c.name, name) {
			return i
		}
	}
	return -1
}

// bqRestRows encodes rows as BigQuery REST does: {"f":[{"v":"..."}, ...]}.
func bqRestRows(rows []bqCityRow) []map[string]any {
	out := make([]map[string]any, 0, len(rows))
	for _, r := range rows {
		f := make([]map[string]string, len(r))
		for i, v := range r {
			f[i] = map[string]string{"v": v}
		}
		out = append(out, map[string]any{"f": f})
	}
	return out
}
