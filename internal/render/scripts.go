package render

import (
	"encoding/json"
	"html"
	"strings"
)

// The notebook card's scripts. Jupyter runs scripts in live outputs (JupyterLab, Notebook 7
// and the classic Notebook trust what the kernel sends while the cell runs); where scripts do
// not run (a reopened untrusted notebook, VS Code's and Colab's renderers) the card simply has
// no probe and no input box to close. Each script finds its card by element id: the classic
// Notebook runs scripts apart from their element, and the card may not be in the page yet,
// so each looks for it for up to 5 s.

// findCard is the start of every script: it calls run(card) once the card with element id
// __ID__ is in the page.
const findCard = `(function(){var t=0;(function f(){var c=document.getElementById(__ID__);` +
	`if(!c||!c.isConnected){if(++t<50)setTimeout(f,100);return}run(c)})();function run(c){`

// probeScript loads the card's probe image only when the notebook page comes from this
// computer (a loopback host name). A page from another host cannot reach this machine's
// loopback address (Chrome blocks it, or asks for local-network access each time), so the
// card says instead why the one-click login is not tried.
const probeScript = findCard + `var i=c.querySelector('img.carto-login-probe');if(!i||i.getAttribute('src'))return;` +
	`var h=location.hostname;if(/^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i.test(h)||/\.localhost$/i.test(h)){` +
	`i.setAttribute('src',i.getAttribute('data-src'));return}` +
	`var w=c.querySelector('.carto-login-why');if(w)w.textContent=__NOPROBE__.replace('%s',h)}})()`

// noProbeText replaces the card's "why" line when the page comes from another host (%s).
const noProbeText = "Copy-code login: this notebook page comes from %s, not from this computer, so the one-click login is not tried."

// closeInputScript is in the card's last update: it submits, with an empty value, every input
// box left open in the card's own output area (JupyterLab's and Notebook 7's
// input.jp-Stdin-input, the classic Notebook's input.raw_input). JupyterLab refuses to run
// any other cell while a box is open ("Cell not executed due to pending input"); the kernel
// drops an answer that arrives after the cell ended.
const closeInputScript = findCard + `var r=c.closest('.jp-OutputArea, .output');if(!r)return;` +
	`var bs=r.querySelectorAll('input.jp-Stdin-input, input.raw_input');for(var k=0;k<bs.length;k++){var b=bs[k];` +
	`b.value='';b.dispatchEvent(new KeyboardEvent('keydown',{key:'Enter',code:'Enter',keyCode:13,which:13,bubbles:true,cancelable:true}))}}})()`

// writeScript writes <script>script</script> for the card with element id id.
func writeScript(b *strings.Builder, script, id string) {
	b.WriteString(`<script>`)
	b.WriteString(strings.NewReplacer("__ID__", jsString(id), "__NOPROBE__", jsString(noProbeText)).Replace(script))
	b.WriteString(`</script>`)
}

// jsString renders s as a JavaScript string literal that is safe inside a <script> element
// (json.Marshal escapes <, > and &).
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ResultHTML is the HTML of the output that repeats a login's result for text frontends: the
// status line, hidden, since the card above already shows it.
func ResultHTML(s Status) string {
	var b strings.Builder
	b.WriteString(`<div`)
	writeAttr(&b, "class", "carto-login-result")
	writeAttr(&b, "data-state", stateName(s.State))
	b.WriteString(` hidden>`)
	b.WriteString(html.EscapeString(StatusLine(s)))
	b.WriteString(`</div>`)
	return b.String()
}
