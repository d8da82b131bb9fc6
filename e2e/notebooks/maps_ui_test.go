package notebooks_test

// cartomap in JupyterLab 4.6 and the classic Notebook 6.4, in headless Chromium drawing WebGL in
// software: maps.ipynb's three maps (a query coloured by a column, a table of lines and
// polygons, local rows) and the quickstart's map draw; each city is found where it is drawn;
// the stand-in's markup row shows as text and runs nothing; a mirror serving a tampered
// library makes the map refuse; the saved notebook and its HTML export carry no login token,
// and every token-like string in them opens nothing else.

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod/lib/proto"

	"github.com/carto-go/carto-auth/cartomap"
	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// mapUIs are the UIs the map tests run in.
var mapUIs = []uiKind{uiLab, uiClassic}

// forMapUIs runs test once per UI of mapUIs, as subtests named after the UI.
func forMapUIs(t *testing.T, test func(t *testing.T, ui uiKind)) {
	for _, ui := range mapUIs {
		t.Run(string(ui), func(t *testing.T) { test(t, ui) })
	}
}

// newMapFixture is a Jupyter server in ui on a copy of notebooks/, its kernel logged in by M2M
// at a stand-in that serves the map libraries, and a Chromium that draws WebGL.
func newMapFixture(t *testing.T, ui uiKind) *browserFixture {
	t.Helper()
	srv := standin(t, cartotest.Config{})
	libs := serveMapLibs(t, srv)
	creds := filepath.Join(t.TempDir(), "m2m.json")
	mustOK(t, srv.WriteCredentialsFile(creds))
	f := &browserFixture{srv: srv, cache: t.TempDir(), ui: ui, dir: t.TempDir()}
	src := filepath.Join(testenv.RepoRoot(t), "notebooks")
	for _, name := range []string{"quickstart.ipynb", "maps.ipynb"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		mustOK(t, err)
		mustOK(t, os.WriteFile(filepath.Join(f.dir, name), b, 0o644))
	}
	opts := browser.ServerOptions{NotebookDir: f.dir, Env: cellEnv(srv, f.cache, "CARTO_CREDENTIALS_FILE="+creds, libs)}
	if ui == uiLab {
		f.js = browser.StartLabT(t, opts)
	} else {
		f.js = browser.StartServerT(t, opts)
	}
	f.b = launchWebGL(t)
	return f
}

// Cell indexes of maps.ipynb in the browser (markdown cells count).
const (
	mapsLogin = 1
	mapsQuery = 3
	mapsTable = 5
	mapsLocal = 7
)

// waitDrawn waits for the map in cell i to be drawn (its tile layer's viewport loaded, then a
// frame) and returns it; a map that says what failed fails the test.
func waitDrawn(ctx context.Context, t *testing.T, nb *browser.Notebook, i int, art, name string) (*mapElement, mapState) {
	t.Helper()
	el, err := nb.Element(ctx, i, ".cartomap")
	mustOK(t, err)
	st, err := waitMap(ctx, el)
	_ = nb.Screenshot(ctx, i, ".cartomap", filepath.Join(art, name+".png"))
	mustOK(t, err)
	if st.State != "drawn" {
		t.Fatalf("cell %d: the map did not draw: %+v", i, st)
	}
	return &mapElement{el}, st
}

// checkPicks checks that the feature picked at each point has the wanted column value.
func checkPicks(ctx context.Context, t *testing.T, m *mapElement, what, column string, pts [][2]float64, want []string) {
	t.Helper()
	got, err := pickAt(ctx, m.el, column, pts)
	mustOK(t, err)
	if !slices.Equal(got, want) {
		t.Errorf("%s: picked %q at %v, want %q", what, got, pts, want)
	}
}

// TestMapsNotebook runs maps.ipynb: its three maps draw in one page (the libraries loaded
// once), the query map's cities are where they are drawn and its legend reads the bins, the
// table map's polygons (a hole included) and the local rows draw; then a cell maps the stand-in's markup
// row, which shows as text in the tooltip and runs nothing. The saved notebook and its HTML
// export carry no login token, and their map tokens open nothing else.
func TestMapsNotebook(t *testing.T) { forMapUIs(t, mapsNotebook) }

