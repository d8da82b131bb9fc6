package display

import (
	"bytes"
	"strings"
	"testing"
)

func TestTerminalShowsAQRCodeOnATerminal(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	term := NewTerminal(strings.NewReader(""), &out)
	if term.QR != nil {
		t.Error("a QR code for output that is not a terminal")
	}
	term.QR = qrText // what NewTerminal sets when out is a terminal
	if err := term.Show(t.Context(), sampleLogin()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), qrText(testURL)) || !strings.Contains(out.String(), "█") {
		t.Errorf("no QR code:\n%s", out.String())
	}
}
