// Package carto is the engine that logs Go programs in to CARTO and hands back an access
// token and the API base URL. It knows nothing of GoNB or HTML: package gonbauth is the
// notebook side, which re-exports these names and shows the login card in a cell.
//
// [Login] tries, in order: machine-to-machine credentials from the environment, the cached
// login, and an interactive login where someone can answer (a terminal, or the caller's
// [Prompter]); otherwise it fails with [ErrInteractionRequired]. [FromOAuth] logs in from the
// cache or interactively (copy-code, or loopback on http://localhost:10000/callback/) whatever
// the environment holds; [FromM2M] and [FromM2MCredentials] use machine-to-machine credentials.
//
// Each returns an [Auth]: [Auth.AccessToken] gives a valid token, renewing it ahead of expiry;
// [Auth.HTTPClient] sends it to the API's origin only; [Auth.TokenSource] serves other
// clients; [Auth.CartoDWCredentials] gives the CARTO Data Warehouse's project and Google token;
// [Auth.Info] says who, where and until when; [Auth.Logout] revokes the login.
//
// Tokens are kept in an on-disk cache (one 0600 file per login in a 0700 folder, written
// atomically, locked across processes), so the next process does not log in again and
// processes sharing a rotating refresh token never spend it twice. Setting CARTO_AUTH_SERVER
// points every endpoint at a CARTO stand-in such as the one in package cartotest.
package carto
