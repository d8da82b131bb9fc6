package cartotest

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseWKT(t *testing.T) {
	t.Parallel()
	sq := []lonLat{{0, 0}, {1, 0}, {1, 1}, {0, 0}}
	cases := []struct {
		wkt  string
		want shape
	}{
		{"POINT(1.5 -2)", shape{shapePoint, [][][]lonLat{{{{1.5, -2}}}}}},
		{" point ( 1e1  2 ) ", shape{shapePoint, [][][]lonLat{{{{10, 2}}}}}},
		{"MULTIPOINT(1 2, 3 4)", shape{shapePoint, [][][]lonLat{{{{1, 2}}}, {{{3, 4}}}}}},
		{"MULTIPOINT((1 2), (3 4))", shape{shapePoint, [][][]lonLat{{{{1, 2}}}, {{{3, 4}}}}}},
		{"LINESTRING(0 0, 1 1)", shape{shapeLine, [][][]lonLat{{{{0, 0}, {1, 1}}}}}},
		{"MULTILINESTRING((0 0, 1 1), (2 2, 3 3))", shape{shapeLine, [][][]lonLat{{{{0, 0}, {1, 1}}}, {{{2, 2}, {3, 3}}}}}},
		{"POLYGON((0 0, 1 0, 1 1, 0 0), (0 0, 1 0, 1 1, 0 0))", shape{shapePolygon, [][][]lonLat{{sq, sq}}}},
		{"MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((0 0, 1 0, 1 1, 0 0)))", shape{shapePolygon, [][][]lonLat{{sq}, {sq}}}},
		{"POINT EMPTY", shape{kind: shapePoint}},
	}
	for _, c := range cases {
		got, err := parseWKT(c.wkt)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseWKT(%q) = %+v, %v; want %+v", c.wkt, got, err, c.want)
		}
	}
	for _, bad := range []string{
		"", "CIRCLE(0 0, 1)", "GEOMETRYCOLLECTION(POINT(0 0))", "POINT", "POINT(1)", "POINT(1 2", "POINT(1 2))",
		"POINT((1 2))", "LINESTRING(0 0)", "POLYGON((0 0, 1 0, 1 1))", "POLYGON((0 0, 1 0, 1 1, 0 1))",
		"MULTIPOLYGON((0 0, 1 0, 1 1, 0 0))", "POINT(1 2, 3 4)", "LINESTRING(0 0, (1 1))", "POINT(a b)",
	} {
		if sh, err := parseWKT(bad); err == nil {
			t.Errorf("parseWKT(%q) = %+v, want an error", bad, sh)
		}
	}
	if _, err := parseWKT("LINESTRING(0 0)" + strings.Repeat(" ", 100)); err == nil || len(err.Error()) > 120 {
		t.Errorf("an error's text should quote the WKT shortened: %v", err)
	}
}
