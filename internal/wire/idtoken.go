package wire

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"unicode"

	"golang.org/x/oauth2"
)

// AccountOf reads the email and name from the ID token of a token answer, for display only:
// the answer came straight from the token endpoint over TLS, and nothing is decided on it.
// A missing or malformed ID token gives empty values, never an error; the ID token itself is
// not kept.
func AccountOf(t *oauth2.Token) (email, name string) {
	raw, _ := t.Extra("id_token").(string)
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "", ""
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", ""
	}
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return "", ""
	}
	return Displayable(claims.Email), Displayable(claims.Name)
}

// Displayable keeps a claim fit to show on one line: printable, at most 200 characters.
func Displayable(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200])
	}
	return s
}
