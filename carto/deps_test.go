package carto

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineLinksNoNotebook: the engine and the CLI link nothing of GoNB (gonbui, klog) and
// no QR code library; only gonbauth and display do.
func TestEngineLinksNoNotebook(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	for _, pkg := range []string{"github.com/carto-go/carto-auth/carto", "github.com/carto-go/carto-auth/cmd/cartoauth"} {
		out, err := exec.Command("go", "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		if !strings.Contains(string(out), "golang.org/x/oauth2") {
			t.Fatalf("go list -deps %s listed no x/oauth2:\n%s", pkg, out)
		}
		for _, p := range strings.Fields(string(out)) {
			for _, banned := range []string{"github.com/janpfeifer/gonb", "k8s.io/klog", "github.com/skip2/go-qrcode", "github.com/carto-go/carto-auth/display", "github.com/carto-go/carto-auth/gonbauth"} {
				if p == banned || strings.HasPrefix(p, banned+"/") {
					t.Errorf("%s links %s", pkg, p)
				}
			}
		}
	}
}
