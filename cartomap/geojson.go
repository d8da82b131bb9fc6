package cartomap

import (
	"encoding/json"
	"fmt"
	"math"
)

// bbox is a bounding box being grown.
type bbox struct{ w, s, e, n float64 }

func emptyBounds() bbox { return bbox{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b *bbox) add(lon, lat float64) {
	b.w, b.e = math.Min(b.w, lon), math.Max(b.e, lon)
	b.s, b.n = math.Min(b.s, lat), math.Max(b.n, lat)
}

// box is the box as west, south, east, north; the whole world when nothing was added.
func (b bbox) box() [4]float64 {
	if b.w > b.e {
		return [4]float64{-180, -85, 180, 85}
	}
	return [4]float64{b.w, b.s, b.e, b.n}
}

// readGeoJSON reads a FeatureCollection, a Feature or a bare geometry and returns it as a
// FeatureCollection, with its bounds and number of features.
func readGeoJSON(data []byte) (json.RawMessage, bbox, int, error) {
	var top map[string]json.RawMessage
	b := emptyBounds()
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, b, 0, fmt.Errorf("not a GeoJSON object: %w", err)
	}
	var typ string
	_ = json.Unmarshal(top["type"], &typ)
	var feats []json.RawMessage
	switch typ {
	case "FeatureCollection":
		if err := json.Unmarshal(top["features"], &feats); err != nil {
			return nil, b, 0, fmt.Errorf("a FeatureCollection without a features list")
		}
	case "Feature":
		feats = []json.RawMessage{data}
	case "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection":
		f, _ := json.Marshal(map[string]any{"type": "Feature", "geometry": json.RawMessage(data), "properties": map[string]any{}})
		feats = []json.RawMessage{f}
	default:
		return nil, b, 0, fmt.Errorf("unknown GeoJSON type %q", typ)
	}
	if len(feats) > MaxLocalFeatures {
		return nil, b, len(feats), nil
	}
	for i, f := range feats {
		var ft struct {
			Type     string          `json:"type"`
			Geometry json.RawMessage `json:"geometry"`
		}
		if err := json.Unmarshal(f, &ft); err != nil || ft.Type != "Feature" {
			return nil, b, 0, fmt.Errorf("feature %d is not a GeoJSON Feature", i)
		}
		if err := geometryBounds(ft.Geometry, &b, 0); err != nil {
			return nil, b, 0, fmt.Errorf("feature %d: %w", i, err)
		}
	}
	out, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": feats})
	if err != nil {
		return nil, b, 0, err
	}
	return out, b, len(feats), nil
}

// geometryBounds grows b by a geometry's positions (a null geometry adds none).
func geometryBounds(raw json.RawMessage, b *bbox, depth int) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if depth > 4 {
		return fmt.Errorf("geometry collections nested too deep")
	}
	var g struct {
		Type        string            `json:"type"`
		Coordinates json.RawMessage   `json:"coordinates"`
		Geometries  []json.RawMessage `json:"geometries"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return fmt.Errorf("bad geometry: %w", err)
	}
	if g.Type == "GeometryCollection" {
		for _, sub := range g.Geometries {
			if err := geometryBounds(sub, b, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	var coords any
	if err := json.Unmarshal(g.Coordinates, &coords); err != nil {
		return fmt.Errorf("bad %s coordinates", g.Type)
	}
	return positions(coords, b, 0)
}

// positions grows b by every [lon, lat, ...] position nested in v.
func positions(v any, b *bbox, depth int) error {
	arr, ok := v.([]any)
	if !ok || depth > 4 {
		return fmt.Errorf("bad coordinates")
	}
	if len(arr) >= 2 {
		lon, ok1 := arr[0].(float64)
		lat, ok2 := arr[1].(float64)
		if ok1 && ok2 {
			if !validLonLat(lon, lat) {
				return fmt.Errorf("position (%v, %v) is not a longitude and latitude", lon, lat)
			}
			b.add(lon, lat)
			return nil
		}
	}
	for _, sub := range arr {
		if err := positions(sub, b, depth+1); err != nil {
			return err
		}
	}
	return nil
}
