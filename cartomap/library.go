package cartomap

import (
	"net/url"
	"os"
	"strings"
)

// Library is one browser library file a map loads.
type Library struct {
	// Name is the npm package, e.g. "deck.gl".
	Name string
	// Version is its exact version.
	Version string
	// Path is the file inside the package, e.g. "dist.min.js".
	Path string
	// Integrity is the file's Subresource Integrity hash ("sha384-...").
	Integrity string
	// Worker, when set, is the loaders.gl worker id the file is the worker of ("mvt"): the
	// page fetches it with its hash and starts it from a blob: URL, instead of loaders.gl
	// fetching an unpinned copy from unpkg.
	Worker string
}

// URLPath is where the file is below a library base URL: NAME@VERSION/PATH, as jsDelivr and
// unpkg lay out npm packages.
func (l Library) URLPath() string { return l.Name + "@" + l.Version + "/" + l.Path }

// DefaultLibraryURL is the CDN the libraries come from when neither Options.LibraryURL nor
// CARTOMAP_LIBRARY_URL names another base URL.
const DefaultLibraryURL = "https://cdn.jsdelivr.net/npm/"

// EnvLibraryURL names the environment variable with the libraries' base URL, e.g. the
// sandbox's (cartoauth sandbox --map-libs DIR serves them at SANDBOX/cartomap-libs/).
const EnvLibraryURL = "CARTOMAP_LIBRARY_URL"

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
