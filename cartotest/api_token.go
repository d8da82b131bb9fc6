package cartotest

import "time"

// TokenGrant is one grant of an API access token: a connection and a source on it, a fully
// qualified table name (a trailing .* matches every table under that prefix), a SQL query
// (matched by its exact text), or * for everything the connection reaches.
type TokenGrant struct {
	Connection string `json:"connection_name"`
	Source     string `json:"source"`
}

// APITokenFacts is what the server knows of an API access token it issued.
type APITokenFacts struct {
	Grants   []TokenGrant
	APIs     []string
	Referers []string
	Created  time.Time
	Expires  time.Time // zero: it never expires
}

// apiToken is an API access token from the Tokens API; its owner is the subject of the OAuth
// token that created it (only they list or delete it).
type apiToken struct {
	APITokenFacts
	owner string
}

// expired reports whether t has an expiry at or before now.
func (t *apiToken) expired(now time.Time) bool {
	return !t.Expires.IsZero() && !now.Before(t.Expires)
}
