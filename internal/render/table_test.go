package render

import (
	"strings"
	"testing"
)

// TestTableEscapesEverything: headers and cells that look like markup arrive as text.
func TestTableEscapesEverything(t *testing.T) {
	t.Parallel()
	payload := `<img src=x onerror="alert(1)"><script>alert(2)</script>`
	out := Table([]string{"name", payload}, [][]string{{payload, "a & b"}}, 3)
	for _, bad := range []string{"<img", "<script", `onerror="`} {
		if strings.Contains(out, bad) {
			t.Errorf("the table holds %q unescaped:\n%s", bad, out)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "a &amp; b", "3 more rows", "<th", "<td"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(Table([]string{"a"}, nil, 0), "more") {
		t.Error("a complete table says there are more rows")
	}
	if !strings.Contains(Table([]string{"a"}, nil, 1), "1 more row<") {
		t.Error("one more row is not said in the singular")
	}
}
