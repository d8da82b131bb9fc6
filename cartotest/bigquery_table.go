package cartotest

import "strconv"

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
