package render

import (
	"html"
	"strings"
)

// writeElem writes <div class=class style=style>text</div> with text escaped.
func writeElem(b *strings.Builder, class, style, text string) {
	b.WriteString(`<div`)
	writeAttr(b, "class", class)
	writeAttr(b, "style", style)
	b.WriteString(`>`)
	b.WriteString(html.EscapeString(text))
	b.WriteString(`</div>`)
}

// writeAttr writes ` name="value"` with value escaped.
func writeAttr(b *strings.Builder, name, value string) {
	b.WriteByte(' ')
	b.WriteString(name)
	b.WriteString(`="`)
	b.WriteString(html.EscapeString(value))
	b.WriteByte('"')
}
