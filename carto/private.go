package carto

import (
	"errors"
	"io/fs"

	"github.com/carto-go/carto-auth/internal/cache"
)

// ErrUnsafeCacheDir means the token cache folder cannot be trusted with tokens: it is a
// symbolic link, belongs to another user, or other users can write to it. Tokens are then kept
// in memory only.
var ErrUnsafeCacheDir = cache.ErrUnsafeDir

// CheckCacheDir reports whether the cache folder dir ("" means the default, see [CacheDir])
// can hold tokens: nil when it is a folder of the current user that no one else can write to,
// or when it does not exist yet (it is then created 0700). The error wraps ErrUnsafeCacheDir
// and says what to do.
func CheckCacheDir(dir string) error {
	dir, err := CacheDir(dir)
	if err != nil {
		return err
	}
	err = cache.CheckPrivateDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
