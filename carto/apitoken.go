package carto

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/carto-go/carto-auth/internal/apitokens"
)

// CreateAPIToken returns an API access token for exactly req: one this login minted earlier
// for the same grants, APIs, referers and permanence that has more than half its life left,
// does not outlive req.Lifetime, and that CARTO still knows; or else a new one from CARTO's
// Tokens API. Each minted token
// is recorded (0600, beside the login's cache) so that it can be reused, listed
// (APITokens) and pruned (PruneAPITokens). The Tokens API needs an OAuth login (a user's or
// M2M); an API access token cannot mint others.
func (a *Auth) CreateAPIToken(ctx context.Context, req APITokenRequest) (*APIToken, error) {
	if err := req.check(); err != nil {
		return nil, err
	}
	if a.isAPIToken() {
		return nil, errAPITokenCannot("the Tokens API")
	}
	grants := toRecordGrants(req.Grants)
	key := apitokens.KeyOf(grants, req.APIs, req.Referers, req.Permanent)
	store := a.apiTokenStore()
	if store == nil {
		a.set.warn("this login has no token cache folder: the API access token is not recorded, so it is neither reused nor pruned")
		rec, err := a.mintAPIToken(ctx, req)
		if err != nil {
			return nil, err
		}
		return tokenOf(rec, false), nil
	}
	var out *APIToken
	owner := a.tokenOwner()
	err := store.Update(ctx, func(recs []apitokens.Record) ([]apitokens.Record, error) {
		now := a.set.now()
		for i := len(recs) - 1; i >= 0; i-- {
			r := &recs[i]
			if r.Owner != owner || r.Key() != key || !r.Fresh(now) ||
				(!req.Permanent && r.ExpiresAt().After(now.Add(req.Lifetime+time.Second))) {
				continue // not this login's, not this request's, past half its life, or outliving the Lifetime asked for
			}
			known, err := a.apiTokenKnown(ctx, r.Token)
			if err != nil {
				return nil, err
			}
			if known {
				out = tokenOf(r, true)
				return recs, nil
			}
			a.set.log.Info("a recorded API access token is gone at CARTO (deleted elsewhere); minting a new one", "id", r.ID)
			recs = slices.Delete(recs, i, i+1)
		}
		rec, err := a.mintAPIToken(ctx, req)
		if err != nil {
			return nil, err
		}
		rec.Owner = owner
		out = tokenOf(rec, false)
		return append(recs, *rec), nil
	})
	if err != nil && out != nil && !out.Reused {
		// Minted, but the record could not be written: the token is the caller's all the same.
		a.set.warn("the API access token could not be recorded: it will not be reused or pruned; delete it when done", "id", out.ID, "error", err)
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// tokenOwner is this login as the record knows it: its API base URL and account.
func (a *Auth) tokenOwner() apitokens.Owner {
	return apitokens.Owner{APIBaseURL: a.APIBaseURL(), Account: a.Info().Account()}
}

// apiTokenStore is the record of this login's API access tokens, nil when the login keeps
// nothing on disk.
func (a *Auth) apiTokenStore() *apitokens.Store {
	p := apitokens.PathFor(a.cache.Path())
	if p == "" {
		return nil
	}
	return apitokens.Open(p)
}

// ErrNoAPITokenRecord means the login keeps no record of API access tokens (it has no token
// cache folder).
var ErrNoAPITokenRecord = errors.New("this login keeps no record of API access tokens (it has no token cache folder): give it one (Common.CacheDir, or CARTO_AUTH_CACHE_DIR), or ask CARTO with ListAPITokens")
