package display

import (
	"github.com/carto-go/carto-auth/internal/prompt"
	"github.com/carto-go/carto-auth/internal/render"

	"bytes"
	"encoding/base64"
	"image/png"
	"regexp"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"
)

const testURL = "https://auth.example.test/authorize?client_id=abc&redirect_uri=https%3A%2F%2Fx.test%2Fcb&state=s1&code_challenge=xyz"

func sampleLogin() Login {
	return Login{Title: "Log in to CARTO", URL: testURL, Flow: FlowCopyCode, Why: "running in Google Colab"}
}

var qrSrcRe = regexp.MustCompile(`class="carto-login-qr" src="([^"]*)"`)

func TestRenderCardEscapesHostileValues(t *testing.T) {
	t.Parallel()
	const evil = `"><script>alert(1)</script><img src=x onerror=alert(2)>`
	const evilURL = `https://x.test/?a="><script>alert(1)</script>`
	l := Login{Title: evil, URL: evilURL, Flow: FlowCopyCode, Why: evil, ProbeURL: evilURL + "&probe"}
	for _, s := range []Status{{Text: evil, Hint: evil}, {State: StateFailed, Text: evil, Hint: evil, Retry: true}} {
		out := RenderCard(l, s)
		for _, bad := range []string{"<script", "<img src=x", `="><`, `"<`} {
			if strings.Contains(out, bad) {
				t.Errorf("card contains %q unescaped:\n%s", bad, out)
			}
		}
		if !strings.Contains(out, "&lt;script&gt;") {
			t.Errorf("escaped hostile text missing:\n%s", out)
		}
		if !strings.Contains(out, `href="https://x.test/?a=&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`) {
			t.Errorf("hostile URL not kept escaped in the link:\n%s", out)
		}
		if n, m := strings.Count(out, "<div"), strings.Count(out, "</div>"); n != m {
			t.Errorf("%d <div> but %d </div>", n, m)
		}
	}
}

func TestRenderCardRefusesNonWebURLs(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"javascript:alert(1)", "JAVASCRIPT://x%0aalert(1)", "data:text/html,<b>x</b>", "https://x.test/a b"} {
		l := Login{URL: u, ProbeURL: u}
		out := RenderCard(l, Status{})
		if strings.Contains(out, "href=") || strings.Contains(out, "carto-login-qr\"") ||
			strings.Contains(out, "carto-login-probe") {
			t.Errorf("URL %q got a link, QR code or probe:\n%s", u, out)
		}
		if !strings.Contains(out, "not a web address") {
			t.Errorf("URL %q: no explanation in card", u)
		}
	}
}

func TestRenderCardFlows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		flow      Flow
		want, not string
	}{
		{FlowCopyCode, "paste it into the code box this cell opens", "continues by itself"},
		{FlowLoopback, "this cell continues by itself", "paste"},
		{"", "paste it into the code box this cell opens", "continues by itself"},
	}
	for _, tt := range tests {
		l := sampleLogin()
		l.Flow = tt.flow
		out := RenderCard(l, Status{})
		if !strings.Contains(out, tt.want) || strings.Contains(out, tt.not) {
			t.Errorf("flow %q: want %q and not %q in\n%s", tt.flow, tt.want, tt.not, out)
		}
	}
}

func TestRenderCardStates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s            Status
		state, color string
		want         []string
		link         bool
	}{
		{Status{}, "waiting", "#44546b", []string{"Waiting for you to log in"}, true},
		{Status{State: StateChecking, Text: "Exchanging the code"}, "checking", "#0b57d0", []string{"Exchanging the code"}, true},
		{Status{State: StateDone, Text: "Logged in to acme"}, "done", "#137333", []string{"Logged in to acme"}, false},
		{Status{State: StateFailed, Text: "That code was rejected", Hint: "Paste the new code", Retry: true}, "failed", "#b3261e",
			[]string{"That code was rejected", `class="carto-login-hint"`, "Paste the new code"}, true},
		// A failure that ends the login: the links lead nowhere any more.
		{Status{State: StateFailed, Text: "Access denied", Hint: "Ask your admin"}, "failed", "#b3261e",
			[]string{"Access denied", `class="carto-login-hint"`, "Ask your admin"}, false},
		{Status{State: State(42)}, "waiting", "#44546b", nil, true},
	}
	for _, tt := range tests {
		out := RenderCard(sampleLogin(), tt.s)
		if !strings.Contains(out, `class="carto-login" data-state="`+tt.state+`"`) {
			t.Errorf("%+v: no data-state %q in\n%s", tt.s, tt.state, out)
		}
		if !regexp.MustCompile(`class="carto-login-status" role="status" style="[^"]*` + tt.color).MatchString(out) {
			t.Errorf("%+v: status line not coloured %s", tt.s, tt.color)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%+v: missing %q", tt.s, w)
			}
		}
		hasLink := strings.Contains(out, `class="carto-login-link" href="`+escapeForTest(testURL)+`" target="_blank" rel="noopener noreferrer"`)
		hasQR := strings.Contains(out, `class="carto-login-qr"`)
		if hasLink != tt.link || hasQR != tt.link {
			t.Errorf("%+v: link %v, QR %v, want both %v", tt.s, hasLink, hasQR, tt.link)
		}
	}
}

