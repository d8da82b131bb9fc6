package notebooks_test

// cartomap's page outside Jupyter: the fastest check that the libraries, the stand-in's Maps
// API and the loader draw a map, and that a tampered library is refused.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/cartomap"
	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// mapCitiesSQL is the query of the quickstart's map: the cities above @min.
const mapCitiesSQL = "SELECT name, population, geom FROM cities WHERE population > @min"

// pagePoints are lon/lat of the stand-in's cities with more than min people, and their names.
func citiesAbove(min int64) (names []string, pts [][2]float64) {
	for _, c := range cartotest.BigQueryCities() {
		if c.Population > min {
			names = append(names, c.Name)
			pts = append(pts, [2]float64{c.Lon, c.Lat})
		}
	}
	return names, pts
}

// m2mAuth logs in by M2M at srv (no cache folder of the user's).
func m2mAuth(t *testing.T, srv *cartotest.Server) *carto.Auth {
	t.Helper()
	creds := filepath.Join(t.TempDir(), "m2m.json")
	mustOK(t, srv.WriteCredentialsFile(creds))
	a, err := carto.FromM2M(context.Background(), creds, &carto.M2MOptions{Common: carto.Common{AuthServer: srv.URL, CacheDir: t.TempDir()}})
	mustOK(t, err)
	return a
}

// servePage serves one HTML page and returns its URL.
func servePage(t *testing.T, body string) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!doctype html><html><body>"+body+"</body></html>")
	}))
	t.Cleanup(s.Close)
	return s.URL
}

// TestMapPageDrawsQuery: a query map with a parameter draws each city above @min where it is,
// and none below.
func TestMapPageDrawsQuery(t *testing.T) {
	srv := standin(t, cartotest.Config{})
	libs := strings.TrimPrefix(serveMapLibs(t, srv), cartomap.EnvLibraryURL+"=")
	a := m2mAuth(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	page, err := cartomap.HTML(ctx, a, cartomap.Query(cartotest.SQLConnection, mapCitiesSQL, map[string]any{"min": quickstartMin}),
		&cartomap.Options{LibraryURL: libs, Tooltip: []string{"name"}, Color: cartomap.ColorBins("population", []float64{1e7, 2e7}, "")})
	mustOK(t, err)
	b := launchWebGL(t)
	p := b.Rod.MustPage(servePage(t, page))
	el, err := p.Context(ctx).Element(".cartomap")
	mustOK(t, err)
	st, err := waitMap(ctx, el)
	mustOK(t, err)
	art := testenv.Artifacts(t)
	_ = os.WriteFile(filepath.Join(art, "page.png"), p.MustScreenshot(), 0o644)
	if st.State != "drawn" {
		t.Fatalf("map: %+v", st)
	}
	names, pts := citiesAbove(quickstartMin)
	got, err := pickAt(ctx, el, "name", pts)
	mustOK(t, err)
	for i := range names {
		if got[i] != names[i] {
			t.Errorf("at %v: picked %q, want %s", pts[i], got[i], names[i])
		}
	}
	t.Logf("drawn in %d ms after the loader started; picked %v", st.Drawn, got)
}

// TestMapPageSaysRerunWhenTokenRefused: once the stand-in no longer accepts the map's token
// (expired), the saved page does not stay blank: it says the token was refused and to re-run
// the cell.
func TestMapPageSaysRerunWhenTokenRefused(t *testing.T) {
	srv := standin(t, cartotest.Config{})
	libs := strings.TrimPrefix(serveMapLibs(t, srv), cartomap.EnvLibraryURL+"=")
	a := m2mAuth(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	page, err := cartomap.HTML(ctx, a, cartomap.Table(cartotest.SQLConnection, "features"), &cartomap.Options{LibraryURL: libs, Basemap: "none"})
	mustOK(t, err)
	srv.ExpireAPITokens()
	b := launchWebGL(t)
	p := b.Rod.MustPage(servePage(t, page))
	el, err := p.Context(ctx).Element(".cartomap")
	mustOK(t, err)
	st, err := waitMap(ctx, el)
	mustOK(t, err)
	_ = os.WriteFile(filepath.Join(testenv.Artifacts(t), "refused.png"), p.MustScreenshot(), 0o644)
	if st.State != "error" || !strings.Contains(st.Status, "refused this map's token (HTTP 401)") || !strings.Contains(st.Status, "Re-run the cell") {
		t.Errorf("a refused token: the map is %q: %q", st.State, st.Status)
	}
}

// TestMapPageFallbackWithoutScripts: where scripts do not run (an untrusted notebook, an
// export), the map's place says what it is and how to see it.
func TestMapPageFallbackWithoutScripts(t *testing.T) {
	pts := []cartomap.Point{{Lon: 2.35, Lat: 48.85, Properties: map[string]any{"name": "Paris"}}}
	page, err := cartomap.HTML(context.Background(), nil, cartomap.Points(pts), &cartomap.Options{LibraryURL: "http://127.0.0.1:9/"})
	mustOK(t, err)
	b := launchWebGL(t)
	p := b.Rod.MustPage("")
	mustOK(t, proto.EmulationSetScriptExecutionDisabled{Value: true}.Call(p))
	mustOK(t, p.Navigate(servePage(t, page)))
	mustOK(t, p.WaitLoad())
	text := p.MustElement(".cartomap").MustText()
	if !strings.Contains(text, "An interactive map of 1 local features is here") || !strings.Contains(text, "trust the notebook") {
		t.Errorf("without scripts the map reads %q", text)
	}
}

// TestMapPageSaysRerunAfterExpiry: a saved map opened after its token's expiry (here, its page
// with the expiry moved into the past) says so and to re-run the cell, before asking CARTO.
func TestMapPageSaysRerunAfterExpiry(t *testing.T) {
	srv := standin(t, cartotest.Config{})
	libs := strings.TrimPrefix(serveMapLibs(t, srv), cartomap.EnvLibraryURL+"=")
	a := m2mAuth(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	page, err := cartomap.HTML(ctx, a, cartomap.Table(cartotest.SQLConnection, "regions"), &cartomap.Options{LibraryURL: libs})
	mustOK(t, err)
	old := regexp.MustCompile(`"expiresAt":[0-9]+`)
	if !old.MatchString(page) {
		t.Fatal("the page carries no expiry")
	}
	maps := srv.Count(cartotest.EndpointMaps)
	page = old.ReplaceAllString(page, `"expiresAt":1000`)
	b := launchWebGL(t)
	p := b.Rod.MustPage(servePage(t, page))
	el, err := p.Context(ctx).Element(".cartomap")
	mustOK(t, err)
	st, err := waitMap(ctx, el)
	mustOK(t, err)
	if st.State != "error" || !strings.Contains(st.Status, "token expired at 1970") || !strings.Contains(st.Status, "re-run the cell") {
		t.Errorf("an expired token: the map is %q: %q", st.State, st.Status)
	}
	if n := srv.Count(cartotest.EndpointMaps) - maps; n != 0 {
		t.Errorf("%d Maps API requests with an expired token", n)
	}
}
