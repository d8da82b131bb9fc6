package gonbauth

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestANotebookCellPaysForNoBigQuery: a module that imports only gonbauth — a notebook cell that
// logs in — has no BigQuery, gRPC or OpenTelemetry in its module graph (GoNB resolves the
// graph before every cell); they come with cartodw, a module of its own.
func TestANotebookCellPaysForNoBigQuery(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod": "module example.com/cell\n\ngo 1.26.0\n\nrequire github.com/carto-go/carto-auth v0.0.0\n\n" +
			"replace github.com/carto-go/carto-auth => " + root + "\n",
		"go.sum":  string(sum),
		"main.go": "package main\n\nimport \"github.com/carto-go/carto-auth/gonbauth\"\n\nvar _ = gonbauth.Login\n\nfunc main() {}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "list", "-m", "all")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -m all: %v\n%s", err, out)
	}
	mods := strings.Fields(string(out))
	if len(mods) < 5 || !strings.Contains(string(out), "github.com/janpfeifer/gonb") {
		t.Fatalf("go list -m all listed too little:\n%s", out)
	}
	for _, m := range mods {
		for _, banned := range []string{"cloud.google.com/go/bigquery", "google.golang.org/grpc", "go.opentelemetry.io/otel", "github.com/apache/arrow"} {
			if m == banned || strings.HasPrefix(m, banned+"/") {
				t.Errorf("a module importing only gonbauth lists %s", m)
			}
		}
	}
	t.Logf("a module importing only gonbauth lists %d modules", len(strings.Split(strings.TrimSpace(string(out)), "\n")))
}
