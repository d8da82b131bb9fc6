package cartomap

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/cartotest"
)

// sandboxAuth is an M2M login at a new stand-in (no cache).
func sandboxAuth(t *testing.T) (*carto.Auth, *cartotest.Server) {
	t.Helper()
	srv := cartotest.NewServer(cartotest.Config{})
	t.Cleanup(srv.Close)
	creds := filepath.Join(t.TempDir(), "creds.json")
	if err := srv.WriteCredentialsFile(creds); err != nil {
		t.Fatal(err)
	}
	a, err := carto.FromM2M(context.Background(), creds, &carto.M2MOptions{Common: carto.Common{AuthServer: srv.URL, CacheDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	return a, srv
}

// pageConfigOf reads the JSON the page carries.
func pageConfigOf(t *testing.T, page string) pageConfig {
	t.Helper()
	m := regexp.MustCompile(`<script type="application/json" id="[^"]+">([^<]*)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no config script in %s", page)
	}
	var cfg pageConfig
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

const citiesSQL = "SELECT name, population, geom FROM cities WHERE population > @min"

// TestQueryMapCarriesAScopedToken: the page carries a token for exactly the query and the
// Maps API, never the login's, and says so.
func TestQueryMapCarriesAScopedToken(t *testing.T) {
	ctx := context.Background()
	a, srv := sandboxAuth(t)
	h, err := HTML(ctx, a, Query(cartotest.SQLConnection, citiesSQL, map[string]any{"min": 5000000}), &Options{Tooltip: []string{"name"}, TokenLifetime: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	login, err := a.AccessToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h, login) {
		t.Fatal("the page carries the login's access token")
	}
	cfg := pageConfigOf(t, h)
	facts, ok := srv.APIToken(cfg.Token)
	if !ok {
		t.Fatalf("the page's token is not one the stand-in issued")
	}
	if len(facts.Grants) != 1 || facts.Grants[0].Source != citiesSQL || facts.Grants[0].Connection != cartotest.SQLConnection {
		t.Errorf("grants %+v, want exactly the query", facts.Grants)
	}
	if strings.Join(facts.APIs, ",") != "maps" {
		t.Errorf("APIs %v, want maps", facts.APIs)
	}
	if d := time.Until(facts.Expires); d <= 0 || d > 2*time.Hour+time.Minute {
		t.Errorf("expires in %v, want within 2h", d)
	}
	if !strings.Contains(cfg.Note, "scoped token for query SELECT name") || !strings.Contains(cfg.Note, "valid until") {
		t.Errorf("note %q", cfg.Note)
	}
	if cfg.Warning != "" || cfg.Kind != "query" || cfg.SQL != citiesSQL || strings.Join(cfg.Columns, ",") != "name" {
		t.Errorf("config %+v", cfg)
	}
	// A second map of the same source reuses the token.
	h2, err := HTML(ctx, a, Query(cartotest.SQLConnection, citiesSQL, map[string]any{"min": 1}), &Options{TokenLifetime: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if pageConfigOf(t, h2).Token != cfg.Token {
		t.Error("a second map of the same query minted another token")
	}
}

// TestLoginTokenOnlyOnRequest: UseLoginToken carries the login's token, with a warning.
func TestLoginTokenOnlyOnRequest(t *testing.T) {
	ctx := context.Background()
	a, _ := sandboxAuth(t)
	h, err := HTML(ctx, a, Table(cartotest.SQLConnection, "features"), &Options{UseLoginToken: true})
	if err != nil {
		t.Fatal(err)
	}
	login, _ := a.AccessToken(ctx)
	cfg := pageConfigOf(t, h)
	if cfg.Token != login || !strings.Contains(cfg.Warning, "saved output carries it") || cfg.Note != "" {
		t.Errorf("login-token map: warning %q note %q", cfg.Warning, cfg.Note)
	}
}

// TestPageEscapesData: markup and line separators in data and options stay inside the JSON
// script; the title is text.
func TestPageEscapesData(t *testing.T) {
	evil := cartotest.PayloadName + "</script><script>alert(1)</script>\u2028\u2029&"
	h, err := HTML(context.Background(), nil, Points([]Point{{Lon: 1, Lat: 2, Properties: map[string]any{evil: evil}}}), &Options{Title: evil, Tooltip: []string{evil}, LibraryURL: "http://127.0.0.1:1/"})
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(h, "<script"); n != 2 {
		t.Errorf("%d script elements, want the config and the loader", n)
	}
	for _, bad := range []string{"<img", "<script>alert"} {
		if strings.Contains(h, bad) {
			t.Errorf("the page holds %q unescaped", bad)
		}
	}
	js := regexp.MustCompile(`(?s)<script type="application/json" id="[^"]+">(.*?)</script>`).FindStringSubmatch(h)[1]
	if strings.ContainsAny(js, "<>&\u2028\u2029") {
		t.Errorf("the config JSON holds a raw <, >, &, U+2028 or U+2029: %s", js)
	}
	cfg := pageConfigOf(t, h)
	if cfg.Tooltip[0] != evil || !strings.Contains(string(cfg.Data), `\u003cimg`) {
		t.Errorf("the data did not survive as JSON: %q", cfg.Tooltip)
	}
	if !strings.Contains(h, "&lt;img src=x") {
		t.Error("the title is not escaped text")
	}
	if strings.Contains(loaderJS, "</") || strings.Contains(loaderJS, "innerHTML") {
		t.Error("the loader must hold no </ and set no innerHTML")
	}
}

func TestLocalSourceLimits(t *testing.T) {
	pts := make([]Point, MaxLocalFeatures+1)
	if err := Points(pts).check(); err == nil || !strings.Contains(err.Error(), "cartomap.Table, cartomap.Query") {
		t.Errorf("too many points: %v", err)
	}
	if err := GeoJSON(make([]byte, MaxLocalBytes+1)).check(); err == nil || !strings.Contains(err.Error(), "too much") {
		t.Errorf("too much GeoJSON: %v", err)
	}
	if err := Points([]Point{{Lon: 200, Lat: 0}}).check(); err == nil {
		t.Error("a point off the globe was accepted")
	}
	s := GeoJSON([]byte(`{"type":"LineString","coordinates":[[-3.7,40.4],[2.35,48.85]]}`))
	if err := s.check(); err != nil || s.bounds != [4]float64{-3.7, 40.4, 2.35, 48.85} || s.features != 1 {
		t.Errorf("GeoJSON line: %v %v %d", err, s.bounds, s.features)
	}
	if _, err := HTML(context.Background(), nil, Table("c", "t"), nil); err == nil {
		t.Error("a table map without a login was accepted")
	}
}

func TestLibraryURLOption(t *testing.T) {
	t.Setenv(EnvLibraryURL, "")
	if b, _ := libraryBase(""); b != DefaultLibraryURL {
		t.Errorf("default %q", b)
	}
	t.Setenv(EnvLibraryURL, "http://127.0.0.1:9/libs")
	if b, _ := libraryBase(""); b != "http://127.0.0.1:9/libs/" {
		t.Errorf("env %q", b)
	}
	if _, err := libraryBase("javascript:alert(1)"); err == nil {
		t.Error("a javascript: base URL was accepted")
	}
}
