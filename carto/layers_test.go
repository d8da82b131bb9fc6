package carto

import (
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// engineDirs are the engine's packages, the notebook's two, the CLI and the CARTO stand-in,
// whose files must not depend on each other in a cycle: each file uses what files below it
// declare, never a file that uses it.
var engineDirs = []string{".", "../internal/cache", "../internal/flow", "../internal/wire", "../internal/prompt", "../internal/render", "../gonbauth", "../display", "../cmd/cartoauth", "../cartotest"}

// taggedDirs are packages checked once more with build tags, as each of those builds has its
// own files.
var taggedDirs = []struct {
	dir  string
	tags []string
}{{"../cmd/cartoauth", []string{"nosandbox"}}}

// TestNoCyclesBetweenFiles draws, for each package of engineDirs and taggedDirs, which of its
// files use a name that another of its files declares, and fails on any cycle, naming it.
func TestNoCyclesBetweenFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the engine from source")
	}
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil) // one, so dependencies are checked once
	check := func(dir string, tags []string) {
		edges := fileEdges(t, dir, tags, imp)
		if cycle := findCycle(edges); cycle != nil {
			t.Errorf("%s (tags %v): files depend on each other in a cycle: %s", dir, tags, strings.Join(cycle, " → "))
		}
	}
	for _, dir := range engineDirs {
		check(dir, nil)
	}
	for _, td := range taggedDirs {
		check(td.dir, td.tags)
	}
}

// fileEdges returns, for the package in dir (its non-test files for this platform and these
// build tags), the files each file uses declarations of.
func fileEdges(t *testing.T, dir string, tags []string, imp types.Importer) map[string][]string {
	t.Helper()
	ctx := build.Default
	ctx.BuildTags = append(slices.Clone(ctx.BuildTags), tags...)
	bp, err := ctx.ImportDir(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: imp}
	pkg, err := conf.Check(bp.ImportPath, fset, files, info)
	if err != nil {
		t.Fatal(err)
	}
	fileOf := func(obj types.Object) string {
		if obj == nil || obj.Pkg() != pkg || !obj.Pos().IsValid() {
			return ""
		}
		return filepath.Base(fset.Position(obj.Pos()).Filename)
	}
	set := map[string]map[string]bool{}
	add := func(from token.Pos, obj types.Object) {
		src, dst := filepath.Base(fset.Position(from).Filename), fileOf(obj)
		if dst == "" || dst == src {
			return
		}
		if set[src] == nil {
			set[src] = map[string]bool{}
		}
		set[src][dst] = true
	}
	for id, obj := range info.Uses {
		add(id.Pos(), obj)
	}
	for sel, s := range info.Selections {
		add(sel.Pos(), s.Obj())
	}
	edges := map[string][]string{}
	for src, dsts := range set {
		for dst := range dsts {
			edges[src] = append(edges[src], dst)
		}
		slices.Sort(edges[src])
	}
	return edges
}

// findCycle returns a cycle of the graph (its nodes in order, the first repeated at the end),
// or nil.
func findCycle(edges map[string][]string) []string {
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(n string) []string
	visit = func(n string) []string {
		state[n] = open
		path = append(path, n)
		for _, m := range edges[n] {
			switch state[m] {
			case open:
				i := slices.Index(path, m)
				return append(slices.Clone(path[i:]), m)
			case unseen:
				if c := visit(m); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		state[n] = done
		return nil
	}
	nodes := make([]string, 0, len(edges))
	for n := range edges {
		nodes = append(nodes, n)
	}
	slices.Sort(nodes)
	for _, n := range nodes {
		if state[n] == unseen {
			if c := visit(n); c != nil {
				return c
			}
		}
	}
	return nil
}

// TestFindCycle checks the check itself: it finds a cycle that is there, and none otherwise.
func TestFindCycle(t *testing.T) {
	t.Parallel()
	if c := findCycle(map[string][]string{"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}); len(c) != 4 || c[0] != c[3] {
		t.Errorf("cycle a→b→c→a not found: %v", c)
	}
	if c := findCycle(map[string][]string{"a": {"b", "c"}, "b": {"c"}, "d": {"a"}}); c != nil {
		t.Errorf("a cycle found in a graph without one: %v", c)
	}
}
