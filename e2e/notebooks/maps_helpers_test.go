package notebooks_test

// Helpers of the map tests (cartomap): the stand-in serving the pinned libraries, a Chromium
// that draws WebGL in software, and the checks run on a drawn map in the page.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-rod/rod"

	"github.com/carto-go/carto-auth/cartomap"
	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/e2e/browser"
	"github.com/carto-go/carto-auth/e2e/testenv"
)

// mapLibsPrefix is where the tests' stand-in serves the map libraries, as the sandbox does.
const mapLibsPrefix = "/cartomap-libs"

// mapLibsDir is the folder scripts/install-deps.sh --e2e installed the pinned libraries into;
// a test fails (E2E_STRICT=1) or skips without it.
func mapLibsDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(testenv.RepoRoot(t), "cartomap", "js", "node_modules")
	for _, l := range cartomap.Libraries {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(l.Name), filepath.FromSlash(l.Path))); err != nil {
			testenv.Missing(t, "the map libraries", err.Error())
		}
	}
	return dir
}

// serveMapLibs mounts the pinned libraries on the stand-in and returns the kernel environment
// line pointing cartomap at them.
func serveMapLibs(t *testing.T, srv *cartotest.Server) string {
	t.Helper()
	srv.Mount(mapLibsPrefix, http.StripPrefix(mapLibsPrefix+"/", cartomap.LibraryHandler(mapLibsDir(t))))
	return cartomap.EnvLibraryURL + "=" + srv.URL + mapLibsPrefix + "/"
}

// webGLFlags are the Chromium switches that draw WebGL 2 in software (SwiftShader), as the
// shared notes measured.
var webGLFlags = []string{"use-angle=swiftshader", "enable-unsafe-swiftshader", "ignore-gpu-blocklist"}

// mapState is what a map element says about itself.
type mapState struct {
	State  string `json:"state"`
	Status string `json:"status"`
	Note   string `json:"note"`
	Warn   string `json:"warning"`
	Drawn  int    `json:"drawnMs"`
	Legend string `json:"legend"`
}

// mapStateJS reads a map element's state (this: the .cartomap element).
const mapStateJS = `function() { const q = (s) => { const e = this.querySelector(s); return e ? e.textContent : '' };
	return JSON.stringify({state: this.getAttribute('data-cartomap-state'), status: q('.cartomap-status'),
		note: q('.cartomap-note'), warning: q('.cartomap-warning'), drawnMs: this.cartomapDrawnMs || 0,
		legend: q('.cartomap-legend')}) }`

// waitMap waits until the map element reaches "drawn" or "error" (its tile layer reported its
// viewport loaded, then a frame was drawn; or the loader said what failed).
func waitMap(ctx context.Context, el *rod.Element) (mapState, error) {
	var s mapState
	for {
		r, err := el.Context(ctx).Eval(mapStateJS)
		if err != nil {
			return s, err
		}
		if err := json.Unmarshal([]byte(r.Value.Str()), &s); err != nil {
			return s, err
		}
		if s.State == "drawn" || s.State == "error" {
			return s, nil
		}
		select {
		case <-ctx.Done():
			return s, fmt.Errorf("the map is still %q (%s): %w", s.State, s.Status, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// pickAt finds the feature drawn at each lon/lat (projected to its pixel by the map's own
// viewport) with the Deck instance's pickObject, and returns the value of column for each ("" when
// nothing is there).
func pickAt(ctx context.Context, el *rod.Element, column string, points [][2]float64) ([]string, error) {
	pts, _ := json.Marshal(points)
	r, err := el.Context(ctx).Eval(`function(pts, col) { const d = this.cartomapDeck; const vp = d.getViewports()[0];
		return JSON.stringify(JSON.parse(pts).map(p => { const [x, y] = vp.project(p);
			const o = d.pickObject({x, y, radius: 4, layerIds: ['data']});
			const v = o && o.object && o.object.properties ? o.object.properties[col] : undefined;
			return v === undefined || v === null ? '' : String(v); })) }`, string(pts), column)
	if err != nil {
		return nil, err
	}
	var out []string
	err = json.Unmarshal([]byte(r.Value.Str()), &out)
	return out, err
}

// zoomTo moves the map's view to lon/lat at zoom and waits until its tile layer has loaded
// the new viewport and a frame is drawn.
func zoomTo(ctx context.Context, el *rod.Element, lon, lat, zoom float64) error {
	_, err := el.Context(ctx).Eval(`function(lon, lat, zoom) { const n = this.cartomapViewportLoads || 0;
		this.cartomapDeck.setProps({initialViewState: {longitude: lon, latitude: lat, zoom: zoom}});
		return new Promise(ok => { const f = () => (this.cartomapViewportLoads || 0) > n ?
			requestAnimationFrame(() => requestAnimationFrame(() => ok(true))) : setTimeout(f, 50); f() }) }`, lon, lat, zoom)
	return err
}

// launchWebGL starts a Chromium that draws WebGL in software.
func launchWebGL(t *testing.T) *browser.Browser {
	t.Helper()
	return browser.LaunchT(t, webGLFlags...)
}

// rodElement is go-rod's element.
type rodElement = rod.Element

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
