package maplibs

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// Handler serves the pinned library files (Libraries) from dir, a node_modules folder
// that npm ci filled from cartomap/js/package-lock.json, at NAME@VERSION/PATH as a CDN does,
// with CORS headers so that pages of any origin can load them with their integrity hash.
// Anything else is 404: it never serves the rest of dir. Mount it under a prefix with
// http.StripPrefix (the sandbox's cartoauth sandbox --map-libs does).
func Handler(dir string) http.Handler {
	files := map[string]string{}
	for _, l := range Libraries {
		files[l.URLPath()] = filepath.Join(dir, filepath.FromSlash(l.Name), filepath.FromSlash(l.Path))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		path, ok := files[strings.TrimPrefix(r.URL.Path, "/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(path)
		if err != nil {
			http.Error(w, "library not installed here: run npm ci in cartomap/js", http.StatusNotFound)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil || !st.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		http.ServeContent(w, r, "", st.ModTime(), f)
	})
}
