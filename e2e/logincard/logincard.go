// Package logincard reads the login card a GoNB cell displays, from the cell's outputs as the
// kernel delivered them.
package logincard

import (
	"html"
	"regexp"

	"github.com/carto-go/carto-auth/e2e/kernel"
)

var (
	root      = regexp.MustCompile(`<div[^>]*class="carto-login"[^>]*>`)
	linkTag   = regexp.MustCompile(`<a[^>]*class="carto-login-link"[^>]*>`)
	oneClick  = regexp.MustCompile(`<a[^>]*class="carto-login-oneclick"[^>]*>`)
	qrTag     = regexp.MustCompile(`<img[^>]*class="carto-login-qr"[^>]*>`)
	probeTag  = regexp.MustCompile(`<img[^>]*class="carto-login-probe"[^>]*>`)
	statusDiv = regexp.MustCompile(`(?s)<div[^>]*class="carto-login-status"[^>]*>(.*?)</div>`)
	anyTag    = regexp.MustCompile(`<[^>]*>`)
)

// Is reports whether an output's HTML is a version of the login card.
func Is(outputHTML string) bool { return root.MatchString(outputHTML) }

// Last returns the HTML of the latest version of the login card in res, or "".
func Last(res *kernel.Result) string {
	for i := len(res.Outputs) - 1; i >= 0; i-- {
		if h := res.Outputs[i].HTML; Is(h) {
			return h
		}
	}
	return ""
}

// All returns every version of the login card in res, in arrival order.
func All(res *kernel.Result) []string {
	var out []string
	for _, o := range res.Outputs {
		if Is(o.HTML) {
			out = append(out, o.HTML)
		}
	}
	return out
}

// Link is the card's login link; OneClick its one-click link; QR its QR code's src; Probe its
// probe image's data-src; State its data-state ("" each when absent).
func Link(card string) string     { return attr(linkTag.FindString(card), "href") }
func OneClick(card string) string { return attr(oneClick.FindString(card), "href") }
func QR(card string) string       { return attr(qrTag.FindString(card), "src") }
func Probe(card string) string    { return attr(probeTag.FindString(card), "data-src") }
func State(card string) string    { return attr(root.FindString(card), "data-state") }

// Status returns the text of the card's status line (tags stripped, unescaped).
func Status(card string) string {
	m := statusDiv.FindStringSubmatch(card)
	if m == nil {
		return ""
	}
	return html.UnescapeString(anyTag.ReplaceAllString(m[1], ""))
}

// attr returns the unescaped value of attribute name in tag, or "".
func attr(tag, name string) string {
	m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}
