package display

import (
	"bytes"
	"os"
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
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0) // a character device, as a terminal is
	if err != nil {
		t.Fatal(err)
	}
	defer devNull.Close()
	if onDevice := NewTerminal(strings.NewReader(""), devNull); onDevice.QR == nil || onDevice.QR(testURL) != qrText(testURL) {
		t.Error("NewTerminal on a character device draws no QR code of the link")
	}
	term.QR = qrText // what NewTerminal sets when out is a terminal
	if err = term.Show(t.Context(), sampleLogin()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), qrText(testURL)) || !strings.Contains(out.String(), "█") {
		t.Errorf("no QR code:\n%s", out.String())
	}
}
