package cartomap

import (
	"bytes"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"time"
)

//go:embed loader.js
var loaderJS string

// pageConfig is everything the page's loader reads, as JSON.
type pageConfig struct {
	ID         string          `json:"id"`
	Libs       []pageLib       `json:"libs"`
	Kind       string          `json:"kind"`
	APIBaseURL string          `json:"apiBaseUrl,omitempty"`
	Token      string          `json:"accessToken,omitempty"`
	Connection string          `json:"connection,omitempty"`
	Table      string          `json:"table,omitempty"`
	SQL        string          `json:"sql,omitempty"`
	Params     map[string]any  `json:"params,omitempty"`
	Spatial    string          `json:"spatialColumn,omitempty"`
	Columns    []string        `json:"columns,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	Bounds     *[4]float64     `json:"bounds,omitempty"`
	Color      *Color          `json:"color,omitempty"`
	Tooltip    []string        `json:"tooltip,omitempty"`
	Basemap    string          `json:"basemap,omitempty"`
	Credit     string          `json:"attribution,omitempty"`
	Note       string          `json:"note,omitempty"`
	Warning    string          `json:"warning,omitempty"`
	ExpiresAt  int64           `json:"expiresAt,omitempty"` // Unix milliseconds
	Height     int             `json:"height"`
	Radius     int             `json:"pointRadius"`
}

// pageLib is one library as the loader reads it.
type pageLib struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	URL       string `json:"url"`
	Integrity string `json:"integrity"`
	Worker    string `json:"worker,omitempty"`
}

// mapToken is the token a page carries and what the map says about it.
type mapToken struct {
	token     string
	expiresAt time.Time
	login     bool // the login's own token
}

// page renders the map's HTML and the plain text shown where HTML is not.
func page(src Source, o Options, tok mapToken, apiBase string) (htmlOut, text string, err error) {
	base, err := libraryBase(o.LibraryURL)
	if err != nil {
		return "", "", err
	}
	id, err := newID()
	if err != nil {
		return "", "", err
	}
	cfg := pageConfig{ID: id, Height: o.Height, Radius: o.PointRadius, Color: o.Color, Tooltip: o.Tooltip}
	if cfg.Height == 0 {
		cfg.Height = DefaultHeight
	}
	if cfg.Radius == 0 {
		cfg.Radius = 5
	}
	for _, l := range Libraries {
		cfg.Libs = append(cfg.Libs, pageLib{l.Name, l.Version, base + l.URLPath(), l.Integrity, l.Worker})
	}
	if u, ok := basemaps[orDefault(o.Basemap, "positron")]; ok {
		cfg.Basemap, cfg.Credit = u, basemapAttribution
	}
	what := src.describe()
	switch src.kind {
	case kindLocal:
		cfg.Kind, cfg.Data, cfg.Bounds = "local", src.local, &src.bounds
	case kindTable, kindQuery:
		cfg.Kind, cfg.APIBaseURL, cfg.Token, cfg.Connection, cfg.Spatial = "table", apiBase, tok.token, src.connection, src.spatial
		cfg.Table = src.table
		if src.kind == kindQuery {
			cfg.Kind, cfg.Table, cfg.SQL, cfg.Params = "query", "", src.sql, src.params
		}
		cfg.Columns = requestedColumns(o)
		until := "never expires"
		if tok.login {
			until = "valid while the login's token is"
		}
		if !tok.expiresAt.IsZero() {
			cfg.ExpiresAt = tok.expiresAt.UnixMilli()
			until = "valid until " + tok.expiresAt.UTC().Format("2006-01-02 15:04 UTC")
		}
		if tok.login {
			cfg.Warning = "This map uses the login's own access token (" + until + "): the saved output carries it, and it reads everything the login can. Clear this output before sharing the notebook."
		} else {
			cfg.Note = "scoped token for " + what + " (Maps API only), " + until
		}
	}
	js, err := scriptJSON(cfg)
	if err != nil {
		return "", "", fmt.Errorf("cartomap: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="cartomap" id="%s" data-cartomap-state="fallback" style="font:12px sans-serif;max-width:100%%">`, id)
	if o.Title != "" {
		fmt.Fprintf(&b, `<div class="cartomap-title" style="font-weight:bold;margin:2px 0">%s</div>`, html.EscapeString(o.Title))
	}
	fmt.Fprintf(&b, `<div class="cartomap-fallback" style="padding:8px;border:1px dashed #999">%s</div>`, html.EscapeString(fallbackText(what)))
	fmt.Fprintf(&b, `<script type="application/json" id="%s-config">%s</script>`, id, js)
	fmt.Fprintf(&b, `<script>%s(%q)</script></div>`, strings.TrimSpace(loaderJS), id)
	text = "Map of " + what
	if cfg.Note != "" {
		text += " (" + cfg.Note + ")"
	}
	if cfg.Warning != "" {
		text += " — " + cfg.Warning
	}
	return b.String(), text + ": open the notebook in Jupyter to see it.", nil
}

// fallbackText is what the page shows where its script does not run.
func fallbackText(what string) string {
	return "An interactive map of " + what + " is here; it draws where the notebook's scripts run. In Jupyter, trust the notebook (File > Trust Notebook) or re-run the cell; a Markdown or text export shows only this line."
}

// requestedColumns are the columns the Maps API must send: the tooltip's and the colour's.
func requestedColumns(o Options) []string {
	var cols []string
	seen := map[string]bool{}
	add := func(c string) {
		if c != "" && !seen[c] {
			seen[c] = true
			cols = append(cols, c)
		}
	}
	for _, c := range o.Tooltip {
		add(c)
	}
	if o.Color != nil {
		add(o.Color.Column)
	}
	return cols
}

// scriptJSON is v as JSON that is safe inside a <script> element: <, >, & and the line
// separators U+2028 and U+2029 are escaped, so no value can end the element or the script.
func scriptJSON(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	s := strings.TrimSuffix(buf.String(), "\n")
	// encoding/json escapes all five already; this keeps it so should that ever change.
	return strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`, "\u2028", `\u2028`, "\u2029", `\u2029`).Replace(s), nil
}

// newID is a fresh element id, so that two maps in one page never share one.
func newID() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("cartomap: %w", err)
	}
	return "cartomap-" + hex.EncodeToString(b[:]), nil
}
