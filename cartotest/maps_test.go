package cartotest

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// mapsDo sends a Maps API request with tok (none when "") and origin (none when ""); a body
// goes as JSON.
func mapsDo(t *testing.T, method, u, tok, origin, body string) response {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return do(t, req)
}

// instantiate is the instantiation URL of a query (kind "query", source the SQL) or a table.
func instantiate(s *Server, kind, source string, extra url.Values) string {
	v := url.Values{"spatialDataColumn": {"geom"}, "spatialDataType": {"geo"}, "client": {"deck-gl-carto"}, "v": {"3.4"}}
	if kind == "table" {
		v.Set("name", source)
	} else {
		v.Set("q", source)
	}
	for k, vs := range extra {
		v[k] = vs
	}
	return s.URL + "/v3/maps/" + SQLConnection + "/" + kind + "?" + v.Encode()
}

// mapChain runs the chain as @carto/api-client does, and returns the TileJSON's answer.
func mapChain(t *testing.T, s *Server, tok, u string) response {
	t.Helper()
	inst := mapsDo(t, http.MethodGet, u, tok, "", "")
	if inst.status != http.StatusOK {
		t.Fatalf("instantiation: %d %s", inst.status, inst.body)
	}
	urls, _ := inst.json["tilejson"].(map[string]any)["url"].([]any)
	if len(urls) != 1 {
		t.Fatalf("instantiation: no tilejson.url: %s", inst.body)
	}
	tj := mapsDo(t, http.MethodGet, urls[0].(string)+"&client=deck-gl-carto&v=3.4", tok, "", "")
	if tj.status != http.StatusOK {
		t.Fatalf("TileJSON: %d %s", tj.status, tj.body)
	}
	return tj
}

// tileURL fills a TileJSON's tile template.
func tileURL(t *testing.T, tj response, z, x, y int) string {
	t.Helper()
	tiles, _ := tj.json["tiles"].([]any)
	if len(tiles) != 1 {
		t.Fatalf("TileJSON without one tile template: %s", tj.body)
	}
	r := strings.NewReplacer("{z}", strconv.Itoa(z), "{x}", strconv.Itoa(x), "{y}", strconv.Itoa(y))
	return r.Replace(tiles[0].(string))
}

// getTile fetches and decodes a tile; nil for a 204.
func getTile(t *testing.T, u, tok string) []decodedLayer {
	t.Helper()
	r := mapsDo(t, http.MethodGet, u, tok, "", "")
	switch {
	case r.status == http.StatusNoContent && r.body == "":
		return nil
	case r.status != http.StatusOK || r.header.Get("Content-Type") != "application/vnd.mapbox-vector-tile":
		t.Fatalf("tile %s: %d %q %s", u, r.status, r.header.Get("Content-Type"), r.body)
	}
	layers, err := decodeMVT([]byte(r.body))
	if err != nil {
		t.Fatalf("tile %s: %v", u, err)
	}
	for _, l := range layers {
		for _, f := range l.features {
			if f.id != 0 {
				t.Fatalf("tile %s: a feature with an id (loaders.gl would make it a property): %+v", u, f)
			}
		}
	}
	if len(layers) != 1 || layers[0].name != "default" || layers[0].extent != 4096 || layers[0].version != 2 || len(layers[0].features) == 0 {
		t.Fatalf("tile %s: want one layer \"default\" (extent 4096, version 2) with features: %+v", u, layers)
	}
	return layers
}

