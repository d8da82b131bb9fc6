// Package yamlref checks the project's small config.yaml reader (internal/wire.YAMLValue)
// against a full YAML parser, go.yaml.in/yaml/v3 (the maintained home of gopkg.in/yaml.v3),
// which lives in this test module so that the library's module graph gains nothing.
package yamlref

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/carto-go/carto-auth/internal/wire"
)

// path is the one discovery reads.
var path = []string{"apis", "baseUrl"}

// FuzzYAMLValueAgainstYAMLv3 is differential: for every document the full parser reads,
// YAMLValue gives "" or the (trimmed) string that parser finds at the path, and "" wherever
// the parser finds no string there. Documents the parser refuses are not judged.
func FuzzYAMLValueAgainstYAMLv3(f *testing.F) {
	for _, seed := range []string{
		"apis:\n  baseUrl: https://x\n",
		`{"apis": {"baseUrl": "https://x"}}`,
		"apis: {baseUrl: 'a''b', x: [1, {y: z}]}",
		"apis:\n  baseUrl: a\n   b\n",
		"x: |\n  apis:\n    baseUrl: y\n",
		"a: 1\n---\napis:\n  baseUrl: x\n",
		"apis:\n  baseUrl: 2001-12-14\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		got := wire.YAMLValue([]byte(doc), path...)
		want, isString, ok := reference(doc)
		if !ok {
			return
		}
		if got == "" {
			return
		}
		if !isString {
			t.Fatalf("YAMLValue(%q) = %q; the YAML parser finds no string there", doc, got)
		}
		if got != want {
			t.Fatalf("YAMLValue(%q) = %q; the YAML parser finds %q", doc, got, want)
		}
	})
}

// reference is what the full parser finds at path: the trimmed string and true when it is a
// string; ok is false when the parser refuses the document.
func reference(doc string) (value string, isString, ok bool) {
	var v any
	if err := yaml.Unmarshal([]byte(doc), &v); err != nil {
		return "", false, false
	}
	for _, key := range path {
		switch m := v.(type) {
		case map[string]any:
			v = m[key]
		case map[any]any:
			v = m[key]
		default:
			return "", false, true
		}
	}
	s, isString := v.(string)
	return strings.TrimSpace(s), isString, true
}
