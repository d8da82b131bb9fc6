package flow

import (
	"strings"
	"testing"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/; `make fuzz` runs each target briefly.

func FuzzParsePaste(f *testing.F) {
	f.Add("abc123", "st")
	f.Add("https://app.carto.com/auth/token?code=abc&state=st", "st")
	f.Add(" 'code=abc&state=other' \n", "st")
	f.Add("http://localhost:10000/callback/?error=access_denied&error_description=no", "st")
	f.Fuzz(func(t *testing.T, raw, state string) {
		code, err := parsePaste(raw, state)
		if err == nil {
			if code == "" || strings.ContainsAny(code, " \t\r\n") {
				t.Fatalf("accepted code %q from %q", code, raw)
			}
			return
		}
		if strings.Contains(raw, "code=") && len(raw) > 12 && strings.Contains(err.Error(), raw) {
			t.Fatalf("the paste was echoed into the error: %v", err)
		}
		// The code alone must not be echoed either: put a marker in its place and look for it.
		if q, qerr := pastedQuery(raw); qerr == nil && q.Get("error") == "" && q.Get("code") != "" {
			const marker = "QZXJ8K2Mcode"
			if _, err := parsePaste(strings.ReplaceAll(raw, q.Get("code"), marker), state); err != nil && strings.Contains(err.Error(), marker) {
				t.Fatalf("the pasted code was echoed into the error: %v", err)
			}
		}
	})
}
