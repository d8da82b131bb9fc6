package wire

import (
	"slices"

	"context"
	"encoding/json"
	"github.com/carto-go/carto-auth/internal/hint"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestYAMLValue(t *testing.T) {
	t.Parallel()
	doc := `# comment
auth:
  baseUrl: https://wrong.example.com
apis:
  # the one we want
  workspaceUrl: https://ws.example.com
  baseUrl: "https://gcp-us-east1.api.carto.com"   # trailing comment
  nested:
    baseUrl: https://deeper.example.com
features:
  baseUrl: https://also-wrong.example.com
`
	cases := []struct {
		doc  string
		path []string
		want string
	}{
		{doc, []string{"apis", "baseUrl"}, "https://gcp-us-east1.api.carto.com"},
		{doc, []string{"apis", "workspaceUrl"}, "https://ws.example.com"},
		{doc, []string{"apis", "nested", "baseUrl"}, "https://deeper.example.com"},
		{"apis:\n  other: 1\nbaseUrl: https://top.example.com\n", []string{"apis", "baseUrl"}, ""},
		{"apis: {}\n", []string{"apis", "baseUrl"}, ""},
		{"other:\n  apis:\n    baseUrl: https://evil.example.com\napis:\n  baseUrl: https://good.example.com\n", []string{"apis", "baseUrl"}, "https://good.example.com"},
		{"apis:\n  baseUrl: 'https://q.example.com'\n", []string{"apis", "baseUrl"}, "https://q.example.com"},
		// Every other way to write the same document.
		{`{"apis": {"baseUrl": "https://json.example.com", "workspaceUrl": "https://ws"}}`, []string{"apis", "baseUrl"}, "https://json.example.com"},
		{"apis: {baseUrl: https://flow.example.com, workspaceUrl: https://ws}\n", []string{"apis", "baseUrl"}, "https://flow.example.com"},
		{"big: " + strings.Repeat("x", 100<<10) + "\napis:\n  baseUrl: https://long.example.com\n", []string{"apis", "baseUrl"}, "https://long.example.com"},
		{"apis:\r\n  baseUrl: https://crlf.example.com\r\n", []string{"apis", "baseUrl"}, "https://crlf.example.com"},
		{"\xef\xbb\xbfapis:\n  baseUrl: https://bom.example.com\n", []string{"apis", "baseUrl"}, "https://bom.example.com"},
		{"apis:\n  baseUrl: https://tab.example.com\t# comment\n", []string{"apis", "baseUrl"}, "https://tab.example.com"},
		{"\"apis\":\n  'baseUrl': https://quoted-keys.example.com\n", []string{"apis", "baseUrl"}, "https://quoted-keys.example.com"},
		{"apis:\n  baseUrl: [not, a, string]\n", []string{"apis", "baseUrl"}, ""},
		{"apis: [\n", []string{"apis", "baseUrl"}, ""},
	}
	for _, c := range cases {
		if got := YAMLValue([]byte(c.doc), c.path...); got != c.want {
			t.Errorf("YAMLValue(%v) = %q, want %q", c.path, got, c.want)
		}
	}
}

func TestDiscoveryErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		accounts, config string
		want             string
	}{
		"accounts error field": {`{"error": "user not found"}`, "", "user not found"},
		"bad tenant":           {`{"tenant_domain": "evil.com/x?"}`, "", "no usable tenant_domain"},
		"not json":             {`<html>`, "", "not valid JSON"},
		"no baseUrl":           {`{"tenant_domain": "HOST"}`, "apis:\n  workspaceUrl: x\n", "has no apis.baseUrl"},
		"insecure baseUrl":     {`{"tenant_domain": "HOST"}`, "apis:\n  baseUrl: http://api.example.com\n", "insecure URL"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/accounts" {
					w.Write([]byte(strings.ReplaceAll(c.accounts, "HOST", strings.TrimPrefix(srv.URL, "http://"))))
					return
				}
				w.Write([]byte(c.config))
			}))
			defer srv.Close()
			ep, _ := NewEndpoints(srv.URL)
			client := &Client{HC: http.DefaultClient, Log: slog.New(slog.DiscardHandler)}
			_, _, err := client.Discover(context.Background(), ep, "the-access-token")
			if err == nil || !strings.Contains(err.Error(), c.want) || !slices.Contains(hint.Of(err), hint.APIBaseURL) {
				t.Fatalf("err = %v; want %q and the way to give the base URL", err, c.want)
			}
			if strings.Contains(err.Error(), "the-access-token") {
				t.Errorf("the token leaked into %q", err)
			}
		})
	}
}

