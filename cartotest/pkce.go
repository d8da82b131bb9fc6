package cartotest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// isS256Challenge reports whether c looks like an unpadded base64url SHA-256 digest.
func isS256Challenge(c string) bool {
	if len(c) != 43 {
		return false
	}
	for _, ch := range c {
		if !isBase64URL(ch) {
			return false
		}
	}
	return true
}

func isBase64URL(ch rune) bool {
	return ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' ||
		ch == '-' || ch == '_'
}

// verifierMatches checks an RFC 7636 code_verifier against an S256 challenge.
func verifierMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	for _, ch := range verifier {
		if !isBase64URL(ch) && ch != '.' && ch != '~' {
			return false
		}
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}