func TestMapsTilesHoldTheCitiesInsideThem(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	tj := mapChain(t, s, tok, instantiate(s, "query", "SELECT name, population, geom FROM cities WHERE population > @min",
		url.Values{"queryParameters": {`{"min": 1000}`}, "columns": {"name,population"}}))
	if u, _ := url.Parse(tileURL(t, tj, 0, 0, 0)); u.Query().Get("formatTiles") != "mvt" || u.Query().Get("queryParameters") != `{"min": 1000}` {
		t.Fatalf("tile URL %s: want formatTiles=mvt and the query's parameters", u)
	}
	cities := BigQueryCities()
	for z := 0; z <= 4; z++ {
		seen := map[string]int{}
		n := 1 << z
		for x := 0; x < n; x++ {
			for y := 0; y < n; y++ {
				tile := tileID{z, x, y}
				layers := getTile(t, tileURL(t, tj, z, x, y), tok)
				if layers == nil {
					continue
				}
				for _, f := range layers[0].features {
					name, _ := f.props["name"].(string)
					i := slices.IndexFunc(cities, func(c BigQueryCity) bool { return c.Name == name })
					if i < 0 || f.kind != 1 || len(f.parts) != 1 || len(f.props) != 2 || f.props["population"] != cities[i].Population {
						t.Fatalf("tile %v: unexpected feature %+v", tile, f)
					}
					seen[name]++
					p := f.parts[0][0]
					if p[0] < 0 || p[0] > 4096 || p[1] < 0 || p[1] > 4096 {
						t.Errorf("tile %v: %s outside the tile at %v", tile, name, p)
					}
					got := tileToLonLat(tile, p, 4096)
					// a pixel of a 512-pixel tile is 8 units: the position must be within one
					px := 360 / float64(n) / 512
					if math.Abs(got[0]-cities[i].Lon) > px || math.Abs(got[1]-cities[i].Lat) > px {
						t.Errorf("tile %v: %s at %v, want %v, %v", tile, name, got, cities[i].Lon, cities[i].Lat)
					}
				}
			}
		}
		for _, c := range cities {
			if seen[c.Name] != 1 {
				t.Errorf("zoom %d: %s in %d tiles, want 1", z, c.Name, seen[c.Name])
			}
		}
		if len(seen) != len(cities) {
			t.Errorf("zoom %d: %d names, want the %d cities (not the payload row, population 1)", z, len(seen), len(cities))
		}
	}
}

func TestMapsTileJSONBoundsAndColumns(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	cases := []struct {
		name, kind, source string
		extra              url.Values
		bounds             [4]float64
		fields             []string
	}{
		{"cities over 10 million", "query", "SELECT * FROM cities WHERE population > 10000000", url.Values{"columns": {"name"}},
			[4]float64{-46.6333, -23.5505, 139.6503, 35.6762}, []string{"name"}},
		{"all columns but the geography", "table", "features", nil,
			[4]float64{-73.9969, -33.8523, 151.2108, 40.8006}, []string{"id", "kind", "name"}},
		{"no columns", "table", "sandbox.demo.regions", url.Values{"columns": {""}},
			[4]float64{-74.019, -34.3, 151.4, 45.5}, nil},
	}
	for _, c := range cases {
		tj := mapChain(t, s, tok, instantiate(s, c.kind, c.source, c.extra))
		var got [4]float64
		for i, v := range tj.json["bounds"].([]any) {
			got[i] = v.(float64)
		}
		if got != c.bounds {
			t.Errorf("%s: bounds %v, want %v", c.name, got, c.bounds)
		}
		fields := []string{}
		for k := range tj.json["vector_layers"].([]any)[0].(map[string]any)["fields"].(map[string]any) {
			fields = append(fields, k)
		}
		slices.Sort(fields)
		if !slices.Equal(fields, c.fields) && len(fields)+len(c.fields) > 0 {
			t.Errorf("%s: fields %v, want %v", c.name, fields, c.fields)
		}
		// The tile of the whole world carries those columns, and no others.
		for _, f := range getTile(t, tileURL(t, tj, 0, 0, 0), tok)[0].features {
			keys := []string{}
			for k := range f.props {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if !slices.Equal(keys, c.fields) && len(keys)+len(c.fields) > 0 {
				t.Errorf("%s: feature properties %v, want %v", c.name, keys, c.fields)
			}
		}
	}
}

func TestMapsRefusesWhatItCannotServe(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	cases := []struct {
		name, u string
		want    int
	}{
		{"an unknown column", instantiate(s, "table", "cities", url.Values{"columns": {"name,nope"}}), http.StatusBadRequest},
		{"no spatial column", instantiate(s, "query", "SELECT name FROM cities", nil), http.StatusBadRequest},
		{"a spatial column that is not a geography", instantiate(s, "table", "cities", url.Values{"spatialDataColumn": {"name"}}), http.StatusBadRequest},
		{"an unknown table", instantiate(s, "table", "nowhere", nil), http.StatusNotFound},
		{"a query outside the subset", instantiate(s, "query", "SELECT ST_X(geom) FROM cities", nil), http.StatusBadRequest},
		{"a missing parameter", instantiate(s, "query", "SELECT * FROM cities WHERE population > @min", nil), http.StatusBadRequest},
		{"filters", instantiate(s, "table", "cities", url.Values{"filters": {`{"name":{"in":{"values":["Madrid"]}}}`}}), http.StatusBadRequest},
		{"an H3 source", instantiate(s, "table", "cities", url.Values{"spatialDataType": {"h3"}}), http.StatusBadRequest},
		{"no name", s.URL + "/v3/maps/" + SQLConnection + "/table", http.StatusBadRequest},
		{"an unknown connection", strings.Replace(instantiate(s, "table", "cities", nil), SQLConnection, "other", 1), http.StatusNotFound},
		{"a tile in another format", strings.Replace(instantiate(s, "table", "cities", nil), "/table?", "/table/0/0/0?formatTiles=binary&", 1), http.StatusBadRequest},
		{"a tile that does not exist", strings.Replace(instantiate(s, "table", "cities", nil), "/table?", "/table/1/2/0?formatTiles=mvt&", 1), http.StatusBadRequest},
		{"a tile beyond the maximum zoom", strings.Replace(instantiate(s, "table", "cities", nil), "/table?", "/table/17/0/0?formatTiles=mvt&", 1), http.StatusBadRequest},
	}
	for _, c := range cases {
		r := mapsDo(t, http.MethodGet, c.u, tok, "", "")
		if r.status != c.want || r.str("error") == "" {
			t.Errorf("%s: %d %s, want %d with an error", c.name, r.status, r.body, c.want)
		}
	}
	if r := mapsDo(t, http.MethodDelete, instantiate(s, "table", "cities", nil), tok, "", ""); r.status != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %d, want 405", r.status)
	}
}

