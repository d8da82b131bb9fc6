package render

import (
	"html"
	"strings"
)

// The card draws its own light background with explicit colours on every element, so it reads
// the same in light and dark notebook themes and theme CSS (link colours, fonts) cannot leak in.
const (
	cardStyle = "position:relative;box-sizing:border-box;max-width:640px;margin:8px 0;" +
		"padding:20px 24px;background:#ffffff;color:#162945;border:1px solid #d9dee7;" +
		"border-radius:10px;box-shadow:0 1px 4px rgba(22,41,69,.14);color-scheme:light;" +
		"font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;" +
		"font-size:14px;line-height:1.5;text-align:left"
	rowStyle   = "display:flex;flex-wrap:wrap;gap:20px;align-items:center"
	mainStyle  = "flex:1 1 300px;min-width:0"
	titleStyle = "margin:0 0 6px;font-size:18px;font-weight:600;color:#162945"
	stepsStyle = "margin:0 0 16px;color:#2c3e5a"
	linkStyle  = "display:inline-block;padding:9px 20px;background:#036fe2;color:#ffffff;" +
		"border:1px solid #036fe2;border-radius:6px;text-decoration:none;font-weight:600;font-size:14px;line-height:1.5"
	// secondLinkStyle is the copy-code link next to a one-click link.
	secondLinkStyle = "display:inline-block;margin-left:8px;padding:9px 20px;background:#ffffff;color:#036fe2;" +
		"border:1px solid #036fe2;border-radius:6px;text-decoration:none;font-weight:600;font-size:14px;line-height:1.5"
	detailsStyle = "margin:10px 0 0;font-size:12px;color:#5b6b82"
	urlStyle     = "margin-top:4px;padding:6px 8px;background:#f3f5f8;color:#162945;border-radius:4px;" +
		"font-family:SFMono-Regular,Menlo,Consolas,monospace;font-size:11px;word-break:break-all;" +
		"user-select:all"
	whyStyle    = "margin-top:10px;font-size:12px;color:#5b6b82"
	qrBoxStyle  = "flex:0 0 auto;margin:0 auto;text-align:center"
	qrImgStyle  = "display:block;width:168px;height:168px;image-rendering:crisp-edges;image-rendering:pixelated;background:#ffffff"
	qrCapStyle  = "margin-top:4px;font-size:11px;color:#5b6b82"
	probeStyle  = "position:absolute;left:0;top:0;width:1px;height:1px;opacity:0;pointer-events:none;border:0"
	statusStyle = "margin-top:16px;padding:8px 12px;border-radius:6px;font-size:13px;"
)

// statusColors are the text and background colours of the status line in state s; ok is false
// for an unknown state.
func statusColors(s State) (colors string, ok bool) {
	switch s {
	case StateWaiting:
		return "color:#44546b;background:#f1f3f6", true
	case StateChecking:
		return "color:#0b57d0;background:#e8f0fe", true
	case StateDone:
		return "color:#137333;background:#e6f4ea", true
	case StateFailed:
		return "color:#b3261e;background:#fce8e6", true
	}
	return "", false
}

// Card renders a login and its status as the HTML of the notebook card: a root element
// with class "carto-login" and data-state "waiting", "checking", "done" or "failed", the link
// (class "carto-login-link"), the one-click link when l.OneClickURL is set (class
// "carto-login-oneclick"), the QR code of the link (img class "carto-login-qr"), the
// instructions, why this flow, and the status line (class "carto-login-status"). Every value
// is HTML-escaped; URLs that are not http or https get no link, QR code or probe. Once the
// login has ended (done, or failed without Retry) the card shrinks to its title and status line. The probe image (class
// "carto-login-probe") carries its URL in data-src: only the card's scripts, written when id
// (the card's element id) is not empty, load it. qrSrc is the QR code image of the link (a data
// URI), or "" for none.
func Card(l Login, s Status, id, qrSrc string) string {
	var b strings.Builder
	b.Grow(1024 + len(qrSrc) + 3*len(l.URL))
	b.WriteString(`<div`)
	if id != "" {
		writeAttr(&b, "id", id)
	}
	writeAttr(&b, "class", "carto-login")
	writeAttr(&b, "data-state", stateName(s.State))
	writeAttr(&b, "style", cardStyle)
	b.WriteString(`><div`)
	writeAttr(&b, "style", rowStyle)
	b.WriteString(`><div`)
	writeAttr(&b, "style", mainStyle)
	b.WriteString(`>`)
	writeElem(&b, "carto-login-title", titleStyle, title(l))
	done := s.Ends() // logged in, or failed for good: the links lead nowhere any more
	web := isWebURL(l.URL)
	if !done && l.URL != "" {
		writeSteps(&b, l, web)
	}
	writeStatus(&b, s)
	if why := strings.TrimSpace(l.Why); why != "" && !done {
		writeElem(&b, "carto-login-why", whyStyle, why)
	}
	b.WriteString(`</div>`)
	if !done && web && qrSrc != "" {
		writeQR(&b, qrSrc)
	}
	b.WriteString(`</div>`)
	if !done && isWebURL(l.ProbeURL) {
		writeProbe(&b, l.ProbeURL)
		if id != "" {
			writeScript(&b, probeScript, id)
		}
	}
	if id != "" && s.Ends() {
		writeScript(&b, closeInputScript, id)
	}
	b.WriteString(`</div>`)
	return b.String()
}

