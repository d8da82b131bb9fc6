package cartotest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// evalSQL runs sql with queryParameters params (JSON text, "" for none) as the SQL API does.
func evalSQL(sql, params string) (*sqlAnswer, error) {
	ps, err := decodeSQLParams([]byte(params))
	if err != nil {
		return nil, err
	}
	return runSQL(sql, ps)
}

// mustEval is evalSQL that fails the test on an error.
func mustEval(t *testing.T, sql, params string) *sqlAnswer {
	t.Helper()
	ans, err := evalSQL(sql, params)
	if err != nil {
		t.Fatalf("%s (%s): %v", sql, params, err)
	}
	return ans
}

// column0 is the first column of each row of ans, as text.
func column0(ans *sqlAnswer) []string {
	out := []string{}
	for _, r := range ans.rows {
		out = append(out, fmt.Sprint(r[0]))
	}
	return out
}

// cityNames are the names of BigQueryCities picked by keep, in the table's order.
func cityNames(keep func(BigQueryCity) bool) []string {
	out := []string{}
	for _, c := range BigQueryCities() {
		if keep(c) {
			out = append(out, c.Name)
		}
	}
	return out
}

func TestSQLSelectLists(t *testing.T) {
	t.Parallel()
	citiesSchema := []column{{"name", "STRING"}, {"country", "STRING"}, {"population", "INT64"},
		{"lat", "FLOAT64"}, {"lon", "FLOAT64"}, {"geom", "GEOGRAPHY"}, {PayloadColumn, "STRING"}}
	tests := []struct {
		sql    string
		schema []column
		rows   [][]any // nil: only the count is checked
		n      int
	}{
		{"SELECT 1", []column{{"f0_", "INT64"}}, [][]any{{int64(1)}}, 1},
		{" select 'a' as letter, 2.5, -7 ; ", []column{{"letter", "STRING"}, {"f0_", "FLOAT64"}, {"f1_", "INT64"}},
			[][]any{{"a", 2.5, int64(-7)}}, 1},
		{"SELECT 'it\\'s' AS `quoted name`", []column{{"quoted name", "STRING"}}, [][]any{{"it's"}}, 1},
		{"SELECT * FROM `cities` LIMIT 100", citiesSchema, nil, len(BigQueryCities()) + 1},
		{"SELECT name AS city, population FROM carto-demo-data.demo_tables.cities WHERE country = 'Japan'",
			[]column{{"city", "STRING"}, {"population", "INT64"}}, [][]any{{"Tokyo", int64(13960000)}}, 1},
		{"SELECT COUNT(*) AS n FROM `carto-demo-data`.demo_tables.`features` WHERE kind = 'polygon'",
			[]column{{"n", "INT64"}}, [][]any{{int64(2)}}, 1},
		{"select count(*), 'all' AS what from features", []column{{"f0_", "INT64"}, {"what", "STRING"}},
			[][]any{{int64(5), "all"}}, 1},
		{"SELECT COUNT(*)", []column{{"f0_", "INT64"}}, [][]any{{int64(1)}}, 1},
		{"SELECT id, geom AS shape FROM `carto-demo-data.demo_tables.features` WHERE id = 2",
			[]column{{"id", "INT64"}, {"shape", "GEOGRAPHY"}},
			[][]any{{int64(2), "POLYGON((-3.6905 40.42, -3.6766 40.42, -3.6766 40.4095, -3.6905 40.4095, -3.6905 40.42))"}}, 1},
		{`SeLeCt "NAME", Lat FrOm "Cities" wHeRe "population" < 4000000 aNd "population" > 1`,
			[]column{{"name", "STRING"}, {"lat", "FLOAT64"}}, [][]any{{"Madrid", 40.4168}}, 1},
		{"SELECT geom FROM cities WHERE name = 'Madrid'", []column{{"geom", "GEOGRAPHY"}}, [][]any{{"POINT(-3.7038 40.4168)"}}, 1},
	}
	for _, tt := range tests {
		ans := mustEval(t, tt.sql, "")
		if !reflect.DeepEqual(ans.schema, tt.schema) {
			t.Errorf("%s: schema %v, want %v", tt.sql, ans.schema, tt.schema)
		}
		if len(ans.rows) != tt.n || tt.rows != nil && !reflect.DeepEqual(ans.rows, tt.rows) {
			t.Errorf("%s: rows %v, want %d: %v", tt.sql, ans.rows, tt.n, tt.rows)
		}
	}
}

