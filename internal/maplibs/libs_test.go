package maplibs

import (
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// installedLibs is where scripts/install-deps.sh (--e2e, --map-libs) installs the libraries.
const installedLibs = "../../cartomap/js/node_modules"

// TestLibrariesMatchInstalled checks the committed hashes and versions against the files npm ci
// installed from the lockfile: run cartomap/js/gen-libs.sh after changing the lockfile.
func TestLibrariesMatchInstalled(t *testing.T) {
	if _, err := os.Stat(installedLibs); err != nil {
		if mustHaveLibs() {
			t.Fatalf("%s is missing: run scripts/install-deps.sh --map-libs", installedLibs)
		}
		t.Skipf("%s is missing: run scripts/install-deps.sh --map-libs", installedLibs)
	}
	if len(Libraries) != 7 {
		t.Fatalf("Libraries has %d entries, want deck.gl, @deck.gl/carto, loaders.gl's MVT worker and @deck.gl/carto's four", len(Libraries))
	}
	for _, l := range Libraries {
		dir := filepath.Join(installedLibs, filepath.FromSlash(l.Name))
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(l.Path)))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha512.Sum384(b)
		if got := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); got != l.Integrity {
			t.Errorf("%s: installed file hashes to %s, libs.go says %s (run cartomap/js/gen-libs.sh)", l.URLPath(), got, l.Integrity)
		}
		var pkg struct{ Version string }
		pj, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(pj, &pkg); err != nil || pkg.Version != l.Version {
			t.Errorf("%s: installed version %q, libs.go says %s", l.Name, pkg.Version, l.Version)
		}
	}
}

// TestLockfilePinsExactVersions checks that package.json names exact versions, the ones of
// libs.go.
func TestLockfilePinsExactVersions(t *testing.T) {
	b, err := os.ReadFile("../../cartomap/js/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Dependencies map[string]string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		t.Fatal(err)
	}
	for _, l := range Libraries {
		if pkg.Dependencies[l.Name] != l.Version {
			t.Errorf("package.json pins %s at %q, libs.go says %s", l.Name, pkg.Dependencies[l.Name], l.Version)
		}
	}
}

// TestEveryWorkerOfTheBundlesIsPinned: each loaders.gl worker the bundles would start from
// unpkg (unpinned, unchecked) is in Libraries, so that the page starts the pinned copy.
func TestEveryWorkerOfTheBundlesIsPinned(t *testing.T) {
	pinned := map[string]bool{}
	for _, l := range Libraries {
		if l.Worker != "" {
			pinned[l.Worker] = true
		}
	}
	found := 0
	for _, l := range Libraries {
		if l.Worker != "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(installedLibs, filepath.FromSlash(l.Name), filepath.FromSlash(l.Path)))
		if err != nil {
			if mustHaveLibs() {
				t.Fatal(err)
			}
			t.Skip(err)
		}
		for _, m := range workerLoaderID.FindAllSubmatch(b, -1) {
			found++
			if id := string(m[1]); !pinned[id] {
				t.Errorf("%s starts worker %s from unpkg: pin it (cartomap/js/gen-libs.sh)", l.URLPath(), id)
			}
		}
	}
	if found == 0 {
		t.Error("no worker loader found in the bundles: the pattern no longer matches them")
	}
}

// workerLoaderID matches the id of a loaders.gl loader that runs in a worker, as the bundles
// declare it: deck.gl's `id:"mvt"`, @deck.gl/carto's minified `X="cartoVectorTile"`, ...
var workerLoaderID = regexp.MustCompile(`(?:id:\s*|=)"(mvt|carto[A-Za-z]*Tile)"`)

// mustHaveLibs says that missing installed libraries fail the tests instead of skipping them:
// under CI, or E2E_STRICT=1 (make test installs them first).
func mustHaveLibs() bool { return os.Getenv("E2E_STRICT") == "1" || os.Getenv("CI") != "" }
