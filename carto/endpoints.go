package carto

import "github.com/carto-go/carto-auth/internal/wire"

// CARTO's production values (see docs/wire.md).
const (
	// PublicClientID is the client id of CARTO's interactive login (no client secret).
	PublicClientID = wire.PublicClientID
	// Audience is the API audience sent on every token request.
	Audience = wire.Audience
)