func TestSQLCitiesTable(t *testing.T) {
	t.Parallel()
	ans := mustEval(t, "SELECT *, population AS people FROM cities", "")
	cities := BigQueryCities()
	if len(ans.rows) != len(cities)+1 {
		t.Fatalf("%d rows, want the %d cities and the payload row", len(ans.rows), len(cities))
	}
	for i, c := range cities {
		want := []any{c.Name, c.Country, c.Population, c.Lat, c.Lon, fmt.Sprintf("POINT(%v %v)", c.Lon, c.Lat), nil, c.Population}
		if !reflect.DeepEqual(ans.rows[i], want) {
			t.Errorf("row %d: %#v, want %#v", i, ans.rows[i], want)
		}
	}
	payload := []any{PayloadName, "Nowhere", int64(1), 0.0, 0.0, "POINT(0 0)", PayloadNote, int64(1)}
	if last := ans.rows[len(ans.rows)-1]; !reflect.DeepEqual(last, payload) {
		t.Errorf("the last row %#v, want %#v", last, payload)
	}
	if ans.bytesProcessed <= 0 {
		t.Errorf("totalBytesProcessed %d for reading the whole table", ans.bytesProcessed)
	}
	if n := mustEval(t, "SELECT 2 AS two FROM cities", "").bytesProcessed; n != 0 {
		t.Errorf("totalBytesProcessed %d for reading no column", n)
	}
}

func TestSQLWhere(t *testing.T) {
	t.Parallel()
	all := func(BigQueryCity) bool { return true }
	tests := []struct {
		where string
		want  []string
	}{
		{"population > 10000000 AND country != 'Japan'", []string{"São Paulo", "Lagos"}},
		{"country = 'Spain' OR country = 'Japan' AND population < 1000", []string{"Madrid"}}, // AND binds tighter
		{"(country = 'Spain' OR country = 'Japan') AND population > 1000", []string{"Madrid", "Tokyo"}},
		{"lat < 0 OR (lon > 100 AND lat > 0)", []string{"Tokyo", "São Paulo", "Sydney"}},
		{"((population >= 3223334)) AND (population <= 5312163 AND 1 = 1)", []string{"Madrid", "Sydney"}},
		{"lat > 40", []string{"Madrid", "New York"}},                             // FLOAT64 with INT64
		{"population > 1.5e7", []string{"Lagos"}},                                // INT64 with FLOAT64
		{"population = 1.0 OR name = 'Sydney'", []string{"Sydney", PayloadName}}, // equal across types
		{"country <> 'Nowhere'", cityNames(all)},
		{"name >= 'S' AND name < 'T'", []string{"São Paulo", "Sydney"}},
		{"'a' > 'b'", []string{}},
		{"-5 < lon", append(cityNames(func(c BigQueryCity) bool { return c.Lon > -5 }), PayloadName)},
		{"`" + PayloadColumn + "` = 'note'", []string{PayloadName}},
		{"`" + PayloadColumn + "` != 'note'", []string{}}, // NULL compares neither equal nor not
		{"`" + PayloadColumn + "` != 'note' OR population < 4000000", []string{"Madrid", PayloadName}},
		{"`" + PayloadColumn + "` = 'x' AND population > 1", []string{}},
	}
	for _, tt := range tests {
		ans := mustEval(t, "SELECT name FROM cities WHERE "+tt.where, "")
		if got := column0(ans); !slices.Equal(got, tt.want) {
			t.Errorf("WHERE %s: %q, want %q", tt.where, got, tt.want)
		}
	}
}

func TestSQLOrderByAndLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sql  string
		want []string
	}{
		{"SELECT name FROM cities ORDER BY population DESC LIMIT 3", []string{"Lagos", "Tokyo", "São Paulo"}},
		{"SELECT name FROM cities ORDER BY population ASC LIMIT 2", []string{PayloadName, "Madrid"}},
		{"SELECT name, country AS c FROM cities ORDER BY c, name DESC",
			[]string{"Sydney", "São Paulo", "Tokyo", "Lagos", PayloadName, "Madrid", "New York"}},
		{"SELECT name FROM features ORDER BY kind DESC, id DESC",
			[]string{"Central Park", "Retiro Park", "Sydney Harbour Bridge", "Brooklyn Bridge", "Madrid to Toledo"}},
		{"SELECT id FROM features ORDER BY name", []string{"3", "4", "1", "2", "5"}},
		{"SELECT name FROM cities ORDER BY `" + PayloadColumn + "` DESC LIMIT 2", []string{PayloadName, "Madrid"}}, // NULLs last
		{"SELECT name FROM cities ORDER BY `" + PayloadColumn + "`", append(cityNames(func(BigQueryCity) bool { return true }), PayloadName)},
		{"SELECT name FROM cities LIMIT 0", []string{}},
		{"SELECT COUNT(*) AS n FROM cities ORDER BY n LIMIT 0", []string{}},
		{"SELECT COUNT(*) AS n FROM cities WHERE population > 99999999", []string{"0"}},
	}
	for _, tt := range tests {
		if got := column0(mustEval(t, tt.sql, "")); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.sql, got, tt.want)
		}
	}
}

func TestSQLParameters(t *testing.T) {
	t.Parallel()
	over := func(min int64) []string {
		return cityNames(func(c BigQueryCity) bool { return c.Population > min })
	}
	tests := []struct {
		sql, params string
		want        []string
	}{
		{"SELECT name FROM cities WHERE population > @min", `{"min": 10000000}`, over(10_000_000)},
		{"SELECT name FROM cities WHERE population > @min", `{"min": 5000000, "unused": true}`, over(5_000_000)},
		{"SELECT name FROM cities WHERE @min < population AND population < @max", `{"min": 5000000.5, "max": 13960000}`,
			[]string{"New York", "São Paulo", "Sydney"}},
		{"SELECT name FROM cities WHERE country = ? OR population > ?", `["Spain", 15000000]`, []string{"Madrid", "Lagos"}},
		{"SELECT name FROM cities WHERE country = ? OR population > ?", `["Japan", 12000000]`, []string{"Tokyo", "São Paulo", "Lagos"}},
		{"SELECT @greeting AS g, ? AS unused FROM features LIMIT 1", `{"greeting": "hola"}`, nil},
		{"SELECT @greeting AS g", `{"greeting": "hola"}`, []string{"hola"}},
		{"SELECT ?", `[9007199254740993]`, []string{"9007199254740993"}},
	}
	if n1, n2 := len(tests[0].want), len(tests[1].want); n1 == n2 || n1 == 0 {
		t.Fatalf("the two values of @min pick %d and %d cities: they must differ", n1, n2)
	}
	for _, tt := range tests {
		ans, err := evalSQL(tt.sql, tt.params)
		if tt.want == nil {
			if err == nil || !strings.Contains(err.Error(), "not both") {
				t.Errorf("%s: %v, want an error about mixing @name and ?", tt.sql, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s (%s): %v", tt.sql, tt.params, err)
		} else if got := column0(ans); !slices.Equal(got, tt.want) {
			t.Errorf("%s (%s): %q, want %q", tt.sql, tt.params, got, tt.want)
		}
	}
	if ans := mustEval(t, "SELECT @n AS n, @x AS x, @s AS s", `{"n": 3, "x": 3.5, "s": "3"}`); !reflect.DeepEqual(ans.schema,
		[]column{{"n", "INT64"}, {"x", "FLOAT64"}, {"s", "STRING"}}) {
		t.Errorf("parameter types: %v", ans.schema)
	}
}

func TestSQLParameterErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ sql, params, want string }{
		{"SELECT name FROM cities WHERE population > @min", "", "@min (character 44) is missing"},
		{"SELECT name FROM cities WHERE population > @min", `{"max": 1}`, `queryParameters has no "min"`},
		{"SELECT name FROM cities WHERE population > @min", `[1]`, "as a JSON object"},
		{"SELECT name FROM cities WHERE population > ? AND population < ?", `[1]`, "positional parameter 2"},
		{"SELECT name FROM cities WHERE population > ?", `{"min": 1}`, "as a JSON array"},
		{"SELECT name FROM cities WHERE population > @min", `{"min": true}`, "@min is a boolean"},
		{"SELECT name FROM cities WHERE population > ?", `[null]`, "parameter 1 is null"},
		{"SELECT name FROM cities WHERE population > @min", `{"min": 1e400}`, "out of range"},
		{"SELECT name FROM cities WHERE population > @min", `{"min": "5"}`, "No matching signature for operator > for argument types: INT64, STRING"},
		{"SELECT name FROM cities WHERE population > @min", `{"min": `, "not JSON"},
		{"SELECT name FROM cities WHERE population > @min", `"min=1"`, "object"},
	}
	for _, tt := range tests {
		_, err := evalSQL(tt.sql, tt.params)
		var se *sqlError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s (%s): %v, want a sqlError with %q", tt.sql, tt.params, err, tt.want)
		}
	}
}

