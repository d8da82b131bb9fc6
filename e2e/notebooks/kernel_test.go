package notebooks_test

// The example notebooks through a real GoNB kernel (package kernel, Jupyter protocol over
// ZeroMQ), each against a fresh cartotest stand-in. Input boxes are answered as a person
// would: the login link is read from the card, the stand-in plays the login page, and the
// code it hands out is typed into the box.

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/kernel"
	"github.com/carto-go/carto-auth/e2e/logincard"
)

// cellTimeout bounds one cell: compiling a cell that imports gonbauth takes seconds warm, a
// cold build cache (CI) much longer.
const cellTimeout = 4 * time.Minute

// cachedLoginCell is a new cell that logs in again: it must get the cached login.
const cachedLoginCell = `import (
	"context"
	"fmt"

	"github.com/carto-go/carto-auth/gonbauth"
)

%%
ctx := context.Background()
auth, err := gonbauth.FromOAuth(ctx, nil)
if err != nil {
	fmt.Println("Login failed:", err)
	return
}
tok, err := auth.AccessToken(ctx)
if err != nil {
	fmt.Println("No token:", err)
	return
}
fmt.Println("cached login via", auth.Info().Flow, "token", len(tok) > 0)
`

// TestQuickstart runs quickstart.ipynb cell by cell, answering the login box with the code the
// stand-in issued; then a new cell and a new kernel get the login from the cache.
func TestQuickstart(t *testing.T) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	srv := standin(t, cartotest.Config{})
	cache := t.TempDir()
	env := cellEnv(srv, cache)
	s := &session{t: t, k: startKernel(t, env)}
	cells := codeCells(t, "quickstart.ipynb")
	if len(cells) != 3 {
		t.Fatalf("quickstart has %d code cells, want 3 (login, query, map)", len(cells))
	}

	// The login cell.
	a := &loginAnswer{srv: srv}
	res := s.run("login", cells[0], cellTimeout, a.answer)
	reqs := inputRequests(res)
	if len(reqs) != 1 || !reqs[0].Password {
		t.Errorf("want one password input box, got %+v", reqs)
	}
	cs := logincard.All(res)
	if len(cs) == 0 {
		t.Fatalf("no login card:\n%s", brief(res))
	}
	first, final := cs[0], cs[len(cs)-1]
	checkAuthURL(t, srv, logincard.Link(first), srv.CodePageURL())
	checkQR(t, logincard.QR(first))
	if st := logincard.State(first); st != "waiting" {
		t.Errorf("first card state %q, want waiting", st)
	}
	if p := logincard.Probe(first); !strings.HasPrefix(p, fmt.Sprintf("http://localhost:%d/probe?n=", loopbackPort)) {
		t.Errorf("one-click probe image src = %q", p)
	}
	if st, text := logincard.State(final), logincard.Status(final); st != "done" || !strings.Contains(text, "Logged in to") ||
		!strings.Contains(text, "pasted code") {
		t.Errorf("final card: state %q, status %q; want done, \"Logged in to … (pasted code)\"", st, text)
	}
	if logincard.QR(final) != "" || logincard.Link(final) != "" {
		t.Errorf("the done card still shows the link or QR code")
	}
	if out := res.Stdout(); !strings.HasPrefix(out, "Logged in:") {
		t.Errorf("login cell stdout = %q", out)
	}
	checkTextFrontend(t, res, logincard.Link(first))
	if n := srv.Count(cartotest.EndpointTokenCode); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
	waitPortFree(t, loopbackPort, 5*time.Second) // the one-click listener is closed
	tokens, authorizes := srv.Count(cartotest.EndpointToken), srv.Count(cartotest.EndpointAuthorize)

	// The query: no login, no box; the cities above @min, most people first.
	res = s.run("query", cells[1], cellTimeout, s.noInput("query"))
	checkQuickstartQuery(t, srv, res)

	// The map: a token scoped to its query, never the login's (checkNoLeak below).
	res = s.run("map", cells[2], cellTimeout, s.noInput("map"))
	checkQuickstartMap(t, srv, res)

	// A new cell, then a new kernel with the same cache: the cached login, no box, no request.
	res = s.run("new cell", cachedLoginCell, cellTimeout, s.noInput("new cell"))
	if out := res.Stdout(); out != "cached login via copy-code token true\n" || logincard.Last(res) != "" {
		t.Errorf("new cell: %s", brief(res))
	}
	s2 := &session{t: t, k: startKernel(t, env)}
	res = s2.run("new kernel", cachedLoginCell, cellTimeout, s2.noInput("new kernel"))
	if out := res.Stdout(); out != "cached login via copy-code token true\n" || logincard.Last(res) != "" {
		t.Errorf("new kernel: %s", brief(res))
	}
	if n, m := srv.Count(cartotest.EndpointToken), srv.Count(cartotest.EndpointAuthorize); n != tokens || m != authorizes {
		t.Errorf("after the login: %d new token requests and %d new authorize requests, want none", n-tokens, m-authorizes)
	}

	checkNoLeak(t, secrets(t, srv, cache), append(s.results, s2.results...)...)
	for _, k := range []*kernel.Kernel{s.k, s2.k} {
		if st := k.Stray(); len(st) != 0 {
			t.Errorf("%d stray messages, first %s", len(st), st[0].Header.MsgType)
		}
	}
}

