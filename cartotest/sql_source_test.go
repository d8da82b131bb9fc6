package cartotest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sqlTestFiles are the tests whose statements the SQL API must answer by running them.
var sqlTestFiles = []string{"sql_eval_test.go", "sql_test.go", "../carto/sandbox_query_test.go"}

// TestSQLAnswersAreNotWrittenOut: no statement of the SQL API's tests is a string of the
// package's code, nor (if longer than two words) anywhere in its text, comments included (in
// any case, spacing aside): the answers come from the evaluator, not from a list.
func TestSQLAnswersAreNotWrittenOut(t *testing.T) {
	t.Parallel()
	var text strings.Builder
	literals := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text.WriteString(sqlNormalized(string(b)) + "\n")
		for _, s := range stringLiterals(t, f) {
			literals[sqlNormalized(s)] = true
		}
	}
	n := 0
	for _, f := range sqlTestFiles {
		for _, s := range stringLiterals(t, f) {
			q := sqlNormalized(s)
			if !sqlStatementStart(q) || len(strings.Fields(q)) < 2 {
				continue
			}
			n++
			if literals[q] || literals[strings.TrimSuffix(q, ";")] ||
				len(strings.Fields(q)) > 2 && strings.Contains(text.String(), q) {
				t.Errorf("%s: the package's code holds %q", f, s)
			}
		}
	}
	if n < 50 {
		t.Errorf("found only %d statements in %v", n, sqlTestFiles)
	}
}

// sqlStatementStart reports whether q (normalized) starts as a statement does.
func sqlStatementStart(q string) bool {
	first, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(q), `{"q": "`), " ")
	switch first {
	case "select", "with", "drop", "insert", "update", "delete":
		return true
	}
	return false
}

// sqlNormalized is s in lower case with runs of white space as one space.
func sqlNormalized(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// stringLiterals returns the string literals of a Go file.
func stringLiterals(t *testing.T, path string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil {
				out = append(out, s)
			}
		}
		return true
	})
	return out
}
