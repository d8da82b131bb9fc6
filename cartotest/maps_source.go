package cartotest

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// mapSource is a vector source of the Maps API as its requests name it: a table (name) or a
// query (q, with queryParameters), its spatial column, and the columns its tiles carry.
type mapSource struct {
	connection, kind string // kind: "table" or "query"
	name, q          string
	params           string   // queryParameters, JSON text ("" for none)
	spatialColumn    string   // spatialDataColumn, "geom" by default
	columns          []string // the columns= asked for; all columns when !hasColumns
	hasColumns       bool
	tileResolution   string // as given, handed on to the TileJSON
	featureBbox      bool   // featureBbox=true (prepareLabels): polygons carry _carto_bbox
}

// mapsParams reads a Maps API request's parameters: the URL's, and for a POST those of its
// JSON body too (@carto/api-client POSTs them when the URL would pass 7,000 characters): a
// string as it is, any other JSON value (queryParameters, filters) as its JSON text. ok is
// false for a POST without a JSON object body.
func mapsParams(w http.ResponseWriter, r *http.Request) (v url.Values, ok bool) {
	v = r.URL.Query()
	if r.Method != http.MethodPost {
		return v, true
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var body map[string]json.RawMessage
	if mt != "application/json" || json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&body) != nil {
		return v, false
	}
	for k, raw := range body {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			v.Set(k, s)
		} else if t := string(bytes.TrimSpace(raw)); t != "null" {
			v.Set(k, t)
		}
	}
	return v, true
}

// sourceOf reads the source that parameters v name; msg says what is wrong with them ("" for
// nothing), and the source is still filled as far as it goes, for the token check.
func sourceOf(connection, kind string, v url.Values) (src mapSource, msg string) {
	src = mapSource{connection: connection, kind: kind, name: v.Get("name"), q: v.Get("q"),
		params: strings.TrimSpace(v.Get("queryParameters")), spatialColumn: v.Get("spatialDataColumn"),
		tileResolution: v.Get("tileResolution"), featureBbox: v.Get("featureBbox") == "true"}
	if src.spatialColumn == "" {
		src.spatialColumn = "geom"
	}
	if src.hasColumns = v.Has("columns"); src.hasColumns {
		for _, c := range strings.Split(v.Get("columns"), ",") {
			if c = strings.TrimSpace(c); c != "" {
				src.columns = append(src.columns, c)
			}
		}
	}
	switch {
	case kind == "table" && strings.TrimSpace(src.name) == "":
		return src, "Missing required parameter: name"
	case kind == "query" && strings.TrimSpace(src.q) == "":
		return src, "Missing required parameter: q"
	case v.Get("spatialDataType") != "" && v.Get("spatialDataType") != "geo":
		return src, "spatialDataType " + v.Get("spatialDataType") + " is not supported: the sandbox's Maps API serves geo sources only"
	case !emptyJSON(v.Get("filters")):
		return src, "filters are not supported by the sandbox's Maps API: filter in the query instead"
	case v.Get("aggregationExp") != "":
		return src, "aggregationExp is not supported by the sandbox's Maps API"
	case kind == "table" && src.params != "":
		return src, "queryParameters go with a query source, not a table"
	}
	return src, ""
}

// emptyJSON reports whether a parameter holding JSON is absent or empty ({}, [] or null).
func emptyJSON(s string) bool {
	switch strings.Join(strings.Fields(s), "") {
	case "", "{}", "[]", "null":
		return true
	}
	return false
}

// request is what the source reads, for dataAccess through the Maps API: a table by its name,
// a query by its SQL text and the tables it reads.
func (src mapSource) request() dataRequest {
	if src.kind == "table" {
		return dataRequest{api: "maps", connection: src.connection, source: src.name}
	}
	return dataRequest{api: "maps", connection: src.connection, source: src.q, tables: sqlTablesRead(src.q)}
}

// values are the parameters that define the source, for the URLs of its TileJSON and tiles,
// so that each of those requests names (and is checked against a token's grant for) the
// source on its own.
func (src mapSource) values() url.Values {
	v := url.Values{"spatialDataColumn": {src.spatialColumn}, "spatialDataType": {"geo"}}
	if src.kind == "table" {
		v.Set("name", src.name)
	} else {
		v.Set("q", src.q)
	}
	if src.params != "" {
		v.Set("queryParameters", src.params)
	}
	if src.hasColumns {
		v.Set("columns", strings.Join(src.columns, ","))
	}
	if src.tileResolution != "" {
		v.Set("tileResolution", src.tileResolution)
	}
	if src.featureBbox {
		v.Set("featureBbox", "true")
	}
	return v
}