func mapsNotebook(t *testing.T, ui uiKind) {
	f := newMapFixture(t, ui)
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	nb := f.open(t, "maps.ipynb")
	nextCellRuns(ctx, t, nb, mapsLogin, "Logged in: m2m login to "+f.srv.URL, art)

	start := time.Now()
	nextCellRuns(ctx, t, nb, mapsQuery, "Query map drawn", art)
	q, st := waitDrawn(ctx, t, nb, mapsQuery, art, "query-map")
	t.Logf("%s: query map: run → first frame with data %v (cold page: libraries loaded); loader → drawn %d ms",
		nb.UI(), time.Since(start).Round(time.Millisecond), st.Drawn)
	names, pts := citiesAbove(1_000_000)
	checkPicks(ctx, t, q, "query map", "name", pts, names)
	for _, want := range []string{"population", "< 5000000", "5000000 – 15000000", "≥ 15000000"} {
		if !strings.Contains(st.Legend, want) {
			t.Errorf("the legend %q lacks %q", st.Legend, want)
		}
	}

	start = time.Now()
	nextCellRuns(ctx, t, nb, mapsTable, "Table map drawn", art)
	tm, st := waitDrawn(ctx, t, nb, mapsTable, art, "table-map")
	t.Logf("%s: table map: run → first frame with data %v (warm page); loader → drawn %d ms", nb.UI(), time.Since(start).Round(time.Millisecond), st.Drawn)
	checkPicks(ctx, t, tm, "table map", "name", [][2]float64{{-4.5, 40}, {150.95, -33.85}}, []string{"Iberia", "Sydney Basin"})
	// Manhattan's hole is Central Park: zoomed in, the park is no part of the region.
	mustOK(t, zoomTo(ctx, tm.el, -73.97, 40.76, 12))
	checkPicks(ctx, t, tm, "table map, zoomed in", "name", [][2]float64{{-73.99, 40.74}, {-73.9655, 40.7825}}, []string{"Manhattan", ""})
	mustOK(t, nb.Screenshot(ctx, mapsTable, ".cartomap", filepath.Join(art, "table-map-manhattan.png")))
	if !strings.Contains(st.Legend, "area_km2") || !strings.Contains(st.Legend, "600000") {
		t.Errorf("the table map's legend %q", st.Legend)
	}

	// The second map reused the libraries the first loaded: one script element each.
	r, err := nb.Page.Context(ctx).Eval(`(paths) => JSON.stringify(paths.map(p => document.querySelectorAll('script[src$="/' + p + '"]').length))`,
		[]string{cartomap.Libraries[0].URLPath(), cartomap.Libraries[1].URLPath()})
	mustOK(t, err)
	if s := r.Value.Str(); s != "[1,1]" {
		t.Errorf("after two maps the page has %s script elements of deck.gl and @deck.gl/carto, want one each", s)
	}

	nextCellRuns(ctx, t, nb, mapsLocal, "Local map of", art)
	lm, _ := waitDrawn(ctx, t, nb, mapsLocal, art, "local-map")
	checkPicks(ctx, t, lm, "local map", "name", pts, names)

	// The markup row, in a map's tooltip.
	cell, err := nb.AddCell(ctx, payloadMapCell)
	mustOK(t, err)
	nextCellRuns(ctx, t, nb, cell, "Payload map drawn", art)
	pm, _ := waitDrawn(ctx, t, nb, cell, art, "payload-map")
	checkPicks(ctx, t, pm, "payload map", "name", [][2]float64{{0, 0}}, []string{cartotest.PayloadName})
	tip := hoverTooltip(ctx, t, nb, pm, [2]float64{0, 0})
	if !strings.Contains(tip, cartotest.PayloadName) {
		t.Errorf("the tooltip reads %q, want the markup %q as text", tip, cartotest.PayloadName)
	}
	mustOK(t, nb.Screenshot(ctx, cell, ".cartomap", filepath.Join(art, "payload-tooltip.png")))
	r, err = nb.Page.Context(ctx).Eval(`() => JSON.stringify([typeof window.__cartoPayload,
		[...document.querySelectorAll('.cartomap img, .deck-tooltip img, .cartomap script:not([type])')].length - document.querySelectorAll('.cartomap').length])`)
	mustOK(t, err)
	if s := r.Value.Str(); s != `["undefined",0]` {
		t.Errorf("the markup ran or became elements: [typeof __cartoPayload, stray img/script] = %s", s)
	}
	mustOK(t, nb.PageScreenshot(ctx, filepath.Join(art, "maps-page.png")))

	// Save, then read what the notebook and its HTML export hold.
	saved := saveNotebook(ctx, t, nb, ui, filepath.Join(f.dir, "maps.ipynb"))
	outputs := savedHTML(t, saved)
	if n := len(mapConfigs(t, outputs)); n != 4 {
		t.Errorf("the saved notebook holds %d maps, want 4", n)
	}
	for _, c := range mapConfigs(t, outputs) {
		switch c.Kind {
		case "query":
			checkMapToken(t, f.srv, c, c.SQL)
		case "table":
			checkMapToken(t, f.srv, c, c.Table)
		}
	}
	logins := tokenSecrets(t, f.cache, nil)
	checkSavedTokens(t, f.srv, "the saved maps.ipynb", saved, logins)
	checkSavedTokens(t, f.srv, "its nbconvert HTML export", nbconvertHTML(t, f.dir, "maps.ipynb"), logins)
	t.Logf("%s: maps.ipynb saved: %d bytes", nb.UI(), len(saved))
}

