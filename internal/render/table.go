package render

import (
	"fmt"
	"html"
	"strings"
)

// Table renders a table as HTML: headers, then rows (each as many cells as headers), then,
// when more is positive, a line saying how many more rows there are. Every header and cell is
// escaped as text: a value that looks like markup shows as what it is, and runs nothing.
func Table(headers []string, rows [][]string, more int) string {
	var b strings.Builder
	b.WriteString(`<div class="carto-auth-table" style="overflow-x:auto"><table style="border-collapse:collapse;font-size:13px">`)
	b.WriteString(`<thead><tr>`)
	for _, h := range headers {
		b.WriteString(`<th style="text-align:left;padding:2px 8px;border-bottom:1px solid #999">`)
		b.WriteString(html.EscapeString(h))
		b.WriteString(`</th>`)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, row := range rows {
		b.WriteString(`<tr>`)
		for _, cell := range row {
			b.WriteString(`<td style="padding:2px 8px;border-bottom:1px solid #ddd">`)
			b.WriteString(html.EscapeString(cell))
			b.WriteString(`</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
	if more > 0 {
		fmt.Fprintf(&b, `<div style="color:#666;font-size:12px;margin-top:4px">%d more %s</div>`, more, plural(more, "row", "rows"))
	}
	b.WriteString(`</div>`)
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
