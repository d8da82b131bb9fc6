package notebooks_test

// The quickstart's query cell (auth.Query with a named parameter, gonbauth.ShowQuery) as the
// kernel and the browser see it, and TestUIQueryShowsMarkupAsText: values and column names
// that are HTML show as text in JupyterLab and Notebook 7 and run nothing.

import (
	"context"
	"encoding/json"
	"html"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/kernel"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// quickstartMin is the quickstart query's @min: cities with more people than this.
const quickstartMin = 5_000_000

// quickstartHeaders are the columns the quickstart's query selects.
var quickstartHeaders = []string{"name", "country", "population"}

// quickstartRows are the rows the quickstart's query must show, as text, in its order (most
// people first): the stand-in's cities with more than quickstartMin people.
func quickstartRows() [][]string {
	cities := cartotest.BigQueryCities()
	sort.SliceStable(cities, func(i, j int) bool { return cities[i].Population > cities[j].Population })
	var rows [][]string
	for _, c := range cities {
		if c.Population > quickstartMin {
			rows = append(rows, []string{c.Name, c.Country, strconv.FormatInt(c.Population, 10)})
		}
	}
	return rows
}

// smallCities are the stand-in's cities the parameter must leave out (Madrid): their absence
// shows @min reached the SQL API.
func smallCities() []string {
	var out []string
	for _, c := range cartotest.BigQueryCities() {
		if c.Population <= quickstartMin {
			out = append(out, c.Name)
		}
	}
	return out
}

// checkQuickstartTable checks a table's column names and rows (as text) against the quickstart
// query's.
func checkQuickstartTable(t *testing.T, where string, headers []string, rows [][]string) {
	t.Helper()
	want := quickstartRows()
	if len(want) == 0 || len(smallCities()) == 0 {
		t.Fatalf("the stand-in's cities do not test the parameter: %d above %d, %d below", len(want), quickstartMin, len(smallCities()))
	}
	if !slices.Equal(headers, quickstartHeaders) {
		t.Errorf("%s: columns %q, want %q", where, headers, quickstartHeaders)
	}
	if !slices.EqualFunc(rows, want, slices.Equal[[]string]) {
		t.Errorf("%s: rows\n%q\nwant (population > %d, most first)\n%q", where, rows, quickstartMin, want)
	}
	for _, small := range smallCities() {
		for _, r := range rows {
			if slices.Contains(r, small) {
				t.Errorf("%s: %s is shown though it has fewer than %d people: the parameter did not reach the query", where, small, quickstartMin)
			}
		}
	}
}

var (
	tableRowRE  = regexp.MustCompile(`(?s)<tr>(.*?)</tr>`)
	tableCellRE = regexp.MustCompile(`(?s)<t([hd])(?:\s[^>]*)?>(.*?)</t[hd]>`)
)

// htmlTable reads the column names and rows of the first carto-auth-table in s (ShowQuery's
// HTML), each as the text a browser shows; ok is false when s has none. It reads cells by
// their text, whatever attributes they carry.
func htmlTable(s string) (headers []string, rows [][]string, ok bool) {
	i := strings.Index(s, `<div class="carto-auth-table"`)
	if i < 0 {
		return nil, nil, false
	}
	s = s[i:]
	if j := strings.Index(s, "</table>"); j >= 0 {
		s = s[:j]
	}
	for _, tr := range tableRowRE.FindAllStringSubmatch(s, -1) {
		var cells []string
		head := false
		for _, c := range tableCellRE.FindAllStringSubmatch(tr[1], -1) {
			head = c[1] == "h"
			cells = append(cells, html.UnescapeString(c[2]))
		}
		if head {
			headers = cells
		} else {
			rows = append(rows, cells)
		}
	}
	return headers, rows, true
}

// resultTable returns the carto-auth-table among a cell's display_data outputs.
func resultTable(res *kernel.Result) (headers []string, rows [][]string, ok bool) {
	for _, o := range res.OfType("display_data") {
		if h, r, found := htmlTable(o.HTML); found {
			headers, rows, ok = h, r, true
		}
	}
	return headers, rows, ok
}

// browserTable reads the carto-auth-table in cell i's outputs as the page shows it: each
// header's and cell's textContent.
func browserTable(ctx context.Context, nb *browser.Notebook, i int) (headers []string, rows [][]string, err error) {
	el, err := nb.Element(ctx, i, ".carto-auth-table")
	if err != nil {
		return nil, nil, err
	}
	r, err := el.Eval(`function() { const text = (e) => e.textContent;
		return JSON.stringify({h: [...this.querySelectorAll('thead th')].map(text),
			r: [...this.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map(text))}) }`)
	if err != nil {
		return nil, nil, err
	}
	var t struct {
		H []string
		R [][]string
	}
	if err := json.Unmarshal([]byte(r.Value.Str()), &t); err != nil {
		return nil, nil, err
	}
	return t.H, t.R, nil
}

// payloadCountry is the country of the stand-in's row whose name is markup
// (cartotest.PayloadName).
const payloadCountry = "Nowhere"

// payloadCell runs the stand-in's query for its markup row and shows it as the quickstart shows
// its table.
const payloadCell = `import (
	"context"
	"fmt"

	"github.com/carto-go/carto-auth/gonbauth"
)

%%
ctx := context.Background()
auth, err := gonbauth.Login(ctx, &gonbauth.OAuthOptions{DisableInteraction: true})
if err != nil {
	fmt.Println("Not logged in:", err)
	return
}
res, err := auth.Query(ctx, "carto_dw", "SELECT * FROM cities WHERE country = @c",
	&gonbauth.QueryOptions{Params: map[string]any{"c": "` + payloadCountry + `"}})
if err != nil {
	fmt.Println("Query failed:", err)
	return
}
fmt.Println("rows:", len(res.Rows))
gonbauth.ShowQuery(res, 0)
`

// controlCell shows the same kind of markup unescaped: JupyterLab runs it (the onerror
// handler sets window.__cartoControl), so the page would have run the payload had ShowQuery
// not escaped it.
const controlCell = `import "github.com/carto-go/carto-auth/display"

%%
display.HTML("<img class=\"carto-control\" src=x onerror=\"window.__cartoControl='ran'\">")
`

// TestUIQueryShowsMarkupAsText: in JupyterLab (lab) and Notebook 7 (notebook7), quickstart.ipynb logs in (M2M credentials in
// the kernel's environment: no card) and runs its query cell; then a cell added on the page
// queries the stand-in's row whose name is markup, in a column whose name is markup, and shows
// it with gonbauth.ShowQuery. The page shows both as text: the markup is in the cells'
// textContent, no img with the payload's onerror exists, and the payload never ran
// (window.__cartoPayload is undefined). A last cell shows the same kind of markup unescaped and
// it does run: the page would have run the payload.
func TestUIQueryShowsMarkupAsText(t *testing.T) { forLabFamily(t, queryShowsMarkupAsText) }

func queryShowsMarkupAsText(t *testing.T, ui uiKind) {
	srv := standin(t, cartotest.Config{})
	creds := filepath.Join(t.TempDir(), "m2m.json")
	mustOK(t, srv.WriteCredentialsFile(creds))
	f := newUIFixtureEnv(t, srv, ui, "CARTO_CREDENTIALS_FILE="+creds)
	art := testenv.Artifacts(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	nb := f.open(t, "quickstart.ipynb")
	start := time.Now()

	nextCellRuns(ctx, t, nb, qsLogin, "Logged in: m2m login to "+srv.URL, art)
	nextCellRuns(ctx, t, nb, qsQuery, "rows from "+srv.URL, art)
	headers, rows, err := browserTable(ctx, nb, qsQuery)
	mustOK(t, err)
	checkQuickstartTable(t, "the quickstart's table", headers, rows)
	t.Logf("quickstart's login and query cells ran in %v", time.Since(start).Round(time.Millisecond))

	cell, err := nb.AddCell(ctx, payloadCell)
	mustOK(t, err)
	nextCellRuns(ctx, t, nb, cell, "rows: 1", art)
	mustOK(t, nb.WaitAllDone(ctx))
	time.Sleep(time.Second) // an image that fails to load fires onerror by now, if it is there
	headers, rows, err = browserTable(ctx, nb, cell)
	mustOK(t, err)
	if !slices.Contains(headers, cartotest.PayloadColumn) {
		t.Errorf("no column header reads %q as text: headers %q", cartotest.PayloadColumn, headers)
	}
	if i := slices.Index(headers, cartotest.PayloadColumn); len(rows) != 1 || len(rows[0]) != len(headers) ||
		!slices.Contains(rows[0], cartotest.PayloadName) || !slices.Contains(rows[0], payloadCountry) ||
		i < 0 || rows[0][i] != cartotest.PayloadNote {
		t.Errorf("want one row whose name reads %q as text and %q under the markup column: %q", cartotest.PayloadName, cartotest.PayloadNote, rows)
	}
	text, err := nb.Element(ctx, cell, ".carto-auth-table")
	mustOK(t, err)
	tc, err := text.Eval(`function() { return this.textContent }`)
	mustOK(t, err)
	if s := tc.Value.Str(); strings.Count(s, `<img src=x onerror=`) != 2 || !strings.Contains(s, "<script>") {
		t.Errorf("the table's text lacks the markup (want the row's and the column's <img src=x onerror=, and <script>): %q", s)
	}
	r, err := nb.Page.Context(ctx).Eval(`() => JSON.stringify({
		payload: typeof window.__cartoPayload,
		imgs: [...document.querySelectorAll('img')].filter(e => (e.getAttribute('onerror') || '').includes('__cartoPayload')).length,
		scripts: [...document.querySelectorAll('script')].filter(e => e.textContent.includes('__cartoPayload')).length,
		tableImgs: [...document.querySelectorAll('.carto-auth-table img, .carto-auth-table script')].length})`)
	mustOK(t, err)
	var page struct {
		Payload                  string
		Imgs, Scripts, TableImgs int
	}
	mustOK(t, json.Unmarshal([]byte(r.Value.Str()), &page))
	if page.Payload != "undefined" {
		t.Errorf("window.__cartoPayload is %s: the markup ran", page.Payload)
	}
	if page.Imgs != 0 || page.Scripts != 0 || page.TableImgs != 0 {
		t.Errorf("the page has %d img with the payload's onerror, %d script with it, %d img or script in a table",
			page.Imgs, page.Scripts, page.TableImgs)
	}
	mustOK(t, nb.Screenshot(ctx, cell, "", filepath.Join(art, "markup-cell.png")))
	mustOK(t, nb.PageScreenshot(ctx, filepath.Join(art, string(ui)+"-markup.png")))

	// The control: the same markup unescaped runs in this page.
	ctl, err := nb.AddCell(ctx, controlCell)
	mustOK(t, err)
	mustOK(t, nb.RunCell(ctx, ctl))
	if _, err := nb.Element(ctx, ctl, "img.carto-control"); err != nil {
		t.Fatalf("the control cell showed no image: %v", err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if _, err := nb.Page.Context(wctx).Eval(`() => new Promise(ok => { const f = () =>
		window.__cartoControl === 'ran' ? ok(true) : setTimeout(f, 50); f() })`); err != nil {
		t.Errorf("unescaped markup did not run in this %s (window.__cartoControl never set): the check above proves nothing: %v", nb.UI(), err)
	}
	if s, _ := nb.Page.Eval(`() => typeof window.__cartoPayload`); s != nil && s.Value.Str() != "undefined" {
		t.Errorf("window.__cartoPayload is %s after the control ran", s.Value.Str())
	}
	t.Logf("%s: markup shown as text; the control ran; %v in all", nb.UI(), time.Since(start).Round(time.Millisecond))
}
