package cartodw_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGonbauthDoesNotLinkGoogleClients keeps the split that package cartodw
// exists for: programs that only log in to CARTO must not link BigQuery, gRPC
// or the Google API clients.
func TestGonbauthDoesNotLinkGoogleClients(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	gomod, err := exec.Command(goTool, "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	cmd := exec.Command(goTool, "list", "-deps", "./gonbauth")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps ./gonbauth in %s: %v", cmd.Dir, err)
	}
	pkgs := strings.Fields(string(out))
	if len(pkgs) == 0 || !strings.Contains(string(out), "github.com/carto-go/carto-auth/gonbauth") {
		t.Fatalf("go list -deps ./gonbauth listed no gonbauth package:\n%s", out)
	}
	banned := []string{"cloud.google.com/go/bigquery", "google.golang.org/grpc", "google.golang.org/api"}
	for _, p := range pkgs {
		for _, b := range banned {
			if p == b || strings.HasPrefix(p, b+"/") {
				t.Errorf("gonbauth depends on %s", p)
			}
		}
	}
}