// checkTextFrontend checks what a frontend that shows only text/plain and ignores display
// updates (jupyter console) gets from a login cell: the first display carries the title, what
// to do and the link on a line of its own; the result comes as one new display (no display
// id) whose text is the status line.
func checkTextFrontend(t *testing.T, res *kernel.Result, link string) {
	t.Helper()
	var first string
	var results []string
	for _, o := range res.OfType("display_data") {
		switch {
		case o.DisplayID != "" && first == "":
			first = o.Text
		case o.DisplayID == "":
			results = append(results, o.Text)
		}
	}
	for _, want := range []string{"Log in to CARTO\n", "copy the code it shows and paste it into the code box", "\n" + link + "\n"} {
		if !strings.Contains(first, want) {
			t.Errorf("the card's text/plain lacks %q:\n%s", want, first)
		}
	}
	if len(results) != 1 || !strings.HasPrefix(results[0], "✓ Logged in to ") || !strings.Contains(results[0], "(pasted code)") {
		t.Errorf("want the result once as a new text output, got %q", results)
	}
}

// TestTwoCellLogin runs two-cell-login.ipynb: StartLogin shows the card and returns, the code
// goes into the finish cell in place of PASTE-THE-CODE-HERE; running it again says there is no
// pending login.
func TestTwoCellLogin(t *testing.T) {
	srv := standin(t, cartotest.Config{})
	cache := t.TempDir()
	s := &session{t: t, k: startKernel(t, cellEnv(srv, cache))}
	cells := codeCells(t, "two-cell-login.ipynb")
	if len(cells) != 2 {
		t.Fatalf("two-cell-login has %d code cells, want 2", len(cells))
	}
	res := s.run("start", cells[0], cellTimeout, s.noInput("start"))
	card := logincard.Last(res)
	if card == "" {
		t.Fatalf("no login card:\n%s", brief(res))
	}
	checkAuthURL(t, srv, logincard.Link(card), srv.CodePageURL())
	checkQR(t, logincard.QR(card))
	if st, text := logincard.State(card), logincard.Status(card); st != "waiting" || !strings.Contains(text, "FinishLogin") {
		t.Errorf("start card: state %q, status %q", st, text)
	}
	if logincard.Probe(card) != "" {
		t.Errorf("the two-cell card has a one-click probe")
	}
	if out := res.Stdout(); out != "" {
		t.Errorf("start cell stdout = %q", out)
	}
	code, err := loginCode(srv, logincard.Link(card))
	if err != nil {
		t.Fatal(err)
	}
	const placeholder = "PASTE-THE-CODE-HERE"
	if strings.Count(cells[1], placeholder) != 1 {
		t.Fatalf("the finish cell does not hold %s once:\n%s", placeholder, cells[1])
	}
	finish := strings.Replace(cells[1], placeholder, code, 1)
	res = s.run("finish", finish, cellTimeout, s.noInput("finish"))
	if out := res.Stdout(); !strings.HasPrefix(out, "Logged in:") {
		t.Errorf("finish cell: %s", brief(res))
	}
	res = s.run("finish again", finish, cellTimeout, s.noInput("finish again"))
	if out := res.Stdout(); !strings.HasPrefix(out, "Could not finish the login: no pending login") {
		t.Errorf("finish cell run again: %s", brief(res))
	}
	if n := srv.Count(cartotest.EndpointTokenCode); n != 1 {
		t.Errorf("%d code exchanges, want 1", n)
	}
	if e := cachedTokens(t, cache); len(e) != 1 || e[0].Flow != "copy-code" {
		t.Errorf("cache entries %d, want 1 copy-code login", len(e))
	}
	checkNoLeak(t, secrets(t, srv, cache), s.results...)
}