// TestMapsPOST follows @carto/api-client past 7,000 characters: it POSTs the instantiation's
// parameters as a JSON body (queryParameters as an object), then POSTs {v, client} to the
// TileJSON URL, which still holds the source.
func TestMapsPOST(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	tok := s.NewAccessToken()
	q := "SELECT name, geom FROM cities WHERE name = @city" + strings.Repeat(" ", 7000)
	body := `{"client":"deck-gl-carto","v":"3.4","q":` + strconv.Quote(q) + `,"spatialDataColumn":"geom","spatialDataType":"geo","tileResolution":"0.5","queryParameters":{"city":"Tokyo"}}`
	inst := mapsDo(t, http.MethodPost, s.URL+"/v3/maps/"+SQLConnection+"/query", tok, "", body)
	if inst.status != http.StatusOK || inst.json["nrows"] != 1.0 {
		t.Fatalf("POST instantiation: %d %s", inst.status, inst.body)
	}
	u := inst.json["tilejson"].(map[string]any)["url"].([]any)[0].(string)
	tj := mapsDo(t, http.MethodPost, u, tok, "", `{"v":"3.4","client":"deck-gl-carto"}`)
	if tj.status != http.StatusOK || tj.json["tileResolution"] != 0.5 {
		t.Fatalf("POST TileJSON: %d %s", tj.status, tj.body)
	}
	f := getTile(t, tileURL(t, tj, 0, 0, 0), tok)[0].features
	if len(f) != 1 || f[0].props["name"] != "Tokyo" {
		t.Errorf("features %+v, want Tokyo's", f)
	}
	if r := mapsDo(t, http.MethodPost, s.URL+"/v3/maps/"+SQLConnection+"/query", tok, "", "not json"); r.status != http.StatusBadRequest {
		t.Errorf("POST without JSON: %d, want 400", r.status)
	}
}
