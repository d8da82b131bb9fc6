package cartotest

import (
	"strconv"
	"strings"
)

// mapsRequest is which Maps API request a path names.
type mapsRequest int

const (
	mapsNone        mapsRequest = iota
	mapsInstantiate             // /v3/maps/{connection}/{table|query}
	mapsTileJSON                // /v3/maps/{connection}/{table|query}/tilejson
	mapsTile                    // /v3/maps/{connection}/{table|query}/{z}/{x}/{y}
)

// mapsPath is a Maps API path: the request, the connection, the source's type (table or
// query) and, for a tile, which one.
type mapsPath struct {
	req        mapsRequest
	connection string
	kind       string
	tile       tileID
}

// parseMapsPath reads a Maps API path; req is mapsNone for any other path (a tile's numbers
// must be decimal, though they may name a tile that does not exist).
func parseMapsPath(path string) mapsPath {
	rest, ok := strings.CutPrefix(path, "/v3/maps/")
	parts := strings.Split(rest, "/")
	if !ok || len(parts) < 2 || parts[0] == "" || (parts[1] != "table" && parts[1] != "query") {
		return mapsPath{}
	}
	p := mapsPath{connection: parts[0], kind: parts[1]}
	switch {
	case len(parts) == 2:
		p.req = mapsInstantiate
	case len(parts) == 3 && parts[2] == "tilejson":
		p.req = mapsTileJSON
	case len(parts) == 5:
		var n [3]int
		for i, s := range parts[2:] {
			v, err := strconv.Atoi(s)
			if err != nil || s != strconv.Itoa(v) {
				return mapsPath{}
			}
			n[i] = v
		}
		p.req, p.tile = mapsTile, tileID{n[0], n[1], n[2]}
	}
	return p
}

// mapsURL is the path of a Maps API request on connection for a source of kind, under base.
func mapsURL(base, connection, kind, tail string) string {
	return base + "/v3/maps/" + connection + "/" + kind + tail
}