// checkQuickstartQuery checks the quickstart's query cell as the kernel ran it: it printed how
// many rows the stand-in srv sent, and showed them in ShowQuery's table, with no login card.
func checkQuickstartQuery(t *testing.T, srv *cartotest.Server, res *kernel.Result) {
	t.Helper()
	if out, want := res.Stdout(), fmt.Sprintf("%d rows from %s\n", len(quickstartRows()), srv.URL); out != want {
		t.Errorf("query stdout = %q, want %q", out, want)
	}
	headers, rows, ok := resultTable(res)
	if !ok || logincard.Last(res) != "" {
		t.Fatalf("want a carto-auth-table and no login card:\n%s", brief(res))
	}
	checkQuickstartTable(t, "the query's table", headers, rows)
}

// TestQuickstartUnattendedWithM2M: the quickstart notebook, unchanged, runs unattended in CI with M2M credentials in the
// environment: gonbauth.Login uses them, so no card, no box, and the query table.
func TestQuickstartUnattendedWithM2M(t *testing.T) {
	srv := standin(t, cartotest.Config{})
	path := filepath.Join(t.TempDir(), "m2m.json")
	if err := srv.WriteCredentialsFile(path); err != nil {
		t.Fatal(err)
	}
	creds, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := &session{t: t, k: startKernel(t, cellEnv(srv, t.TempDir(), "CI=true", "CARTO_CREDENTIALS="+string(creds)))}
	cells := codeCells(t, "quickstart.ipynb")
	res := s.run("login", cells[0], cellTimeout, s.noInput("login"))
	if out := res.Stdout(); !strings.HasPrefix(out, "Logged in: m2m login to "+srv.URL) || len(logincard.All(res)) != 0 {
		t.Errorf("login cell: %s", brief(res))
	}
	res = s.run("query", cells[1], cellTimeout, s.noInput("query"))
	checkQuickstartQuery(t, srv, res)
	if n, a := srv.Count(cartotest.EndpointTokenCC), srv.Count(cartotest.EndpointAuthorize); n != 1 || a != 0 {
		t.Errorf("%d client-credentials requests (want 1: the query cell uses the cache), %d authorize requests (want 0)", n, a)
	}
}

// TestM2METL runs m2m-etl.ipynb with CARTO_CREDENTIALS_FILE: no box, a table with the count.
func TestM2METL(t *testing.T) {
	srv := standin(t, cartotest.Config{})
	cache := t.TempDir()
	creds := filepath.Join(t.TempDir(), "carto-credentials.json")
	if err := srv.WriteCredentialsFile(creds); err != nil {
		t.Fatal(err)
	}
	s := &session{t: t, k: startKernel(t, cellEnv(srv, cache, "CARTO_CREDENTIALS_FILE="+creds))}
	cells := codeCells(t, "m2m-etl.ipynb")
	if len(cells) != 3 {
		t.Fatalf("m2m-etl has %d code cells, want 3", len(cells))
	}
	res := s.run("login", cells[0], cellTimeout, s.noInput("login"))
	if out := res.Stdout(); !strings.Contains(out, "Logged in as M2M client; API base URL: "+srv.URL) ||
		!strings.Contains(out, "Token valid until:") {
		t.Errorf("login cell: %s", brief(res))
	}
	s.run("helpers", cells[1], cellTimeout, s.noInput("helpers"))
	res = s.run("query", cells[2], cellTimeout, s.noInput("query"))
	want := fmt.Sprintf("<th>n</th></tr></thead><tbody><tr><td>%d</td></tr>", len(cartotest.BigQueryCities())+1) // and the payload row
	var html []string
	for _, o := range res.OfType("display_data") {
		html = append(html, o.HTML)
	}
	if !strings.Contains(strings.Join(html, ""), want) {
		t.Errorf("query cell: want a table with %q:\n%s", want, brief(res))
	}
	if n := srv.Count(cartotest.EndpointTokenCC); n != 1 {
		t.Errorf("%d client-credentials requests, want 1 (the second cell uses the cache)", n)
	}
	if n := srv.Count(cartotest.EndpointAuthorize); n != 0 {
		t.Errorf("%d authorize requests, want none", n)
	}
	b, err := os.ReadFile(creds)
	if err != nil {
		t.Fatal(err)
	}
	secret := regexp.MustCompile(`"client_secret"\s*:\s*"([^"]+)"`).FindStringSubmatch(string(b))
	if secret == nil {
		t.Fatalf("no client_secret in %s", creds)
	}
	checkNoLeak(t, secrets(t, srv, cache, secret[1]), s.results...)
}

