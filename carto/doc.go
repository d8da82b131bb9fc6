// Package gonbauth logs in to CARTO from Go programs and GoNB notebook cells and hands back
// an access token and the API base URL.
//
// Interactive users call [FromOAuth]: inside a GoNB cell it renders a login card (link, QR
// code, paste box), on a desktop it opens the browser and receives the result on
// http://localhost:10000/callback/, elsewhere it prints the login link and reads the pasted
// code. ETL jobs call [FromM2M] with machine-to-machine credentials. Either way the tokens are
// kept in an on-disk cache (files 0600 in a 0700 folder, written atomically, locked across
// processes), so the next notebook cell — a new process in GoNB — does not log in again.
//
// Setting CARTO_AUTH_SERVER points every endpoint at a CARTO stand-in such as the one in
// package cartotest.
package carto