func escapeForTest(s string) string { return strings.ReplaceAll(s, "&", "&amp;") }

func TestRenderCardQRIsThePNGOfTheURL(t *testing.T) {
	t.Parallel()
	m := qrSrcRe.FindStringSubmatch(RenderCard(sampleLogin(), Status{}))
	if m == nil {
		t.Fatal("no QR img in card")
	}
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(m[1], prefix) {
		t.Fatalf("QR src %.40q is not a PNG data URI", m[1])
	}
	raw, err := base64.StdEncoding.DecodeString(m[1][len(prefix):])
	if err != nil {
		t.Fatalf("QR src: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("QR PNG: %v", err)
	}
	q, err := qrcode.New(testURL, qrLevel)
	if err != nil {
		t.Fatal(err)
	}
	bits := q.Bitmap()
	if b := img.Bounds(); b.Dx() != len(bits) || b.Dy() != len(bits) {
		t.Fatalf("QR image is %v, want %d modules square", b, len(bits))
	}
	for y := range bits {
		for x := range bits[y] {
			r, _, _, _ := img.At(x, y).RGBA()
			if dark := r < 0x8000; dark != bits[y][x] {
				t.Fatalf("QR module (%d,%d) dark=%v, want %v", x, y, dark, bits[y][x])
			}
		}
	}
}

func TestRenderCardTooLongForQR(t *testing.T) {
	t.Parallel()
	l := sampleLogin()
	l.URL = "https://x.test/?" + strings.Repeat("a", 5000)
	out := RenderCard(l, Status{})
	if strings.Contains(out, `class="carto-login-qr"`) {
		t.Error("QR code rendered for a URL too long to encode")
	}
	if !strings.Contains(out, `class="carto-login-link"`) {
		t.Error("link missing when the QR code cannot be drawn")
	}
}

func TestRenderCardProbe(t *testing.T) {
	t.Parallel()
	l := sampleLogin()
	if out := RenderCard(l, Status{}); strings.Contains(out, "carto-login-probe") {
		t.Error("probe img rendered without ProbeURL")
	}
	l.ProbeURL = "http://127.0.0.1:41234/probe?n=1&m=2"
	// The URL waits in data-src: only the notebook card's script loads it (see probeScript).
	want := `<img class="carto-login-probe" data-src="http://127.0.0.1:41234/probe?n=1&amp;m=2" alt="" width="1" height="1"`
	for _, st := range []State{StateWaiting, StateChecking, StateFailed} {
		out := RenderCard(l, Status{State: st, Retry: true})
		if !strings.Contains(out, want) || strings.Contains(out, " src=\"http://127.0.0.1") || strings.Contains(out, "<script") {
			t.Errorf("state %v: want the probe img with data-src only and no script:\n%s", st, out)
		}
		withID := render.Card(l, Status{State: st, Retry: true}, "card-1", "")
		if !strings.Contains(withID, want) || strings.Count(withID, "<script>") != 1 || !strings.Contains(withID, `getElementById("card-1")`) {
			t.Errorf("state %v: the notebook card lacks its probe script:\n%s", st, withID)
		}
	}
	if out := RenderCard(l, Status{State: StateDone}); strings.Contains(out, "carto-login-probe") {
		t.Error("probe img still rendered once logged in")
	}
}

// TestCardScriptsCloseInputOnlyAtTheEnd: the card's last update, and only that, carries the
// script that closes the cell's open input box.
func TestCardScriptsCloseInputOnlyAtTheEnd(t *testing.T) {
	t.Parallel()
	l := sampleLogin()
	closes := func(s Status) bool {
		return strings.Contains(render.Card(l, s, "card-1", ""), "jp-Stdin-input")
	}
	for _, tc := range []struct {
		s    Status
		want bool
	}{
		{Status{State: StateWaiting}, false},
		{Status{State: StateChecking}, false},
		{Status{State: StateFailed, Text: "That code was rejected", Retry: true}, false},
		{Status{State: StateFailed, Text: "The login timed out"}, true},
		{Status{State: StateDone, Text: "Logged in"}, true},
	} {
		if got := closes(tc.s); got != tc.want {
			t.Errorf("%+v: closes the input box %v, want %v", tc.s, got, tc.want)
		}
	}
	if strings.Contains(RenderCard(l, Status{State: StateDone}), "<script") {
		t.Error("RenderCard (no element id) has a script")
	}
}

// TestCardScriptsAreSafe: an element id that tries to end the script stays a string.
func TestCardScriptsAreSafe(t *testing.T) {
	t.Parallel()
	out := render.Card(sampleLogin(), Status{State: StateDone}, `x"</script><b>`, "")
	if strings.Count(out, "</script>") != 1 || strings.Contains(out, "<b>") {
		t.Errorf("the id escaped the script:\n%s", out)
	}
}

func TestRenderCardOneClick(t *testing.T) {
	t.Parallel()
	l := sampleLogin()
	l.OneClickURL = "http://localhost:10000/callback/?go=1&x=2"
	out := RenderCard(l, Status{})
	for _, want := range []string{
		`<a class="carto-login-oneclick" href="http://localhost:10000/callback/?go=1&amp;x=2" target="_blank"`,
		`>Log in with one click</a>`,
		`<a class="carto-login-link" href="` + escapeForTest(testURL) + `" target="_blank"`,
		`>Log in with a code</a>`,
		qrDataURI(testURL), // the QR code stays the copy-code URL's
		"Log in with one click (this cell continues by itself), or log in with a code",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("one-click card lacks %q:\n%s", want, out)
		}
	}
	text := RenderText(l, Status{})
	if !strings.Contains(text, "\nOne click: "+l.OneClickURL+"\nWith a code: "+testURL+"\n") {
		t.Errorf("text lacks both links:\n%s", text)
	}
	l.Flow = FlowLoopback // one-click is an addition to copy-code only
	if out := RenderCard(l, Status{}); strings.Contains(out, "carto-login-oneclick") {
		t.Error("one-click link on a loopback card")
	}
}

