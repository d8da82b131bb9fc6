package display

import (
	"encoding/base64"

	qrcode "github.com/skip2/go-qrcode"
)

// qrLevel is the error correction of the QR codes. A screen does not smudge, so the lowest
// level keeps the code small and its modules large, which phones scan more easily.
const qrLevel = qrcode.Low

// qrDataURI returns the QR code of text as a PNG data URI with one pixel per module (the card
// scales it up without smoothing), or "" when text cannot be encoded (too long).
func qrDataURI(text string) string {
	if text == "" {
		return ""
	}
	q, err := qrcode.New(text, qrLevel)
	if err != nil {
		return ""
	}
	png, err := q.PNG(-1)
	if err != nil {
		return ""
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
}

// qrText returns the QR code of text drawn with half-block characters, two modules per
// character row, light modules drawn (for terminals with a dark background, the common case),
// or "" when text cannot be encoded.
func qrText(text string) string {
	if text == "" {
		return ""
	}
	q, err := qrcode.New(text, qrLevel)
	if err != nil {
		return ""
	}
	return q.ToSmallString(false)
}