func TestSQLRefusesWhatItDoesNotRun(t *testing.T) {
	t.Parallel()
	tests := []struct{ sql, want string }{
		{"DROP TABLE cities", "only SELECT statements run here, not DROP"},
		{"insert into cities (name) values ('x')", "not INSERT"},
		{"WITH t AS (SELECT 1) SELECT * FROM t", "not WITH"},
		{"SELECT name FROM cities JOIN features ON cities.name = features.name", "the keyword JOIN at character 25"},
		{"SELECT name FROM cities, features", `"," at character 24`},
		{"SELECT name FROM cities c", "a table alias"},
		{"SELECT UPPER(name) FROM cities", "the function UPPER()"},
		{"SELECT COUNT(name) FROM cities", "COUNT of anything but *"},
		{"SELECT name, COUNT(*) FROM cities", "neither grouped nor aggregated"},
		{"SELECT country, COUNT(*) FROM cities GROUP BY country", "the keyword GROUP at character 38"},
		{"SELECT DISTINCT country FROM cities", "the keyword DISTINCT"},
		{"SELECT nope FROM cities", "Unrecognized name: nope"},
		{"SELECT name FROM cities ORDER BY nope", "Unrecognized name: nope in ORDER BY"},
		{"SELECT COUNT(*) AS n FROM cities ORDER BY population", "Unrecognized name: population"},
		{"SELECT name FROM cities ORDER BY 1", `"1" at character 34`},
		{"SELECT name FROM cities ORDER BY geom", "type GEOGRAPHY"},
		{"SELECT cities.name FROM cities", "the qualified name"},
		{"SELECT name FROM towns", "Table not found: towns"},
		{"SELECT name FROM project.dataset.towns", "Table not found: project.dataset.towns"},
		{"SELECT name", "Unrecognized name: name"},
		{"SELECT *", "SELECT * at character 8 needs a FROM clause"},
		{"SELECT name FROM cities WHERE name > 3", "argument types: STRING, INT64"},
		{"SELECT name FROM cities WHERE geom = 'POINT(0 0)'", "argument types: GEOGRAPHY, STRING"},
		{"SELECT name FROM cities WHERE name LIKE 'M%'", "the keyword LIKE"},
		{"SELECT name FROM cities WHERE population IS NULL", "the keyword IS"},
		{"SELECT name FROM cities WHERE NOT population > 1", "the keyword NOT"},
		{"SELECT name FROM cities WHERE population", "the statement ends too early"},
		{"SELECT name FROM cities WHERE (population > 1", "the statement ends too early"},
		{"SELECT population + 1 FROM cities", `"+" at character 19`},
		{"SELECT name FROM cities LIMIT 1 OFFSET 2", `"OFFSET" at character 33`},
		{"SELECT name FROM cities LIMIT @n", `"@n" at character 31`},
		{"SELECT name FROM cities LIMIT 1.5", `"1.5"`},
		{"SELECT name FROM cities; DELETE FROM cities", "one statement at a time"},
		{"SELECT name, name FROM cities", "Duplicate column names"},
		{"SELECT name, 1 AS NAME FROM cities", "Duplicate column names"},
		{"SELECT 'open", "has no closing '"},
		{"SELECT `open FROM cities", "has no closing `"},
		{"SELECT `` FROM cities", "empty quoted identifier"},
		{"SELECT 'a\\qb'", `the escape \q`},
		{"SELECT 99999999999999999999", "out of INT64's range"},
		{"SELECT 1e999", "out of FLOAT64's range"},
		{"SELECT @ FROM cities", "has no name"},
		{"SELECT né FROM cities", "unexpected character at character 9"},
		{"SELECT", "the statement ends too early"},
		{"   ", "the statement ends too early"},
		{"(SELECT 1)", `"(" at character 1`},
	}
	for _, tt := range tests {
		_, err := evalSQL(tt.sql, "")
		var se *sqlError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want a sqlError with %q", tt.sql, err, tt.want)
		}
	}
}