// payloadMapCell maps the stand-in's row whose name is markup, with the name in the tooltip.
const payloadMapCell = `import (
	"context"
	"fmt"

	"github.com/carto-go/carto-auth/cartomap"
	"github.com/carto-go/carto-auth/gonbauth"
)

%%
ctx := context.Background()
auth, err := gonbauth.Login(ctx, &gonbauth.OAuthOptions{DisableInteraction: true})
if err != nil {
	fmt.Println("Not logged in:", err)
	return
}
src := cartomap.Query("carto_dw", "SELECT name, country, geom FROM cities WHERE country = @c", map[string]any{"c": "` + payloadCountry + `"})
if err := cartomap.Show(ctx, auth, src, &cartomap.Options{Tooltip: []string{"name"}, Basemap: "none"}); err != nil {
	fmt.Println("Map failed:", err)
	return
}
fmt.Println("Payload map drawn")
`

// mapElement is a drawn map in the page.
type mapElement struct{ el *rodElement }

// hoverTooltip moves the mouse over lon/lat in the map and returns deck.gl's tooltip text.
func hoverTooltip(ctx context.Context, t *testing.T, nb *browser.Notebook, m *mapElement, p [2]float64) string {
	t.Helper()
	r, err := m.el.Context(ctx).Eval(`function(lon, lat) { this.scrollIntoView({block: 'center'});
		const [x, y] = this.cartomapDeck.getViewports()[0].project([lon, lat]);
		const b = this.querySelector('.cartomap-box').getBoundingClientRect();
		return JSON.stringify([b.left + x, b.top + y]) }`, p[0], p[1])
	mustOK(t, err)
	var xy [2]float64
	mustOK(t, jsonUnmarshal(r.Value.Str(), &xy))
	mouse := nb.Page.Context(ctx).Mouse
	mustOK(t, mouse.MoveTo(proto.Point{X: xy[0] - 3, Y: xy[1] - 3}))
	mustOK(t, mouse.MoveTo(proto.Point{X: xy[0], Y: xy[1]}))
	for i := 0; i < 50; i++ {
		r, err := m.el.Context(ctx).Eval(`function() { const e = this.querySelector('.deck-tooltip');
			return e && e.style.display !== 'none' ? e.textContent : '' }`)
		mustOK(t, err)
		if s := r.Value.Str(); s != "" {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ""
}

// saveNotebook saves the notebook from the page and returns the file's text.
func saveNotebook(ctx context.Context, t *testing.T, nb *browser.Notebook, ui uiKind, path string) string {
	t.Helper()
	before, _ := os.Stat(path)
	js := `() => Jupyter.notebook.save_notebook()`
	if ui != uiClassic {
		js = `() => window.jupyterapp.commands.execute('docmanager:save')`
	}
	_, err := nb.Page.Context(ctx).Eval(js)
	mustOK(t, err)
	for i := 0; i < 100; i++ {
		if st, err := os.Stat(path); err == nil && (before == nil || st.ModTime() != before.ModTime() || st.Size() != before.Size()) {
			time.Sleep(300 * time.Millisecond) // the write may still be under way
			b, err := os.ReadFile(path)
			mustOK(t, err)
			if strings.Contains(string(b), "cartomap") {
				return string(b)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s was not saved with its outputs", path)
	return ""
}

// nbconvertHTML exports a saved notebook of dir to HTML with jupyter nbconvert and returns it.
func nbconvertHTML(t *testing.T, dir, name string) string {
	t.Helper()
	bin := testenv.Command(t, "jupyter-nbconvert", "apt jupyter-nbconvert")
	run := runJupyterTool(t, dir, t.TempDir(), nil, bin, "--to", "html", "--output", "export", name)
	mustOK(t, run.err)
	b, err := os.ReadFile(filepath.Join(dir, "export.html"))
	mustOK(t, err)
	return string(b)
}

// TestMapsQuickstartAndTamper: in a fresh page, a map whose libraries come from a mirror serving
// a tampered deck.gl refuses to draw and says so (the browser enforces the integrity hash on the
// scripts the loader inserts, in the classic Notebook too); then the quickstart's own map draws
// its cities above @min where they are, with the scoped token's line under it.
func TestMapsQuickstartAndTamper(t *testing.T) { forMapUIs(t, mapsQuickstartAndTamper) }

func mapsQuickstartAndTamper(t *testing.T, ui uiKind) {
	f := newMapFixture(t, ui)
	art := testenv.Artifacts(t)
	mirror := tamperedMirror(t, mapLibsDir(t))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	nb := f.open(t, "quickstart.ipynb")
	nextCellRuns(ctx, t, nb, qsLogin, "Logged in: m2m login to "+f.srv.URL, art)

	cell, err := nb.AddCell(ctx, strings.Replace(payloadMapCell, `Basemap: "none"`, `Basemap: "none", LibraryURL: "`+mirror+`"`, 1))
	mustOK(t, err)
	nextCellRuns(ctx, t, nb, cell, "Payload map drawn", art)
	el, err := nb.Element(ctx, cell, ".cartomap")
	mustOK(t, err)
	st, err := waitMap(ctx, el)
	mustOK(t, err)
	mustOK(t, nb.Screenshot(ctx, cell, ".cartomap", filepath.Join(art, "tampered.png")))
	if st.State != "error" || !strings.Contains(st.Status, "does not match its pinned integrity hash") || !strings.Contains(st.Status, "deck.gl") {
		t.Errorf("a tampered deck.gl: the map is %q: %q; want it refused, saying so", st.State, st.Status)
	}
	if r, _ := nb.Page.Eval(`() => typeof window.__cartomapTampered`); r == nil || r.Value.Str() != "undefined" {
		t.Errorf("the tampered library ran")
	}

	start := time.Now()
	nextCellRuns(ctx, t, nb, qsQuery+2, "Map of the cities", art)
	m, st := waitDrawn(ctx, t, nb, qsQuery+2, art, "quickstart-map")
	t.Logf("%s: quickstart map: run → first frame with data %v; loader → drawn %d ms", nb.UI(), time.Since(start).Round(time.Millisecond), st.Drawn)
	names, pts := citiesAbove(quickstartMin)
	checkPicks(ctx, t, m, "quickstart map", "name", pts, names)
	small, spts := citiesBelow(quickstartMin)
	got, err := pickAt(ctx, m.el, "name", spts)
	mustOK(t, err)
	for i, g := range got {
		if g == small[i] {
			t.Errorf("%s is drawn though it has fewer than %d people", small[i], quickstartMin)
		}
	}
	if !strings.Contains(st.Note, "scoped token for query SELECT name, population, geom FROM cities") {
		t.Errorf("the map's token line %q", st.Note)
	}
	mustOK(t, nb.PageScreenshot(ctx, filepath.Join(art, "quickstart-page.png")))
}

// citiesBelow are the stand-in's cities with at most min people, and where they are.
func citiesBelow(min int64) (names []string, pts [][2]float64) {
	for _, c := range cartotest.BigQueryCities() {
		if c.Population <= min {
			names = append(names, c.Name)
			pts = append(pts, [2]float64{c.Lon, c.Lat})
		}
	}
	return names, pts
}

// tamperedMirror serves the pinned libraries as a CDN would, but deck.gl with one more line
// (which would set window.__cartomapTampered), and returns its base URL.
func tamperedMirror(t *testing.T, dir string) string {
	t.Helper()
	good := cartomap.LibraryHandler(dir)
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.TrimPrefix(r.URL.Path, "/") == cartomap.Libraries[0].URLPath() {
			b, err := os.ReadFile(filepath.Join(dir, "deck.gl", cartomap.Libraries[0].Path))
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Content-Type", "text/javascript")
			fmt.Fprintf(w, "%s\nwindow.__cartomapTampered = true;\n", b)
			return
		}
		good.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s.URL + "/"
}
