package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// bigCities are the stand-in's cities over min people, the most populous first.
func bigCities(min int64) []cartotest.BigQueryCity {
	var out []cartotest.BigQueryCity
	for _, c := range cartotest.BigQueryCities() {
		if c.Population > min {
			out = append(out, c)
		}
	}
	for i := range out { // by population, descending
		for j := i + 1; j < len(out); j++ {
			if out[j].Population > out[i].Population {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// m2mCLI is a CLI environment at a stand-in, and an M2M credentials file of it.
func m2mCLI(t *testing.T) (*cliEnv, string) {
	t.Helper()
	_, e, creds := m2mStandIn(t)
	return e, creds
}

// m2mStandIn is a new stand-in, a CLI environment at it, and an M2M credentials file of it.
func m2mStandIn(t *testing.T) (*cartotest.Server, *cliEnv, string) {
	t.Helper()
	srv := newServer(t, cartotest.Config{})
	creds := filepath.Join(t.TempDir(), "m2m.json")
	if err := srv.WriteCredentialsFile(creds); err != nil {
		t.Fatal(err)
	}
	return srv, newCLIEnv(t, srv.URL), creds
}

// TestSQLPrintsTheAnswer: cartoauth sql against the stand-in, as a table, JSON and CSV, with
// a parameter whose value changes the rows.
func TestSQLPrintsTheAnswer(t *testing.T) {
	t.Parallel()
	e, creds := m2mCLI(t)
	const sql = "SELECT name, population FROM cities WHERE population > @min ORDER BY population DESC"
	for _, min := range []int64{5_000_000, 10_000_000} {
		want := bigCities(min)
		r := e.run(t, nil, "sql", "--m2m", creds, "--param", "min="+jsonInt(min), sql)
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if r.code != 0 || len(lines) != len(want)+1 || !strings.HasPrefix(lines[0], "name") {
			t.Fatalf("min %d: exit %d, %d lines, want %d rows:\n%s%s", min, r.code, len(lines), len(want), r.stdout, r.stderr)
		}
		for i, c := range want {
			if f := strings.Fields(lines[i+1]); f[len(f)-1] != jsonInt(c.Population) || !strings.HasPrefix(lines[i+1], c.Name) {
				t.Errorf("min %d, row %d: %q, want %s %d", min, i, lines[i+1], c.Name, c.Population)
			}
		}
	}

	r := e.run(t, nil, "sql", "--m2m", creds, "--json", "--param", "min=5000000", sql)
	var res struct {
		Schema []struct{ Name, Type string }
		Rows   []map[string]any
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); r.code != 0 || err != nil || len(res.Rows) != len(bigCities(5_000_000)) || len(res.Schema) != 2 {
		t.Errorf("--json: exit %d, %v:\n%s%s", r.code, err, r.stdout, r.stderr)
	}

	r = e.run(t, nil, "sql", "--m2m", creds, "--csv", "--param", "min=5000000", sql)
	records, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if r.code != 0 || err != nil || len(records) != len(bigCities(5_000_000))+1 || records[0][0] != "name" {
		t.Errorf("--csv: exit %d, %v:\n%s%s", r.code, err, r.stdout, r.stderr)
	}
}

// TestSQLErrors: a statement the API refuses is exit 1 on one line; a missing statement is a
// usage error; without a login, exit 3, no prompt.
func TestSQLErrors(t *testing.T) {
	t.Parallel()
	e, creds := m2mCLI(t)
	for _, c := range []struct {
		args []string
		code int
		has  string
	}{
		{[]string{"sql", "--m2m", creds, "DROP TABLE cities"}, 1, "sql endpoint answered 400"},
		{[]string{"sql", "--m2m", creds}, 2, "give the SQL statement"},
		{[]string{"sql", "--m2m", creds, "--json", "--csv", "SELECT 1"}, 2, "exclusive"},
		{[]string{"sql", "--m2m", creds, "--param", "1x=2", "SELECT 1"}, 2, "name=value"},
		{[]string{"sql", "SELECT 1"}, 3, "cartoauth login"},
	} {
		r := e.run(t, nil, c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.has) || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d saying %q", c.args, r.code, r.stdout, r.stderr, c.code, c.has)
		}
	}
}

// namesOf is the cities' names, sorted.
func namesOf(cities []cartotest.BigQueryCity) []string {
	var names []string
	for _, c := range cities {
		names = append(names, c.Name)
	}
	slices.Sort(names)
	return names
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