// TestColabAndDocker runs colab-and-docker.ipynb: the forced copy-code login, answered.
func TestColabAndDocker(t *testing.T) {
	srv := standin(t, cartotest.Config{})
	cache := t.TempDir()
	s := &session{t: t, k: startKernel(t, cellEnv(srv, cache))}
	cells := codeCells(t, "colab-and-docker.ipynb")
	if len(cells) != 1 {
		t.Fatalf("colab-and-docker has %d code cells, want 1", len(cells))
	}
	a := &loginAnswer{srv: srv}
	res := s.run("login", cells[0], cellTimeout, a.answer)
	if len(a.prompts) != 1 || !a.pwd[0] {
		t.Errorf("want one password box, got prompts %q", a.prompts)
	}
	card := logincard.All(res)
	if len(card) == 0 {
		t.Fatalf("no login card:\n%s", brief(res))
	}
	checkAuthURL(t, srv, logincard.Link(card[0]), srv.CodePageURL())
	for _, c := range card {
		if logincard.Probe(c) != "" {
			t.Errorf("a forced copy-code card has the one-click probe")
		}
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	out := res.Stdout()
	if !strings.Contains(out, "Logged in to "+host+" via copy-code\n") || !strings.Contains(out, "Cached in "+cache+string(filepath.Separator)) {
		t.Errorf("login cell: %s", brief(res))
	}
	if st := logincard.State(card[len(card)-1]); st != "done" {
		t.Errorf("final card state %q", st)
	}
	checkNoLeak(t, secrets(t, srv, cache), s.results...)
}

// TestCartoDW runs carto-dw.ipynb against the stand-in with the BigQuery stand-in mounted. The
// cell logs in (answered) and queries BigQuery; it reports how long the cell took to compile.
func TestCartoDW(t *testing.T) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	srv := standin(t, cartotest.Config{})
	bq := cartotest.NewBigQuery(srv.ValidDWToken)
	bq.SetProject(srv.DWProjectID())
	srv.Mount(cartotest.BigQueryPathPrefix, http.StripPrefix(cartotest.BigQueryPathPrefix, bq.Handler()))
	cache := t.TempDir()
	s := &session{t: t, k: startKernel(t, cellEnv(srv, cache))}
	cells := codeCells(t, "carto-dw.ipynb")
	if len(cells) != 2 {
		t.Fatalf("carto-dw has %d code cells, want 2 (add cartodw's module, query)", len(cells))
	}
	s.run("add cartodw", cells[0], time.Minute, s.noInput("add cartodw"))
	a := &loginAnswer{srv: srv}
	res := s.run("query", cells[1], 8*time.Minute, a.answer)
	if len(res.Outputs) > 0 {
		// The card is the program's first output: until then GoNB compiled and started it.
		t.Logf("carto-dw cell: first output after %v (compile + start), done in %v",
			res.Outputs[0].At.Round(time.Millisecond), res.Duration.Round(time.Millisecond))
	}
	cities := cartotest.BigQueryCities()
	want := fmt.Sprintf("%d rows from project %s\n", len(cities), srv.DWProjectID())
	if out := res.Stdout(); out != want {
		t.Errorf("stdout = %q, want %q", out, want)
	}
	var table string
	for _, o := range res.OfType("display_data") {
		if strings.Contains(o.HTML, `<table class="carto-rows">`) {
			table = o.HTML
		}
	}
	for _, c := range cities {
		row := fmt.Sprintf("<tr><td>%s</td><td>%s</td><td>%d</td></tr>", c.Name, c.Country, c.Population)
		if !strings.Contains(table, row) {
			t.Errorf("table lacks %q: %q", row, table)
		}
	}
	if bq.Count("jobs.query")+bq.Count("jobs.insert") == 0 || bq.Count("unauthorized") != 0 {
		t.Errorf("BigQuery stand-in: query %d, insert %d, unauthorized %d", bq.Count("jobs.query"),
			bq.Count("jobs.insert"), bq.Count("unauthorized"))
	}
	if n := srv.Count(cartotest.EndpointDWToken); n != 1 {
		t.Errorf("%d DW token requests, want 1", n)
	}
	checkNoLeak(t, secrets(t, srv, cache), s.results...)
}