// writeSteps writes the instructions, the link buttons (one-click first, when offered) and a
// fold-out copy of the login URL.
func writeSteps(b *strings.Builder, l Login, web bool) {
	writeElem(b, "carto-login-steps", stepsStyle, steps(l, true))
	if !web {
		writeElem(b, "carto-login-nolink", stepsStyle, "The login link is not a web address.")
		return
	}
	style, label := linkStyle, "Open the login page"
	if oneClick(l) {
		writeLink(b, "carto-login-oneclick", l.OneClickURL, linkStyle, "Log in with one click")
		style, label = secondLinkStyle, "Log in with a code"
	}
	writeLink(b, "carto-login-link", l.URL, style, label)
	b.WriteString(`<details`)
	writeAttr(b, "style", detailsStyle)
	b.WriteString(`><summary style="cursor:pointer;color:#5b6b82">Show the link</summary>`)
	writeElem(b, "carto-login-url", urlStyle, l.URL)
	b.WriteString(`</details>`)
}

// writeLink writes a link button that opens url in a new tab.
func writeLink(b *strings.Builder, class, url, style, label string) {
	b.WriteString(`<a`)
	writeAttr(b, "class", class)
	writeAttr(b, "href", url)
	writeAttr(b, "target", "_blank")
	writeAttr(b, "rel", "noopener noreferrer")
	writeAttr(b, "style", style)
	b.WriteString(`>`)
	b.WriteString(html.EscapeString(label))
	b.WriteString(`</a>`)
}

// writeStatus writes the status line, with the hint on a line of its own.
func writeStatus(b *strings.Builder, s Status) {
	colors, ok := statusColors(s.State)
	if !ok {
		colors, _ = statusColors(StateWaiting)
	}
	b.WriteString(`<div`)
	writeAttr(b, "class", "carto-login-status")
	writeAttr(b, "role", "status")
	writeAttr(b, "style", statusStyle+colors)
	b.WriteString(`><span style="font-weight:600">`)
	b.WriteString(statusIcon(s.State))
	b.WriteString(`</span> `)
	b.WriteString(html.EscapeString(statusText(s)))
	if h := strings.TrimSpace(s.Hint); h != "" {
		writeElem(b, "carto-login-hint", "margin-top:2px;color:#162945", h)
	}
	b.WriteString(`</div>`)
}

// writeQR writes the QR code image and its caption.
func writeQR(b *strings.Builder, src string) {
	b.WriteString(`<div`)
	writeAttr(b, "style", qrBoxStyle)
	b.WriteString(`><img`)
	writeAttr(b, "class", "carto-login-qr")
	writeAttr(b, "src", src)
	writeAttr(b, "width", "168")
	writeAttr(b, "height", "168")
	writeAttr(b, "alt", "QR code of the login link")
	writeAttr(b, "style", qrImgStyle)
	b.WriteString(`>`)
	writeElem(b, "carto-login-qr-caption", qrCapStyle, "Scan to log in on a phone")
	b.WriteString(`</div>`)
}

// writeProbe writes the invisible image whose request tells the caller that the user's browser
// reaches this machine. Its URL is in data-src: probeScript loads it where that can help.
func writeProbe(b *strings.Builder, probeURL string) {
	b.WriteString(`<img`)
	writeAttr(b, "class", "carto-login-probe")
	writeAttr(b, "data-src", probeURL)
	writeAttr(b, "alt", "")
	writeAttr(b, "width", "1")
	writeAttr(b, "height", "1")
	writeAttr(b, "aria-hidden", "true")
	writeAttr(b, "style", probeStyle)
	b.WriteString(`>`)
}
