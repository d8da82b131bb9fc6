package cartomap

import (
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/carto-go/carto-auth/internal/maplibs"
)

// Library is one browser library file a map loads: its npm package Name, exact Version, Path
// in the package, Subresource Integrity hash, and, for a loaders.gl worker, its Worker id.
type Library = maplibs.Library

// Libraries are the browser library files a map loads, in order, pinned by
// cartomap/js/package-lock.json (written by cartomap/js/gen-libs.sh from the installed files).
var Libraries = maplibs.Libraries

// LibraryHandler serves the pinned library files (Libraries) from dir, a node_modules folder
// that npm ci filled from cartomap/js/package-lock.json, at NAME@VERSION/PATH as a CDN does,
// with CORS headers so that pages of any origin can load them with their integrity hash.
// Anything else is 404: it never serves the rest of dir. Mount it under a prefix with
// http.StripPrefix (cartoauth sandbox --map-libs does).
func LibraryHandler(dir string) http.Handler { return maplibs.Handler(dir) }

// DefaultLibraryURL is the CDN the libraries come from when neither Options.LibraryURL nor
// CARTOMAP_LIBRARY_URL names another base URL.
const DefaultLibraryURL = "https://cdn.jsdelivr.net/npm/"

// EnvLibraryURL names the environment variable with the libraries' base URL, e.g. the
// sandbox's (cartoauth sandbox --map-libs DIR serves them at SANDBOX/cartomap-libs/).
const EnvLibraryURL = maplibs.EnvLibraryURL

// libraryBase returns the base URL to load the libraries from, ending in "/": opt, else the
// environment's, else DefaultLibraryURL. Only http and https URLs are accepted.
func libraryBase(opt string) (string, error) {
	base := opt
	if base == "" {
		base = os.Getenv(EnvLibraryURL)
	}
	if base == "" {
		base = DefaultLibraryURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", &OptionError{Option: "LibraryURL", Reason: "is not an http or https base URL: " + base}
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	return base, nil
}
