package notebooks_test

// Checks of a map's output as the kernel sends it and as a saved notebook holds it: the token
// it carries is scoped to its one source, through the Maps API only, for at most 24 hours, and
// no other token-like string in it opens anything.

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/kernel"
)

// maxMapOutput is the most bytes one map's output may add to a saved notebook: no library is
// inlined.
const maxMapOutput = 50 << 10

var mapConfigRE = regexp.MustCompile(`<script type="application/json" id="(cartomap-[0-9a-f]+)-config">([^<]*)</script>`)

// mapConfig is what the tests read of a map's JSON.
type mapConfig struct {
	Kind       string `json:"kind"`
	Token      string `json:"accessToken"`
	Connection string `json:"connection"`
	SQL        string `json:"sql"`
	Table      string `json:"table"`
	Note       string `json:"note"`
	Warning    string `json:"warning"`
}

// mapConfigs reads every map's JSON in s (HTML, or a saved notebook's text of it).
func mapConfigs(t *testing.T, s string) []mapConfig {
	t.Helper()
	var out []mapConfig
	for _, m := range mapConfigRE.FindAllStringSubmatch(s, -1) {
		var c mapConfig
		mustOK(t, json.Unmarshal([]byte(m[2]), &c))
		out = append(out, c)
	}
	return out
}

// checkMapToken checks what the stand-in knows of a map's token: exactly grant (connection,
// source), the Maps API only, an expiry within 24 hours.
func checkMapToken(t *testing.T, srv *cartotest.Server, c mapConfig, source string) {
	t.Helper()
	facts, ok := srv.APIToken(c.Token)
	if !ok {
		t.Fatalf("the map's token (%d chars) is not an API access token the stand-in issued", len(c.Token))
	}
	if len(facts.Grants) != 1 || facts.Grants[0].Connection != cartotest.SQLConnection || facts.Grants[0].Source != source {
		t.Errorf("the map's token grants %+v, want exactly %s on %s", facts.Grants, source, cartotest.SQLConnection)
	}
	if !slices.Equal(facts.APIs, []string{"maps"}) {
		t.Errorf("the map's token allows %v, want [maps]", facts.APIs)
	}
	if facts.Expires.IsZero() || time.Until(facts.Expires) > 24*time.Hour+time.Minute {
		t.Errorf("the map's token expires %v, want within 24 h", facts.Expires)
	}
	if !strings.Contains(c.Note, "scoped token for") || !strings.Contains(c.Note, "valid until") || c.Warning != "" {
		t.Errorf("the map's note %q (warning %q)", c.Note, c.Warning)
	}
}

// checkQuickstartMap checks the quickstart's map cell as the kernel sent it: one map of the
// query with a token scoped to it, a line of text for text frontends, and a small output.
func checkQuickstartMap(t *testing.T, srv *cartotest.Server, res *kernel.Result) {
	t.Helper()
	if out := res.Stdout(); !strings.HasPrefix(out, "Map of the cities") {
		t.Errorf("map cell stdout %q", out)
	}
	var maps []mapConfig
	for _, o := range res.OfType("display_data") {
		if !strings.Contains(o.HTML, `class="cartomap"`) {
			continue
		}
		maps = append(maps, mapConfigs(t, o.HTML)...)
		if n := len(o.HTML) + len(o.Text); n > maxMapOutput {
			t.Errorf("the map's output is %d bytes, want ≤ %d", n, maxMapOutput)
		}
		t.Logf("the map's output: %d bytes of HTML, %d of text", len(o.HTML), len(o.Text))
		if !strings.HasPrefix(o.Text, "Map of query SELECT name, population, geom FROM cities") {
			t.Errorf("the map's text/plain %q", o.Text)
		}
	}
	if len(maps) != 1 || maps[0].Kind != "query" {
		t.Fatalf("want one query map, got %+v", maps)
	}
	checkMapToken(t, srv, maps[0], maps[0].SQL)
}

// savedHTML is every text/html output of a saved notebook, one after the other.
func savedHTML(t *testing.T, ipynb string) string {
	t.Helper()
	var nb struct {
		Cells []struct {
			Outputs []struct {
				Data map[string]any `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	mustOK(t, json.Unmarshal([]byte(ipynb), &nb))
	var b strings.Builder
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			b.WriteString(joinText(o.Data["text/html"]))
		}
	}
	return b.String()
}

// tokenLikeRE finds what could be a token in saved text: long runs of token characters.
var tokenLikeRE = regexp.MustCompile(`[A-Za-z0-9_\-\.~+/=]{24,}`)

// checkSavedTokens checks text saved from a notebook with maps (an .ipynb or its HTML export):
// neither of the login's tokens is in it, each map's token opens only its own source through
// the Maps API, and every token-like string in it is refused by the stand-in's SQL API, for
// the map's own source and for another.
func checkSavedTokens(t *testing.T, srv *cartotest.Server, what, saved string, loginTokens map[string]string) {
	t.Helper()
	for name, tok := range loginTokens {
		if tok != "" && strings.Contains(saved, tok) {
			t.Errorf("%s holds the login's %s", what, name)
		}
	}
	cands := map[string]bool{}
	for _, s := range tokenLikeRE.FindAllString(html.UnescapeString(saved), -1) {
		cands[s] = true
	}
	issued := 0
	for c := range cands {
		if _, ok := srv.APIToken(c); ok {
			issued++
		}
		for _, sql := range []string{"SELECT name, population, geom FROM cities WHERE population > @min", "SELECT * FROM features"} {
			if code := sqlStatus(t, srv, c, sql); code == http.StatusOK {
				t.Errorf("%s: a token-like string (%d chars) opens the SQL API for %q", what, len(c), sql)
			}
		}
	}
	if issued == 0 {
		t.Errorf("%s holds no map token: nothing was checked", what)
	}
	t.Logf("%s: %d token-like strings, %d of them map tokens, all refused by the SQL API", what, len(cands), issued)
}

// sqlStatus is the status of the stand-in's SQL API for sql with tok.
func sqlStatus(t *testing.T, srv *cartotest.Server, tok, sql string) int {
	t.Helper()
	q := url.Values{"q": {sql}, "queryParameters": {`{"min":1}`}}
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/v3/sql/"+cartotest.SQLConnection+"/query?"+q.Encode(), nil)
	mustOK(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	mustOK(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
