// Package apitokens keeps the record of the API access tokens a login minted: a private file
// beside the login's cache file, so that a token minted for the same grant is reused while
// it has more than half its life left, and expired or superseded ones can be pruned. The
// file holds the tokens themselves (it is 0600 in a 0700 folder, like the cache); nothing
// else the package writes does.
package apitokens

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// Grant is a connection and a source on it (a table name, a SQL query, or *).
type Grant struct {
	Connection string `json:"connection"`
	Source     string `json:"source"`
}

// Owner is the login a token was minted with: its API base URL and account. A record file
// may outlive a login (another account logs in with the same profile): each login sees only
// its own tokens, and never sends another's anywhere.
type Owner struct {
	APIBaseURL string `json:"api_base_url"`
	Account    string `json:"account"`
}

// Record is one minted API access token.
type Record struct {
	Owner
	ID       string   `json:"id"`
	Token    string   `json:"token"`
	Grants   []Grant  `json:"grants"`
	APIs     []string `json:"apis"`
	Referers []string `json:"referers,omitempty"`
	Created  int64    `json:"created"`           // Unix seconds
	Expires  int64    `json:"expires,omitempty"` // Unix seconds; 0: it never expires
}

// IDOf names a token without revealing it: "at_" and the first 12 hex digits of its SHA-256.
func IDOf(token string) string {
	sum := sha256.Sum256([]byte(token))
	return "at_" + hex.EncodeToString(sum[:6])
}

// Permanent reports whether the token never expires.
func (r *Record) Permanent() bool { return r.Expires == 0 }

// ExpiresAt is the token's expiry (zero for a permanent token).
func (r *Record) ExpiresAt() time.Time {
	if r.Expires == 0 {
		return time.Time{}
	}
	return time.Unix(r.Expires, 0)
}

// Expired reports whether the token has expired at now.
func (r *Record) Expired(now time.Time) bool {
	return r.Expires != 0 && now.Unix() >= r.Expires
}

// Fresh reports whether the token may be reused at now: permanent, or more than half its
// life left.
func (r *Record) Fresh(now time.Time) bool {
	if r.Permanent() {
		return true
	}
	return now.Unix() < r.Created+(r.Expires-r.Created)/2
}

// Key is what the token was minted for — its grants, APIs, referers (each in any order) and
// whether it is permanent — as one comparable value.
func (r *Record) Key() string { return KeyOf(r.Grants, r.APIs, r.Referers, r.Permanent()) }

// Mine returns the records of owner, in their order.
func Mine(recs []Record, owner Owner) []Record {
	var out []Record
	for _, r := range recs {
		if r.Owner == owner {
			out = append(out, r)
		}
	}
	return out
}

// KeyOf is Record.Key for a request.
func KeyOf(grants []Grant, apis, referers []string, permanent bool) string {
	gs := slices.Clone(grants)
	slices.SortFunc(gs, func(a, b Grant) int {
		return strings.Compare(a.Connection+"\x00"+a.Source, b.Connection+"\x00"+b.Source)
	})
	b, _ := json.Marshal(struct {
		G []Grant
		A []string
		R []string
		P bool
	}{slices.Compact(gs), sortedSet(apis), sortedSet(referers), permanent})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func sortedSet(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// Superseded reports whether a newer record in recs was minted by the same owner for the same
// key and has not expired at now: r is then no longer the one to use.
func (r *Record) Superseded(recs []Record, now time.Time) bool {
	key := r.Key()
	for i := range recs {
		o := &recs[i]
		if o.Owner == r.Owner && o.ID != r.ID && o.Created >= r.Created && !o.Expired(now) && o.Key() == key {
			if o.Created > r.Created || o.ID > r.ID {
				return true
			}
		}
	}
	return false
}
