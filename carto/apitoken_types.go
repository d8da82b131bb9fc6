package carto

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/internal/apitokens"
	"github.com/carto-go/carto-auth/internal/hint"
)

// APIGrant is what an API access token may read: a source on a connection. The source is a
// fully qualified table name (project.dataset.* matches every table of a dataset), a SQL
// query (matched by its exact text), or * for everything the connection reaches.
type APIGrant struct {
	Connection string `json:"connection_name"`
	Source     string `json:"source"`
}

// APITokenRequest says what an API access token is for. A token travels to browsers and into
// saved pages: grant it exactly what they read.
type APITokenRequest struct {
	// Grants are the sources the token may read (at least one).
	Grants []APIGrant
	// APIs are the APIs that accept it: "maps", "sql", "imports", "lds" (at least one).
	APIs []string
	// Referers, when given, are the only web origins it may be used from
	// (https://example.com).
	Referers []string
	// Lifetime is how long it is valid; CARTO sets the expiry at creation and never later.
	// Required unless Permanent.
	Lifetime time.Duration
	// Permanent asks for a token that never expires (until it is deleted), instead of a
	// Lifetime.
	Permanent bool
	// AllowAllSources allows a grant of * (everything on the connection).
	AllowAllSources bool
}

// APIToken is an API access token minted through CARTO's Tokens API. Its String, and the log
// form, show its ID, never the token.
type APIToken struct {
	// Token is the secret to send as "Authorization: Bearer <Token>".
	Token string `json:"-"`
	// ID names the token without revealing it ("at_" and 12 hex digits of its SHA-256), for
	// listings, logs and DeleteAPIToken.
	ID        string     `json:"id"`
	Grants    []APIGrant `json:"grants"`
	APIs      []string   `json:"apis"`
	Referers  []string   `json:"referers,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	// ExpiresAt is when it expires; zero for a permanent token.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Reused says it was minted earlier for the same grants, APIs and referers and had more
	// than half its life left, so no new token was minted.
	Reused bool `json:"reused,omitempty"`
	// State is set by APITokens: TokenValid, TokenExpired or TokenSuperseded.
	State string `json:"state,omitempty"`
}

// States of a recorded API access token, in APIToken.State.
const (
	TokenValid      = "valid"      // not expired, and the newest for what it grants
	TokenExpired    = "expired"    // past its expiry
	TokenSuperseded = "superseded" // a newer token for the same grants is valid
)

// String names the token by its ID, with what it grants and until when.
func (t APIToken) String() string {
	until := "never expires"
	if !t.ExpiresAt.IsZero() {
		until = "valid until " + t.ExpiresAt.Format(time.RFC3339)
	}
	return fmt.Sprintf("API access token %s for %s (%s), %s", t.ID, describeGrants(t.Grants), strings.Join(t.APIs, ", "), until)
}

// GoString is String: the token never reaches a %#v.
func (t APIToken) GoString() string { return t.String() }

// LogValue is what a log shows of the token: its ID, never the token.
func (t APIToken) LogValue() slog.Value { return slog.StringValue(t.ID) }

// describeGrants is the grants in words, each source shortened to a line's worth.
func describeGrants(gs []APIGrant) string {
	var parts []string
	for _, g := range gs {
		src := strings.Join(strings.Fields(g.Source), " ")
		if r := []rune(src); len(r) > 60 {
			src = string(r[:59]) + "…"
		}
		parts = append(parts, g.Connection+": "+src)
	}
	return strings.Join(parts, "; ")
}

// check says what is wrong with the request, or nil.
func (r *APITokenRequest) check() error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("API token request: "+format, args...)
	}
	switch {
	case len(r.Grants) == 0:
		return fail("give at least one grant (a connection and the table or SQL query the token may read)")
	case len(r.APIs) == 0:
		return fail(`give the APIs that may accept it, e.g. APIs: []string{"maps"}`)
	case r.Permanent && r.Lifetime != 0:
		return fail("give a Lifetime or Permanent, not both")
	case !r.Permanent && r.Lifetime <= 0:
		return fail("give a Lifetime (e.g. 24*time.Hour): a token without an expiry never expires; ask for that with Permanent")
	case !r.Permanent && r.Lifetime < time.Minute:
		return fail("a Lifetime under a minute cannot be used (CARTO sets expiries to the second)")
	}
	for _, g := range r.Grants {
		switch {
		case strings.TrimSpace(g.Connection) == "" || strings.TrimSpace(g.Source) == "":
			return fail("each grant needs a connection and a source")
		case strings.TrimSpace(g.Source) == "*" && !r.AllowAllSources:
			return fail("a grant of * lets the token read everything on connection %s; name the table or query, or set AllowAllSources", g.Connection)
		}
	}
	for _, api := range r.APIs {
		if api == "" || strings.ContainsAny(api, " ,/") {
			return fail("%q is not an API name (maps, sql, imports, lds)", api)
		}
	}
	for _, ref := range r.Referers {
		if !strings.HasPrefix(ref, "https://") && !strings.HasPrefix(ref, "http://") {
			return fail("referer %q is not a web origin such as https://example.com", ref)
		}
	}
	return nil
}

func toRecordGrants(gs []APIGrant) []apitokens.Grant {
	out := make([]apitokens.Grant, len(gs))
	for i, g := range gs {
		out[i] = apitokens.Grant{Connection: g.Connection, Source: g.Source}
	}
	return out
}

// tokenOf is the APIToken of a record.
func tokenOf(r *apitokens.Record, reused bool) *APIToken {
	t := &APIToken{Token: r.Token, ID: r.ID, APIs: slices.Clone(r.APIs), Referers: slices.Clone(r.Referers),
		CreatedAt: time.Unix(r.Created, 0), ExpiresAt: r.ExpiresAt(), Reused: reused}
	for _, g := range r.Grants {
		t.Grants = append(t.Grants, APIGrant{Connection: g.Connection, Source: g.Source})
	}
	return t
}

// errNotOAuth is the Tokens API refusing a token that is not an OAuth access token.
func errNotOAuth(err error) error {
	return hint.With(fmt.Errorf("the Tokens API needs an OAuth access token (a user's login or M2M credentials): %w", err), HintOAuthToken)
}
