package carto

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// TestTheEnvironmentIsReadInOnePlace: no engine or notebook file but facts.go reads the
// process's environment; everything else gets it from the facts.
func TestTheEnvironmentIsReadInOnePlace(t *testing.T) {
	t.Parallel()
	readers := map[string]bool{"Getenv": true, "LookupEnv": true, "Environ": true, "ExpandEnv": true}
	for _, dir := range []string{".", "../internal/cache", "../internal/flow", "../internal/wire", "../internal/prompt",
		"../internal/render", "../internal/where", "../gonbauth", "../display"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") || filepath.Clean(path) == "facts.go" {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if pkg, ok := sel.X.(*ast.Ident); ok && (pkg.Name == "os" || pkg.Name == "syscall") && readers[sel.Sel.Name] {
						t.Errorf("%s reads the environment (%s.%s): take it from the facts (carto/facts.go)", path, pkg.Name, sel.Sel.Name)
					}
				}
				return true
			})
		}
	}
}

// cardPrompter stands for the notebook card: a Prober.
type cardPrompter struct{ fakePrompter }

func (*cardPrompter) Probes() bool { return true }

// TestWhoCanAnswer: the environments the engine knows, and who answers a login in each.
func TestWhoCanAnswer(t *testing.T) {
	t.Parallel()
	var (
		card     = &cardPrompter{}
		terminal = NewTerminal(strings.NewReader(""), &strings.Builder{}) // the CLI's, on pipes
	)
	for _, tc := range []struct {
		name      string
		opts      OAuthOptions
		facts     facts
		chain     bool
		who       string
		nobodyHas string // a word of why nobody can; "" when someone can
	}{
		{"a notebook cell in JupyterLab", OAuthOptions{Prompter: card}, facts{}, true, "the notebook card", ""},
		{"a notebook run by papermill", OAuthOptions{Prompter: card}, facts{unattended: func() string { return "run by papermill" }}, true, "", "papermill"},
		{"a notebook cell in CI", OAuthOptions{Prompter: card}, facts{unattended: func() string { return "CI is set" }}, false, "", "CI is set"},
		{"an agent driving cartoauth login through pipes", OAuthOptions{Prompter: terminal}, facts{}, true, "the caller's prompter", ""},
		{"a program on a terminal", OAuthOptions{}, facts{stdinTerminal: true}, true, "this terminal", ""},
		{"Login in a cron job", OAuthOptions{}, facts{}, true, "", "not a terminal"},
		{"FromOAuth with standard input from a pipe", OAuthOptions{}, facts{}, false, "standard input", ""},
		{"interaction disabled, even with a card", OAuthOptions{Prompter: card, DisableInteraction: true}, facts{}, true, "", "disabled"},
		{"interaction disabled on a terminal", OAuthOptions{DisableInteraction: true}, facts{stdinTerminal: true}, false, "", "disabled"},
	} {
		f := tc.facts
		if f.unattended == nil {
			f.unattended = func() string { return "" }
		}
		got := whoCanAnswer(&tc.opts, &f, tc.chain)
		if got.who != tc.who || (tc.nobodyHas == "") != got.can() || !strings.Contains(got.nobody, tc.nobodyHas) {
			t.Errorf("%s: %+v; want who %q, nobody saying %q", tc.name, got, tc.who, tc.nobodyHas)
		}
	}
}

var _ prompt.Prober = (*cardPrompter)(nil)
