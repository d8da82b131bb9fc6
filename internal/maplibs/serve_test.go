package maplibs

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestHandlerServesOnlyPinnedFiles(t *testing.T) {
	dir := t.TempDir()
	for _, l := range Libraries {
		p := filepath.Join(dir, filepath.FromSlash(l.Name), l.Path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("// "+l.Name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte("no"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := Handler(dir)
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	w := get("/" + Libraries[0].URLPath())
	if w.Code != 200 || w.Body.String() != "// "+Libraries[0].Name || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("pinned file: %d %q %v", w.Code, w.Body, w.Header())
	}
	for _, p := range []string{"/secret.txt", "/deck.gl@9.3.0/dist.min.js", "/deck.gl@9.4.0/package.json", "/../secret.txt"} {
		if w := get(p); w.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, w.Code)
		}
	}
}
