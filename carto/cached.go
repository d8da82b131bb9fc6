package carto

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/wire"
)

// CachedLogins lists the logins kept in a cache folder ("" means the default folder), without
// any secret: who, where, which flow, until when. A folder that does not exist holds none.
func CachedLogins(dir string) ([]Info, error) {
	dir, err := CacheDir(dir)
	if err != nil {
		return nil, err
	}
	if err := cache.CheckPrivateDir(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err // not this user's logins, or not only theirs
	}
	paths, err := filepath.Glob(filepath.Join(dir, "gonbauth-*.json"))
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, p := range paths {
		e, err := cache.ReadEntry(p)
		if err != nil {
			continue // not ours, or torn by an older writer: ignored as on login
		}
		out = append(out, entryInfo(e, p))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CacheFile < out[j].CacheFile })
	return out, nil
}

// ForgetCachedLogins removes the logins kept in the cache folder of c — every one, or only
// those of the given profiles ("" is the default profile) — revoking each refresh token, and
// returns how many it removed. Revocations that fail do not stop it: they are returned
// together (each wrapping ErrRevocationFailed) after every login was removed.
func ForgetCachedLogins(ctx context.Context, c *Common, profiles ...string) (int, error) {
	if c == nil {
		c = &Common{}
	}
	set, err := c.resolve(readFacts())
	switch {
	case err != nil:
		return 0, err
	case set.cacheErr != nil:
		return 0, set.cacheErr
	case set.cacheDir == "": // NoCache: nothing on disk to forget
		return 0, nil
	}
	infos, err := CachedLogins(set.cacheDir)
	if err != nil {
		return 0, err
	}
	n, notRevoked := 0, []error(nil)
	for _, in := range infos {
		if len(profiles) > 0 && !slices.Contains(profiles, in.Profile) {
			continue
		}
		e, err := cache.ReadEntry(in.CacheFile)
		if err != nil {
			continue
		}
		err = logout(ctx, newCache(set, e.Identity, nil), func(ctx context.Context, refreshToken string) error {
			ep, err := wire.NewEndpoints(e.Identity.AuthServer)
			if err != nil {
				return err
			}
			return set.client.Revoke(ctx, ep, e.Identity.ClientID, refreshToken)
		})
		if err != nil && !errors.Is(err, ErrRevocationFailed) {
			return n, err
		}
		if err != nil {
			notRevoked = append(notRevoked, fmt.Errorf("%s login of %s: %w", cmp.Or(in.Profile, DefaultProfileName), cmp.Or(in.Account(), "an unknown account"), err))
		}
		if _, err := os.Stat(in.CacheFile); errors.Is(err, fs.ErrNotExist) {
			n++
		}
	}
	return n, errors.Join(notRevoked...)
}