// TestYAMLValueReadsWhatYAMLSays: values that YAML reads as something other than a string,
// quoting rules, and a whole config.yaml of the shape CARTO serves.
func TestYAMLValueReadsWhatYAMLSays(t *testing.T) {
	t.Parallel()
	config := "# CARTO tenant configuration\nversion: 1\ntenant:\n  id: acme\n  domain: acme.app.carto.com\n" +
		"auth:\n  baseUrl: https://auth.example.com/oauth\n  organizations: []\napis:\n" +
		"  # Base URL of the CARTO APIs\n  baseUrl: https://gcp-us-east1.api.carto.com\n  sqlUrl: \"https://gcp-us-east1.api.carto.com/v3/sql\"\n" +
		"features:\n  - name: x\n    baseUrl: https://list.example.com\n"
	for doc, want := range map[string]string{
		config:                                                             "https://gcp-us-east1.api.carto.com",
		"apis:\n  baseUrl: 8080\n":                                         "",
		"apis:\n  baseUrl: true\n":                                         "",
		"apis:\n  baseUrl: ~\n":                                            "",
		"apis:\n  baseUrl:\n":                                              "",
		"apis:\n  baseUrl: |\n    https://x\n":                             "",
		"apis:\n  baseUrl: 'it''s'\n":                                      "it's",
		"apis:\n  baseUrl: \"a\\u0041 #b\"\n":                              "aA #b",
		"apis:\n  baseUrl: https://x # c\n  baseUrl2: y\n":                 "https://x",
		"apis:\n\tbaseUrl: https://tabs\n":                                 "",
		"apis: {baseUrl: 'https://q', other: [1, {a: b}]}":                 "https://q",
		`{"apis": {"other": {"baseUrl": "x"}, "baseUrl": "https://j\/s"}}`: "https://j/s",
		"{apis: {baseUrl: https://unclosed":                                "",
		"- apis:\n    baseUrl: https://in-a-list\n":                        "",
		`"apis": {"baseUrl": "0"}`:                                         "0", // quoted: a string
		`"apis":{"baseUrl":"0"}`:                                           "",  // no mapping: ':' needs a space in a block
		`"apis":{"baseUrl":0}`:                                             "",
		"apis:\n  baseUrl: a\n   b\n":                                      "", // folded: "a b"
		"x: |\n  apis:\n    baseUrl: y\n":                                  "", // text of a block scalar
		"a: 1\n---\napis:\n  baseUrl: x\n":                                 "", // the second document
		"---\napis:\n  baseUrl: x\n...\n":                                  "x",
		"---\n---\napis:\n baseUrl: A":                                     "", // the first document is empty
		"apis:\n baseUrl: 0\r  0":                                          "", // a lone CR breaks the line
		"---\n...\napis:\n baseUrl: A":                                     "",
		"apis:\n  -\n    baseUrl: x\n":                                     "", // in a sequence
		"apis:\n  \"\\x62aseUrl\":\n    baseUrl: x\n":                      "", // below a key not read
		"apis: {a: x,\n  baseUrl: z}\n":                                    "",
		"apis:\n  baseUrl: 2001-12-14\n":                                   "", // a timestamp
		"{apis: {baseUrl: a\n  b}}":                                        "",
		"{apis: {baseUrl: a #c\n}}":                                        "",
	} {
		if got := YAMLValue([]byte(doc), "apis", "baseUrl"); got != want {
			t.Errorf("YAMLValue(%q) = %q, want %q", doc, got, want)
		}
	}
	if got := YAMLValue([]byte(config), "tenant", "domain"); got != "acme.app.carto.com" {
		t.Errorf("tenant.domain = %q", got)
	}
}

// FuzzYAMLValue checks properties that hold whatever the document: the value is trimmed, it
// reads back the same from the plainest document that holds it quoted, and a JSON document gives
// "" or the string encoding/json finds there ("" where that is no string). The comparison with a
// full YAML parser is e2e/yamlref's FuzzYAMLValueAgainstYAMLv3, which shares this corpus.
func FuzzYAMLValue(f *testing.F) {
	f.Add("apis:\n  baseUrl: https://x\n")
	f.Add(`{"apis": {"baseUrl": "https://x"}}`)
	f.Add("apis: {baseUrl: 'a''b', x: [1, {y: z}]}")
	f.Add(`{"apis": {"baseUrl": 0}}`)
	f.Fuzz(func(t *testing.T, doc string) {
		v := YAMLValue([]byte(doc), "apis", "baseUrl")
		if v != strings.TrimSpace(v) {
			t.Fatalf("YAMLValue(%q) = %q, not trimmed", doc, v)
		}
		if v != "" {
			q, _ := json.Marshal(v)
			if back := YAMLValue([]byte("apis:\n  baseUrl: "+string(q)+"\n"), "apis", "baseUrl"); back != v {
				t.Fatalf("YAMLValue(%q) = %q, but %q quoted reads back as %q", doc, v, v, back)
			}
		}
		var m map[string]any
		if json.Unmarshal([]byte(doc), &m) != nil {
			return
		}
		apis, _ := m["apis"].(map[string]any)
		s, isString := apis["baseUrl"].(string)
		if v != "" && (!isString || v != strings.TrimSpace(s)) {
			t.Fatalf("YAMLValue(%q) = %q; encoding/json finds %#v", doc, v, apis["baseUrl"])
		}
	})
}
