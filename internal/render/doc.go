// Package render draws a login for people, with no I/O of its own but the terminal's: the
// notebook card's HTML and scripts (Card), its plain-text form (Text, StatusLine), and the
// Terminal prompter, which writes those lines and reads the pasted code (Lines). It needs
// neither GoNB nor a QR code library: the card gets its QR image, and the terminal its QR
// drawing, from the caller (package display).
package render
