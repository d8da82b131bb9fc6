package cartotest

// mvtTile encodes the tile t of the source's rows: one layer, mvtLayerName, with a feature
// for each row whose geometry the tile shows (see mvtGeometry), its properties the columns
// of d.props that are not NULL. Nil when the tile shows nothing.
func (d *mapData) mvtTile(t tileID) []byte {
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
		l.add(sh.kind, geom, props)
	}
	if len(l.features) == 0 {
		return nil
	}
	return encodeTile(l)
}
