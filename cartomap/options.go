package cartomap

import (
	"fmt"
	"time"
)

// DefaultTokenLifetime is how long a map's scoped token is valid unless Options.TokenLifetime
// says otherwise. A saved map stops drawing after it: re-run the cell for a new token.
const DefaultTokenLifetime = 24 * time.Hour

// DefaultHeight is a map's height in pixels unless Options.Height says otherwise.
const DefaultHeight = 420

// Options configure a map; the zero value is a map of the source in one colour on CARTO's
// Positron basemap, read with a scoped token valid for DefaultTokenLifetime.
type Options struct {
	// Title is a line of text above the map.
	Title string
	// Height is the map's height in pixels (DefaultHeight when 0).
	Height int
	// Color colours the features by a column, with a legend (ColorBins, ColorCategories,
	// ColorContinuous); nil draws them in one colour.
	Color *Color
	// Tooltip are the columns shown, as text, when the pointer is over a feature. The Maps API
	// sends only the columns a map asks for: these and Color's.
	Tooltip []string
	// Basemap is "positron" (the default), "voyager", "dark-matter" (CARTO's basemaps, as
	// raster tiles) or "none". The data still draws when the basemap cannot be fetched.
	Basemap string
	// TokenLifetime is how long the map's scoped token is valid (DefaultTokenLifetime when
	// 0). CARTO sets it at creation: a saved map draws until then.
	TokenLifetime time.Duration
	// Referers, when given, are the only web origins the token works from (a page that shows
	// the saved map elsewhere, e.g. https://example.com).
	Referers []string
	// UseLoginToken draws with the login's own access token instead of a scoped one. The
	// saved output then carries that token, which reads everything the login can: the map
	// says so. Only for sources a scoped token cannot be granted.
	UseLoginToken bool
	// LibraryURL is the base URL the libraries are loaded from (NAME@VERSION/PATH below it);
	// default CARTOMAP_LIBRARY_URL, else DefaultLibraryURL.
	LibraryURL string
	// PointRadius is the radius of points in pixels (5 when 0).
	PointRadius int
}

// ColorKind is how a column's values map to colours.
type ColorKind string

// The colour functions of @deck.gl/carto.
const (
	// Bins colours numbers by the interval of thresholds they fall in (colorBins).
	Bins ColorKind = "bins"
	// Categories colours each listed value in its own colour, others in one more
	// (colorCategories).
	Categories ColorKind = "categories"
	// Continuous colours numbers along a gradient between the domain's values
	// (colorContinuous).
	Continuous ColorKind = "continuous"
)

// Color colours features by a column's values with a CARTOColors palette (Palette: a name
// such as "PurpOr", "Sunset", "Teal", "Bold", "Vivid", "Prism"; see https://carto.com/carto-colors/).
type Color struct {
	Column  string    `json:"column"`
	Kind    ColorKind `json:"kind"`
	Domain  []any     `json:"domain"`
	Palette string    `json:"palette"`
}

// ColorBins colours by the bin a number falls in: below thresholds[0], between consecutive
// thresholds, and from the last one up (len(thresholds)+1 colours).
func ColorBins(column string, thresholds []float64, palette string) *Color {
	return &Color{Column: column, Kind: Bins, Domain: floats(thresholds), Palette: orDefault(palette, "PurpOr")}
}

// ColorCategories colours each of the values in its own colour and any other value in one
// more.
func ColorCategories(column string, values []string, palette string) *Color {
	d := make([]any, len(values))
	for i, v := range values {
		d[i] = v
	}
	return &Color{Column: column, Kind: Categories, Domain: d, Palette: orDefault(palette, "Bold")}
}

// ColorContinuous colours numbers along a gradient through the palette, from domain[0] to
// the last value.
func ColorContinuous(column string, domain []float64, palette string) *Color {
	return &Color{Column: column, Kind: Continuous, Domain: floats(domain), Palette: orDefault(palette, "Sunset")}
}

func floats(xs []float64) []any {
	d := make([]any, len(xs))
	for i, x := range xs {
		d[i] = x
	}
	return d
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// OptionError reports an option a map cannot be drawn with.
type OptionError struct {
	Option, Reason string
}

func (e *OptionError) Error() string { return "cartomap: option " + e.Option + " " + e.Reason }

// basemaps are CARTO's raster basemaps by name.
var basemaps = map[string]string{
	"positron":    "https://basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
	"voyager":     "https://basemaps.cartocdn.com/rastertiles/voyager/{z}/{x}/{y}.png",
	"dark-matter": "https://basemaps.cartocdn.com/dark_all/{z}/{x}/{y}.png",
}

// basemapAttribution is what CARTO's basemaps ask to be credited with.
const basemapAttribution = "© OpenStreetMap contributors, © CARTO"

// check reports the first option a map cannot be drawn with.
func (o *Options) check() error {
	if o.Height < 0 || o.Height > 4000 {
		return &OptionError{"Height", fmt.Sprintf("is %d: give pixels from 1 to 4000, or 0 for %d", o.Height, DefaultHeight)}
	}
	if o.PointRadius < 0 || o.PointRadius > 100 {
		return &OptionError{"PointRadius", fmt.Sprintf("is %d: give pixels from 1 to 100", o.PointRadius)}
	}
	if o.TokenLifetime < 0 {
		return &OptionError{"TokenLifetime", "is negative"}
	}
	if _, ok := basemaps[o.Basemap]; !ok && o.Basemap != "" && o.Basemap != "none" {
		return &OptionError{"Basemap", fmt.Sprintf("is %q: use positron, voyager, dark-matter or none", o.Basemap)}
	}
	if c := o.Color; c != nil {
		if c.Column == "" {
			return &OptionError{"Color", "has no column"}
		}
		switch c.Kind {
		case Bins, Continuous, Categories:
		default:
			return &OptionError{"Color", fmt.Sprintf("has kind %q: use Bins, Categories or Continuous", c.Kind)}
		}
		if len(c.Domain) == 0 || (c.Kind == Continuous && len(c.Domain) < 2) {
			return &OptionError{"Color", "needs a domain (thresholds, values, or at least two numbers)"}
		}
	}
	return nil
}
