// Package gonbauth logs a GoNB notebook cell in to CARTO: one import, one call.
//
//	auth, err := gonbauth.Login(ctx, nil)
//
// In a cell it shows the login card (link, QR code, code box, and a one-click login when the
// browser can reach the kernel); in an unattended run (CI, jupyter nbconvert, papermill) it
// fails at once naming M2M credentials instead of waiting for someone. Elsewhere it behaves as
// package carto, the engine it is built on, with a terminal prompt that draws a QR code.
//
// Every type, constant and error here is the engine's (type Auth = carto.Auth, ...), so values
// pass freely between the two packages; Go programs and the CLI import carto and link nothing
// of GoNB.
package gonbauth
