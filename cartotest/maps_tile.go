package cartotest

import "strconv"

// featureBboxProp is the property that holds a polygon's whole bounding box when a source
// asks for featureBbox (@deck.gl/carto places labels with it): "west,south,east,north" in
// degrees.
const featureBboxProp = "_carto_bbox"

// mvtTile encodes the tile t of the source's rows: one layer, mvtLayerName, with a feature
// for each row whose geometry the tile shows (see mvtGeometry), its properties the columns
// of d.props that are not NULL, and for a polygon featureBboxProp when featureBbox. Nil when
// the tile shows nothing.
func (d *mapData) mvtTile(t tileID, featureBbox bool) []byte {
	l := newMVTLayer(mvtLayerName)
	for r, sh := range d.shapes {
		if len(sh.parts) == 0 {
			continue
		}
		geom := mvtGeometry(sh, t)
		if len(geom) == 0 {
			continue
		}
		props := make([]mvtProp, 0, len(d.props))
		for _, i := range d.props {
			props = append(props, mvtProp{d.schema[i].Name, d.rows[r][i]})
		}
		if featureBbox && sh.kind == shapePolygon {
			b := sh.bbox()
			text := ""
			for i, f := range b {
				if i > 0 {
					text += ","
				}
				text += strconv.FormatFloat(f, 'g', -1, 64)
			}
			props = append(props, mvtProp{featureBboxProp, text})
		}
		l.add(sh.kind, geom, props)
	}
	if len(l.features) == 0 {
		return nil
	}
	return encodeTile(l)
}
