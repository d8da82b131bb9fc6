package cartotest

import (
	"net/http"
	"strconv"
)

// The Maps API for vector sources, as @deck.gl/carto's vectorTableSource and
// vectorQuerySource call it (each request with the token in an Authorization header):
//
//	GET|POST /v3/maps/{connection}/{table|query}?name=|q=&spatialDataColumn=&columns=&queryParameters=...
//	  → {"tilejson": {"url": [<TileJSON URL>]}, "schema": [...], "nrows": n}
//	GET|POST /v3/maps/{connection}/{table|query}/tilejson?<the source's parameters>
//	  → the TileJSON: tiles, bounds, minzoom, maxzoom, vector_layers, tilestats, schema
//	GET /v3/maps/{connection}/{table|query}/{z}/{x}/{y}?<the source's parameters>&formatTiles=mvt
//	  → an MVT tile (application/vnd.mapbox-vector-tile), or 204 when it shows nothing
//
// The TileJSON's and tiles' URLs repeat the parameters that define the source, so that each
// request is checked against the token on its own (see dataAccess, through the API "maps").

// handleMaps instantiates a source: it checks the token and the source, and answers where
// its TileJSON is.
func (s *Server) handleMaps(w http.ResponseWriter, r *http.Request) {
	p := parseMapsPath(r.URL.Path)
	src, d, ok := s.mapsSource(w, r, p)
	if !ok {
		return
	}
	u := mapsURL(s.base(r), p.connection, p.kind, "/tilejson") + "?" + src.values().Encode()
	writeJSON(w, http.StatusOK, map[string]any{
		"tilejson": map[string]any{"url": []string{u}},
		"schema":   cartoSchema(d.schema),
		"nrows":    len(d.rows),
	})
}

// handleMapsTileJSON answers a source's TileJSON. @carto/api-client POSTs to the TileJSON URL
// when it is over 7,000 characters long; the source's parameters are then still in the URL.
func (s *Server) handleMapsTileJSON(w http.ResponseWriter, r *http.Request) {
	p := parseMapsPath(r.URL.Path)
	src, d, ok := s.mapsSource(w, r, p)
	if !ok {
		return
	}
	v := src.values()
	v.Set("formatTiles", "mvt")
	u := mapsURL(s.base(r), p.connection, p.kind, "/{z}/{x}/{y}") + "?" + v.Encode()
	writeJSON(w, http.StatusOK, newTileJSON(src, d, u))
}

// handleMapsTile answers one tile of a source as MVT (formatTiles=mvt, the only format
// served), or 204 No Content when the tile shows nothing (loaders.gl reads a 204 as no
// data).
func (s *Server) handleMapsTile(w http.ResponseWriter, r *http.Request) {
	p := parseMapsPath(r.URL.Path)
	src, d, ok := s.mapsSource(w, r, p)
	if !ok {
		return
	}
	if f := r.URL.Query().Get("formatTiles"); f != "mvt" {
		apiError(w, http.StatusBadRequest, "formatTiles="+f+" is not supported: the sandbox serves formatTiles=mvt only")
		return
	}
	if !p.tile.valid() || p.tile.z < mapsMinZoom || p.tile.z > mapsMaxZoom {
		apiError(w, http.StatusBadRequest, "no tile "+strconv.Itoa(p.tile.z)+"/"+strconv.Itoa(p.tile.x)+"/"+strconv.Itoa(p.tile.y)+
			" (zoom "+strconv.Itoa(mapsMinZoom)+" to "+strconv.Itoa(mapsMaxZoom)+", x and y from 0 to 2^zoom - 1)")
		return
	}
	b := d.mvtTile(p.tile, src.featureBbox)
	w.Header().Set("Cache-Control", "no-store")
	if b == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.mapbox-vector-tile")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

// mapsSource reads, authorizes and loads the source a Maps API request names; when it
// cannot, it has answered: 401 or 403 for the token (see dataAccess), 404 for an unknown
// connection or table, 400 for parameters it cannot serve.
func (s *Server) mapsSource(w http.ResponseWriter, r *http.Request, p mapsPath) (mapSource, *mapData, bool) {
	v, bodyOK := mapsParams(w, r)
	src, msg := sourceOf(p.connection, p.kind, v)
	if !s.dataAccess(w, r, src.request()) {
		return src, nil, false
	}
	if p.connection != SQLConnection {
		apiError(w, http.StatusNotFound, "Connection not found: "+p.connection+" (the sandbox knows only "+SQLConnection+")")
		return src, nil, false
	}
	if !bodyOK {
		msg = `POST needs a JSON object body of the request's parameters`
	}
	if msg != "" {
		apiError(w, http.StatusBadRequest, msg)
		return src, nil, false
	}
	d, status, msg := src.load()
	if d == nil {
		apiError(w, status, msg)
		return src, nil, false
	}
	return src, d, true
}
