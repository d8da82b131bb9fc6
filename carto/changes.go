package carto

import (
	"context"

	"github.com/carto-go/carto-auth/internal/cache"
)

// The Changes a login makes to its cache besides renewals (see renewal): each decides, under
// the lock, what to keep.

// discovered stores the tenant and API base URL found for a login in the newest entry, so that
// a refresh token another process rotated meanwhile is kept; with none on disk, in e.
type discovered struct {
	e            *entry
	tenant, base string
}

func (discovered) Satisfied(*entry) bool { return false }
func (d discovered) Apply(_ context.Context, newest *entry, _ cache.Lock) (*entry, error) {
	if newest == nil {
		newest = d.e
	}
	updated := *newest
	updated.TenantDomain, updated.APIBaseURL = d.tenant, d.base
	return &updated, nil
}