// TestUnattendedLogin: with CI=true in the kernel's environment the login cell fails at once,
// names M2M, and opens no box. (TestNbconvertFailsFast: the same without CI, run by nbconvert.)
func TestUnattendedLogin(t *testing.T) {
	srv := standin(t, cartotest.Config{})
	cache := t.TempDir()
	s := &session{t: t, k: startKernel(t, cellEnv(srv, cache, "CI=true"))}
	cells := codeCells(t, "quickstart.ipynb")
	// Same imports, no login: warms the build so the timing below is the login's.
	s.run("warm-up", "import (\n\t\"context\"\n\t\"fmt\"\n\n\t\"github.com/carto-go/carto-auth/gonbauth\"\n)\n\n%%\n"+
		"_ = context.Background\nfmt.Println(gonbauth.DefaultLoopbackPort)", cellTimeout, s.noInput("warm-up"))
	// The notebook's login cell fails (exit status 1) with the message on stderr.
	res := s.runWant("error", "login under CI", cells[0], cellTimeout, s.noInput("login under CI"))
	out := res.Stderr()
	// gonbauth.Login (the notebook's call) says nobody can answer and names M2M.
	if !strings.HasPrefix(out, "Login failed: interactive login required") || !strings.Contains(out, "M2M") {
		t.Errorf("login cell under CI: %s", brief(res))
	}
	if res.Duration > 10*time.Second {
		t.Errorf("the login cell took %v, want < 10s", res.Duration.Round(time.Millisecond))
	}
	if n := len(inputRequests(res)); n != 0 {
		t.Errorf("%d input boxes", n)
	}
	if n := srv.Count(cartotest.EndpointAuthorize) + srv.Count(cartotest.EndpointToken); n != 0 {
		t.Errorf("%d requests to authorize/token", n)
	}
	t.Logf("login cell under CI=true: %v", res.Duration.Round(time.Millisecond))
}

// timeoutLoginCell is a login nobody completes in time.
var timeoutLoginCell = loginCell("3 * time.Second")

// TestUnansweredLogin: nobody answers the box; the login times out with advice, the listener
// is closed, and the next cells of the same kernel, a login among them, work normally.
func TestUnansweredLogin(t *testing.T) {
	waitPortFree(t, loopbackPort, 10*time.Second)
	srv := standin(t, cartotest.Config{})
	cache := t.TempDir()
	s := &session{t: t, k: startKernel(t, cellEnv(srv, cache))}
	boxes := 0
	res := s.run("unanswered", timeoutLoginCell, cellTimeout, func(*kernel.Result, string, bool) (string, error) {
		boxes++
		return "", kernel.ErrNoAnswer
	})
	out := res.Stdout()
	if boxes != 1 || !strings.Contains(out, "the login timed out") || !strings.Contains(out, "after 3s") ||
		!strings.Contains(out, "nobody completed the login") || !strings.Contains(out, "M2M") {
		t.Errorf("want one box and the timeout advice: %s", brief(res))
	}
	if c := logincard.Last(res); logincard.State(c) != "failed" || !strings.Contains(logincard.Status(c), "timed out") {
		t.Errorf("final card: state %q status %q", logincard.State(c), logincard.Status(c))
	}
	waitPortFree(t, loopbackPort, 5*time.Second)

	res = s.run("next", "%%\nfmt.Println(\"next cell\")", cellTimeout, s.noInput("next"))
	if res.Stdout() != "next cell\n" {
		t.Errorf("next cell: %s", brief(res))
	}
	// A login in the same kernel reads its own box, not the stale one.
	a := &loginAnswer{srv: srv}
	res = s.run("login after", codeCells(t, "quickstart.ipynb")[0], cellTimeout, a.answer)
	if out := res.Stdout(); !strings.HasPrefix(out, "Logged in:") || len(a.prompts) != 1 {
		t.Errorf("login after the unanswered one: %s", brief(res))
	}
	if st := s.k.Stray(); len(st) != 0 {
		t.Errorf("%d stray messages, first %s", len(st), st[0].Header.MsgType)
	}
	checkNoLeak(t, secrets(t, srv, cache), s.results...)
}
