package carto

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/carto-go/carto-auth/internal/apitokens"
)

// APITokens returns the API access tokens this login (its account, at its API base URL)
// minted and recorded, oldest first, each with its State now. It reads the record only (no
// request to CARTO).
func (a *Auth) APITokens() ([]*APIToken, error) {
	store := a.apiTokenStore()
	if store == nil {
		return nil, ErrNoAPITokenRecord
	}
	all, err := store.Read()
	if err != nil {
		return nil, err
	}
	recs := apitokens.Mine(all, a.tokenOwner())
	now := a.set.now()
	out := make([]*APIToken, 0, len(recs))
	for i := range recs {
		t := tokenOf(&recs[i], false)
		t.State = stateOf(&recs[i], recs, now)
		out = append(out, t)
	}
	return out, nil
}

// stateOf is a record's State among recs at now.
func stateOf(r *apitokens.Record, recs []apitokens.Record, now time.Time) string {
	switch {
	case r.Expired(now):
		return TokenExpired
	case r.Superseded(recs, now):
		return TokenSuperseded
	}
	return TokenValid
}

// isTokenID recognizes an APIToken.ID.
var isTokenID = regexp.MustCompile(`^at_[0-9a-f]{12}$`).MatchString

// DeleteAPIToken deletes an API access token at CARTO and from the record: give its ID (from
// APITokens) or the token itself. A recorded token that CARTO no longer knows is only
// removed from the record.
func (a *Auth) DeleteAPIToken(ctx context.Context, idOrToken string) error {
	if idOrToken == "" {
		return errors.New("delete API token: give its ID (cartoauth api-token list) or the token")
	}
	var found bool
	del := func(recs []apitokens.Record) ([]apitokens.Record, error) {
		owner := a.tokenOwner()
		i := slices.IndexFunc(recs, func(r apitokens.Record) bool {
			return r.Owner == owner && (r.ID == idOrToken || r.Token == idOrToken)
		})
		if i < 0 {
			return recs, nil
		}
		found = true
		if _, err := a.deleteAtCARTO(ctx, recs[i].Token); err != nil {
			return nil, err
		}
		return slices.Delete(recs, i, i+1), nil
	}
	if store := a.apiTokenStore(); store != nil {
		if err := store.Update(ctx, del); err != nil || found {
			return err
		}
	}
	if isTokenID(idOrToken) {
		return fmt.Errorf("delete API token: no recorded token has ID %s (see the list of recorded tokens)", idOrToken)
	}
	gone, err := a.deleteAtCARTO(ctx, idOrToken)
	if err == nil && gone {
		return fmt.Errorf("delete API token: CARTO knows no token %s", apitokens.IDOf(idOrToken))
	}
	return err
}

// PruneResult is what PruneAPITokens did.
type PruneResult struct {
	// Deleted are the tokens deleted at CARTO (or found gone there) and from the record.
	Deleted []*APIToken
	// Kept is how many recorded tokens remain.
	Kept int
}

// PruneAPITokens deletes, at CARTO and from the record, the API access tokens this login
// recorded that have expired or that a newer valid token for the same grants supersedes. A token whose
// deletion fails stays recorded, and the error says which.
func (a *Auth) PruneAPITokens(ctx context.Context) (*PruneResult, error) {
	store := a.apiTokenStore()
	if store == nil {
		return nil, ErrNoAPITokenRecord
	}
	res := &PruneResult{}
	var failed []error
	err := store.Update(ctx, func(recs []apitokens.Record) ([]apitokens.Record, error) {
		now, owner := a.set.now(), a.tokenOwner()
		var keep []apitokens.Record
		for i := range recs {
			r := &recs[i]
			if r.Owner != owner || stateOf(r, recs, now) == TokenValid {
				keep = append(keep, *r)
				continue
			}
			if _, err := a.deleteAtCARTO(ctx, r.Token); err != nil {
				failed = append(failed, fmt.Errorf("%s: %w", r.ID, err))
				keep = append(keep, *r)
				continue
			}
			t := tokenOf(r, false)
			t.State = stateOf(r, recs, now)
			res.Deleted = append(res.Deleted, t)
		}
		res.Kept = len(apitokens.Mine(keep, owner))
		return keep, nil
	})
	if err != nil {
		return nil, err
	}
	if len(failed) > 0 {
		return res, fmt.Errorf("prune: %d token(s) could not be deleted and stay recorded: %w", len(failed), errors.Join(failed...))
	}
	return res, nil
}
