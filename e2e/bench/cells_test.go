package bench

import (
	"context"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/kernel"
	"github.com/carto-go/carto-auth/e2e/testenv"
	"github.com/carto-go/carto-auth/gonbauth"
)

// Each cell prints its run number (RUN), so every run is new source that GoNB must compile
// and link, as a user's new cell is; re-running the same source would skip the link. Every cell
// is timed as users write it, where GoNB runs `go get` for the cell's imports first (autoget),
// and with %noautoget. The kernel's module proxy is the local module cache (GOPROXY=file://…),
// a warm proxy that needs no network, so that autoget resolves gonbui's version here too.
var cells = map[string]string{
	"Bare": `%%
fmt.Println("run", RUN)`,
	"Gonbui": `import "github.com/janpfeifer/gonb/gonbui"

%%
gonbui.DisplayHTML(fmt.Sprintf("<b>run %d</b>", RUN))
gonbui.Sync()
fmt.Println("run")`,
	"GonbuiHTTP": `import "github.com/janpfeifer/gonb/gonbui"

%%
resp, err := http.Get(os.Getenv("CARTO_AUTH_SERVER") + "/config.yaml")
if err != nil {
	panic(err)
}
resp.Body.Close()
gonbui.DisplayHTML(fmt.Sprintf("<b>run %d: %d</b>", RUN, resp.StatusCode))
gonbui.Sync()
fmt.Println("run")`,
	"CachedLogin": `import "github.com/carto-go/carto-auth/gonbauth"

%%
auth, err := gonbauth.Login(context.Background(), nil)
if err != nil {
	panic(err)
}
fmt.Println("run", RUN, auth.APIBaseURL() != "")`,
}

func BenchmarkCellBare(b *testing.B)                 { benchCell(b, "Bare", true) }
func BenchmarkCellBareNoAutoget(b *testing.B)        { benchCell(b, "Bare", false) }
func BenchmarkCellGonbui(b *testing.B)               { benchCell(b, "Gonbui", true) }
func BenchmarkCellGonbuiNoAutoget(b *testing.B)      { benchCell(b, "Gonbui", false) }
func BenchmarkCellGonbuiHTTP(b *testing.B)           { benchCell(b, "GonbuiHTTP", true) }
func BenchmarkCellGonbuiHTTPNoAutoget(b *testing.B)  { benchCell(b, "GonbuiHTTP", false) }
func BenchmarkCellCachedLogin(b *testing.B)          { benchCell(b, "CachedLogin", true) }
func BenchmarkCellCachedLoginNoAutoget(b *testing.B) { benchCell(b, "CachedLogin", false) }

// benchCell times one cell per iteration in its own kernel, with a cached login available,
// with GoNB's autoget or without.
func benchCell(b *testing.B, name string, autoget bool) {
	code := cells[name]
	if !autoget {
		code = "%noautoget\n" + code
	}
	srv := cartotest.NewServer(cartotest.Config{})
	b.Cleanup(srv.Close)
	cache := filepath.Join(b.TempDir(), "cache")
	loginOnce(b, srv, cache)
	k := kernel.StartT(b, kernel.Options{GoWork: []string{testenv.RepoRoot(b)},
		Env: []string{"CARTO_AUTH_SERVER=" + srv.URL, "CARTO_AUTH_CACHE_DIR=" + cache, "CI=", "GOPROXY=" + localProxy(b), "GOFLAGS="}})
	run := func(n int) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		res, err := k.Execute(ctx, strings.ReplaceAll(code, "RUN", strconv.Itoa(n)), nil)
		if err != nil {
			b.Fatal(err)
		}
		if e := res.Error(); e != nil || !strings.Contains(res.Stdout(), "run") {
			b.Fatalf("cell %s: %v\n%s", name, e, res)
		}
	}
	run(-1) // the first cell builds the module's packages into the build cache
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		run(i)
	}
}

// localProxy is the module cache as a module proxy: a warm proxy, with no network.
func localProxy(b *testing.B) string {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		b.Fatal(err)
	}
	return "file://" + filepath.Join(strings.TrimSpace(string(out)), "cache", "download")
}

// loginOnce logs in by copy-code against srv into cache, as a user did in an earlier cell.
func loginOnce(b *testing.B, srv *cartotest.Server, cache string) {
	b.Helper()
	p := &paster{srv: srv}
	_, err := gonbauth.FromOAuth(context.Background(), &gonbauth.OAuthOptions{Flow: gonbauth.FlowCopyCode, Prompter: p,
		Common: gonbauth.Common{AuthServer: srv.URL, CacheDir: cache}})
	if err != nil {
		b.Fatal(err)
	}
}

// paster answers a copy-code prompt with a code from the stand-in.
type paster struct {
	srv *cartotest.Server
	url string
}

func (p *paster) Show(_ context.Context, l carto.LoginMessage) error { p.url = l.URL; return nil }
func (p *paster) SetStatus(context.Context, carto.Status) error      { return nil }
func (p *paster) ReadCode(ctx context.Context, _ string) (string, error) {
	loc, err := p.srv.LoginContext(ctx, p.url)
	if err != nil {
		return "", err
	}
	return loc.Query().Get("code"), nil
}
