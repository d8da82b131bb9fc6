package carto

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// sandboxCity is a row of the stand-in's cities, as QueryInto fills it.
type sandboxCity struct {
	Name       string `json:"name"`
	Population int64  `json:"population"`
}

// citiesOver are the stand-in's cities with more than min people, the most populous first.
func citiesOver(min int64) []sandboxCity {
	var out []sandboxCity
	for _, c := range cartotest.BigQueryCities() {
		if c.Population > min {
			out = append(out, sandboxCity{c.Name, c.Population})
		}
	}
	slices.SortStableFunc(out, func(a, b sandboxCity) int { return cmp.Compare(b.Population, a.Population) })
	return out
}

// sandboxAuth is an M2M login at a new stand-in, whose SQL API is the one it uses.
func sandboxAuth(t *testing.T) *Auth {
	t.Helper()
	srv := standIn(t, cartotest.Config{})
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	if a.APIBaseURL() != srv.URL {
		t.Fatalf("API base URL %q, want the stand-in's %q", a.APIBaseURL(), srv.URL)
	}
	return a
}

// TestQueryRunsAtTheSandbox: the stand-in's SQL API runs the query, and the parameter's value
// decides the rows, typed by the schema.
func TestQueryRunsAtTheSandbox(t *testing.T) {
	t.Parallel()
	a := sandboxAuth(t)
	const sql = "SELECT name, population FROM cities WHERE population > @min ORDER BY population DESC"
	mins := []int64{5_000_000, 13_000_000}
	if len(citiesOver(mins[0])) == len(citiesOver(mins[1])) || len(citiesOver(mins[1])) == 0 {
		t.Fatal("the two values of @min must pick different, non-empty sets of cities")
	}
	for _, min := range mins {
		for _, cache := range []bool{false, true} { // a POST, then a GET
			res, err := a.Query(context.Background(), cartotest.SQLConnection, sql, &QueryOptions{Params: map[string]any{"min": min}, Cache: cache})
			if err != nil {
				t.Fatalf("min %d: %v", min, err)
			}
			if want := []Column{{"name", "STRING"}, {"population", "INT64"}}; !slices.Equal(res.Schema, want) {
				t.Errorf("min %d: schema %v, want %v", min, res.Schema, want)
			}
			want := citiesOver(min)
			if len(res.Rows) != len(want) {
				t.Fatalf("min %d (cache %v): %d rows, want %d: %v", min, cache, len(res.Rows), len(want), res.Rows)
			}
			for i, c := range want {
				if got := res.Rows[i]; got["name"] != c.Name || got["population"] != c.Population {
					t.Errorf("min %d, row %d: %#v, want %s with population int64 %d", min, i, got, c.Name, c.Population)
				}
			}
			if res.Meta.Location != "US" || res.Meta.CacheHit {
				t.Errorf("meta %+v", res.Meta)
			}
		}
	}
}

// TestQueryIntoAtTheSandbox: QueryInto fills structs from the stand-in's answer to a query
// with a positional parameter.
func TestQueryIntoAtTheSandbox(t *testing.T) {
	t.Parallel()
	a := sandboxAuth(t)
	var got []sandboxCity
	res, err := QueryInto(context.Background(), a, cartotest.SQLConnection,
		"select name, population from `carto-demo-data.demo_tables.cities` where population > ? order by population desc limit 3",
		&got, &QueryOptions{Positional: []any{8_000_000}})
	if err != nil {
		t.Fatal(err)
	}
	if want := citiesOver(8_000_000)[:3]; !reflect.DeepEqual(got, want) || len(res.Schema) != 2 {
		t.Errorf("got %+v (schema %v), want %+v", got, res.Schema, want)
	}
}

// TestQuerySandboxMarkupAndErrors: the markup row and column arrive as they are, with every
// type of the cities table; a statement the stand-in does not run is the API's 400.
func TestQuerySandboxMarkupAndErrors(t *testing.T) {
	t.Parallel()
	a := sandboxAuth(t)
	res, err := a.Query(context.Background(), cartotest.SQLConnection, "SELECT * FROM cities WHERE population < @max",
		&QueryOptions{Params: map[string]any{"max": 2}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"name": cartotest.PayloadName, "country": "Nowhere", "population": int64(1), "lat": 0.0, "lon": 0.0,
		"geom": "POINT(0 0)", cartotest.PayloadColumn: cartotest.PayloadNote}
	if len(res.Rows) != 1 || !reflect.DeepEqual(res.Rows[0], want) {
		t.Errorf("rows %#v, want %#v", res.Rows, want)
	}
	_, err = a.Query(context.Background(), cartotest.SQLConnection, "SELECT name FROM cities JOIN features ON 1 = 1", nil)
	var se *ServerError
	if !errors.As(err, &se) || se.Status != http.StatusBadRequest || !strings.Contains(err.Error(), "JOIN") {
		t.Errorf("a join: %v, want the SQL API's 400 naming JOIN", err)
	}
}