func TestRenderCardWithoutURL(t *testing.T) {
	t.Parallel()
	out := RenderCard(Login{}, Status{State: StateChecking, Text: "Refreshing the token"})
	if strings.Contains(out, "carto-login-steps") || strings.Contains(out, "not a web address") {
		t.Errorf("card without a login shows login steps:\n%s", out)
	}
	if !strings.Contains(out, prompt.DefaultTitle) || !strings.Contains(out, "Refreshing the token") {
		t.Errorf("card without a login lacks title or status:\n%s", out)
	}
}

func BenchmarkRenderCard(b *testing.B) {
	l := sampleLogin()
	l.ProbeURL = "http://127.0.0.1:41234/probe"
	b.ReportAllocs()
	for b.Loop() {
		RenderCard(l, Status{State: StateChecking, Text: "Exchanging the code"})
	}
}

// BenchmarkRenderCardStatusUpdate measures what SetStatus renders: the QR code is cached.
func BenchmarkRenderCardStatusUpdate(b *testing.B) {
	l := sampleLogin()
	src := qrDataURI(l.URL)
	b.ReportAllocs()
	for b.Loop() {
		render.Card(l, Status{State: StateChecking, Text: "Exchanging the code"}, "carto-login-1", src)
	}
}

func TestInstructionsOverride(t *testing.T) {
	l := Login{URL: "https://auth.example.com/authorize?x=1", Flow: FlowCopyCode, Instructions: "Paste the code into <FinishLogin> in the next cell."}
	card := RenderCard(l, Status{})
	if !strings.Contains(card, "Paste the code into &lt;FinishLogin&gt; in the next cell.") || strings.Contains(card, "in the box below") {
		t.Errorf("card ignores Instructions:\n%s", card)
	}
	if text := RenderText(l, Status{}); !strings.Contains(text, "Paste the code into <FinishLogin>") {
		t.Errorf("text ignores Instructions:\n%s", text)
	}
}
