package cartotest

import (
	"fmt"
	"strconv"
	"strings"
)

// bqQueryResult is the outcome of running SQL on the stand-in.
type bqQueryResult struct {
	fields []map[string]string // schema fields: name, type, mode
	rows   []bqCityRow
}

// bqRunSQL runs sql against the canned table. Its error text is what BigQuery
// would say, and is sent back as an invalidQuery error.
func bqRunSQL(sql string) (*bqQueryResult, error) {
	list, limitDigits, ok := bqParseQuery(sql)
	if !ok {
		return nil, fmt.Errorf("the BigQuery stand-in only understands " +
			"SELECT <* or columns> FROM cities [LIMIT n]; the cities table has columns " +
			"name, country, population, lat, lon")
	}
	cols, err := bqPickColumns(list)
	if err != nil {
		return nil, err
	}
	limit := len(bigQueryCities)
	if limitDigits != "" {
		n, err := strconv.Atoi(limitDigits)
		if err != nil {
			return nil, fmt.Errorf("invalid LIMIT %q", limitDigits)
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
