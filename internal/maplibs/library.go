// Package maplibs lists the browser library files cartomap's maps load (Libraries, generated
// by cartomap/js/gen-libs.sh) and serves them from disk (Handler). It links nothing of GoNB,
// so that the sandbox in cartoauth can serve them.
package maplibs

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

// EnvLibraryURL names the environment variable with the libraries' base URL.
const EnvLibraryURL = "CARTOMAP_LIBRARY_URL"
