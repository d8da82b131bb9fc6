package bench

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/display"
	"github.com/carto-go/carto-auth/e2e/kernel"
	"github.com/carto-go/carto-auth/e2e/testenv"
	"github.com/carto-go/carto-auth/gonbauth"
)

// Each cell prints its run number (RUN), so every run is new source that GoNB must compile
// and link, as a user's new cell is; re-running the same source would skip the link. The
// gonbui cells need %noautoget (GoNB's `go get` of gonbui fails without a version list);
// the cached login is timed both as users write it, where GoNB runs `go get` for the
// module's import on every cell, and with %noautoget, as the gonbui cells are.
var cells = map[string]string{
	"Bare": `%%
fmt.Println("run", RUN)`,
	"Gonbui": `%noautoget
import "github.com/janpfeifer/gonb/gonbui"

%%
gonbui.DisplayHTML(fmt.Sprintf("<b>run %d</b>", RUN))
gonbui.Sync()
fmt.Println("run")`,
	"GonbuiHTTP": `%noautoget
import "github.com/janpfeifer/gonb/gonbui"

%%
resp, err := http.Get(os.Getenv("CARTO_AUTH_SERVER") + "/config.yaml")
if err != nil {
	panic(err)
}
resp.Body.Close()
gonbui.DisplayHTML(fmt.Sprintf("<b>run %d: %d</b>", RUN, resp.StatusCode))
gonbui.Sync()
fmt.Println("run")`,
	"CachedLoginNoAutoget": `%noautoget
import "github.com/carto-go/carto-auth/gonbauth"

%%
auth, err := gonbauth.FromOAuth(context.Background(), &gonbauth.OAuthOptions{DisableInteraction: true})
if err != nil {
	panic(err)
}
fmt.Println("run", RUN, auth.APIBaseURL() != "")`,
	"CachedLogin": `import "github.com/carto-go/carto-auth/gonbauth"

%%
auth, err := gonbauth.FromOAuth(context.Background(), &gonbauth.OAuthOptions{DisableInteraction: true})
if err != nil {
	panic(err)
}
fmt.Println("run", RUN, auth.APIBaseURL() != "")`,
}

func BenchmarkCellBare(b *testing.B)                 { benchCell(b, "Bare") }
func BenchmarkCellGonbui(b *testing.B)               { benchCell(b, "Gonbui") }
func BenchmarkCellGonbuiHTTP(b *testing.B)           { benchCell(b, "GonbuiHTTP") }
func BenchmarkCellCachedLogin(b *testing.B)          { benchCell(b, "CachedLogin") }
func BenchmarkCellCachedLoginNoAutoget(b *testing.B) { benchCell(b, "CachedLoginNoAutoget") }

// benchCell times one cell per iteration in its own kernel, with a cached login available.
func benchCell(b *testing.B, name string) {
	srv := cartotest.NewServer(cartotest.Config{})
	b.Cleanup(srv.Close)
	cache := filepath.Join(b.TempDir(), "cache")
	loginOnce(b, srv, cache)
	k := kernel.StartT(b, kernel.Options{GoWork: []string{testenv.RepoRoot(b)},
		Env: []string{"CARTO_AUTH_SERVER=" + srv.URL, "CARTO_AUTH_CACHE_DIR=" + cache, "CI="}})
	run := func(n int) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		res, err := k.Execute(ctx, strings.ReplaceAll(cells[name], "RUN", strconv.Itoa(n)), nil)
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

func (p *paster) Show(_ context.Context, l display.Login) error   { p.url = l.URL; return nil }
func (p *paster) SetStatus(context.Context, display.Status) error { return nil }
func (p *paster) ReadCode(ctx context.Context, _ string) (string, error) {
	loc, err := p.srv.LoginContext(ctx, p.url)
	if err != nil {
		return "", err
	}
	return loc.Query().Get("code"), nil
}
