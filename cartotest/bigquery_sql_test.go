package cartotest

import (
	"regexp"
	"slices"
	"testing"
)

// bqQueryRegexp is the query shape bqParseQuery writes out.
var bqQueryRegexp = regexp.MustCompile("(?is)^\\s*select\\s+(.+?)\\s+from\\s+`?(?:[\\w-]+\\.){0,2}cities`?(?:\\s+limit\\s+(\\d+))?\\s*;?\\s*$")

// bqQuerySeeds are queries at the edges of the shape.
var bqQuerySeeds = []string{
	"SELECT * FROM cities", "select name, lat from `proj.ds.cities` limit 3;", "  Select\t*\nFROM\r\fcities  ; ",
	"SELECT * FROM cities ORDER BY name", "select * from a.b.c.cities", "select * from .cities", "select * from a..cities",
	"select   from cities", "select  from cities", "select * from from cities", "select from from cities",
	"select * from cities limit", "select * from cities limit 5 6", "select * from cities limit 05;;", "select * from cities limit ٣",
	"ſelect * from citieſ", "select * from \u212A.cities", "select * from ſ-x.cities", "select\v* from cities", "select * from cities\x00",
	"select \xff from cities", "select\xff from cities", "select * from `cities", "select * from cities`", "select * from ``cities",
	"select x from cities from cities", "select a from b from cities limit 2", "SELECT * FROM CITIES LIMIT 2", "select * fromcities",
	"select * from cities limit 2 ;  ", "select * from cities;limit 2", "select * from cities limit\t\n7", "selec * from cities", "",
	"select * from my-proj.my_ds.cities", "select * from cities.cities", "select * from x.cities.cities", "select ; from cities",
}

// TestBQParseQueryIsTheRegexp checks bqParseQuery against the regular expression it writes
// out, on queries at the edges of the shape.
func TestBQParseQueryIsTheRegexp(t *testing.T) {
	t.Parallel()
	for _, q := range bqQuerySeeds {
		checkBQParseQuery(t, q)
	}
}

// FuzzBQParseQuery checks bqParseQuery against the regular expression on any input.
func FuzzBQParseQuery(f *testing.F) {
	for _, q := range bqQuerySeeds {
		f.Add(q)
	}
	f.Fuzz(checkBQParseQuery)
}

func checkBQParseQuery(t *testing.T, q string) {
	t.Helper()
	list, limit, ok := bqParseQuery(q)
	var got []string
	if ok {
		got = []string{q, list, limit}
	}
	if want := bqQueryRegexp.FindStringSubmatch(q); !slices.Equal(got, want) {
		t.Errorf("bqParseQuery(%q) = %q, the regexp says %q", q, got, want)
	}
}
