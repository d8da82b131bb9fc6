//go:build !nosandbox

package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/carto-go/carto-auth/internal/maplibs"
)

// TestSandboxMapLibs: with --map-libs the sandbox serves the pinned map library files from the
// folder, with CORS, and nothing else of it.
func TestSandboxMapLibs(t *testing.T) {
	dir := t.TempDir()
	for _, l := range maplibs.Libraries {
		p := filepath.Join(dir, filepath.FromSlash(l.Name), filepath.FromSlash(l.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("// "+l.Name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "other.js"), []byte("no"), 0o644); err != nil {
		t.Fatal(err)
	}
	base, _, _ := startSandbox(t, "--map-libs", dir)
	get := func(path string) (int, string, string) {
		resp, err := http.Get(base + "/cartomap-libs/" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Access-Control-Allow-Origin")
	}
	for _, l := range maplibs.Libraries {
		if code, body, cors := get(l.URLPath()); code != 200 || body != "// "+l.Name || cors != "*" {
			t.Errorf("%s: %d %q CORS %q", l.URLPath(), code, body, cors)
		}
	}
	if code, _, _ := get("other.js"); code != http.StatusNotFound {
		t.Errorf("other.js: %d, want 404", code)
	}
}
