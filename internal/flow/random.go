package flow

import (
	"crypto/rand"
	"encoding/base64"
)

// randomString returns n random bytes, base64url-encoded (state values, probe nonces).
func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand's documented contract)
	return base64.RawURLEncoding.EncodeToString(b)
}
