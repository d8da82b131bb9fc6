package carto

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/carto-go/carto-auth/internal/cache"
)

// EnvProfile names the profile used when OAuthOptions.Profile is empty.
const EnvProfile = "CARTO_PROFILE"

// defaultProfileFile, in the cache folder, holds the profile used when none is given.
const defaultProfileFile = "gonbauth-default-profile"

// checkProfile refuses profile names that could not be a plain word (or a file name part).
func checkProfile(name string) error {
	ok := len(name) <= 64
	for i, r := range name {
		word := r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))
		ok = ok && (word || i > 0 && strings.ContainsRune("._-", r))
	}
	if !ok {
		return fmt.Errorf("profile %q: use letters, digits, '.', '_' or '-' (at most 64), starting with a letter or digit", name)
	}
	return nil
}

// DefaultProfileName names the default profile where a name is needed (it is "" elsewhere):
// Profile "default" selects it even after SetDefaultProfile chose another.
const DefaultProfileName = "default"

// resolveProfile picks the profile: the option's, else env ($CARTO_PROFILE), else the default
// chosen with SetDefaultProfile in the cache folder dir ("" when caching is off), else "". A
// damaged or unsafe choice file means the default profile, with a warning.
func resolveProfile(opt, env, dir string, warn func(string, ...any)) (string, error) {
	p := cmp.Or(opt, env)
	if p == "" && dir != "" {
		var err error
		if p, err = readDefaultProfile(dir); err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				warn("ignoring the default profile choice; using the default profile (run `cartoauth switch NAME` to choose again)",
					"file", filepath.Join(dir, defaultProfileFile), "reason", err)
			}
			p = ""
		}
	}
	if p == DefaultProfileName {
		p = ""
	}
	return p, checkProfile(p)
}

// DefaultProfile returns the profile chosen with SetDefaultProfile in the cache folder dir
// ("" means the default folder, see CacheDir), or "" when none was chosen.
func DefaultProfile(dir string) (string, error) {
	dir, err := CacheDir(dir)
	if err != nil {
		return "", err
	}
	p, err := readDefaultProfile(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return p, err
}

func readDefaultProfile(dir string) (string, error) {
	body, err := cache.ReadPrivate(filepath.Join(dir, defaultProfileFile))
	if err != nil {
		return "", err
	}
	p := strings.TrimSpace(string(body))
	return p, checkProfile(p)
}

// SetDefaultProfile chooses the profile used when neither OAuthOptions.Profile nor
// $CARTO_PROFILE names one (like `gh auth switch`); "" or "default" goes back to the default
// profile. The
// choice is kept in the cache folder dir ("" means the default folder) under the same rules as
// the tokens.
func SetDefaultProfile(dir, profile string) error {
	if profile == DefaultProfileName {
		profile = ""
	}
	if err := checkProfile(profile); err != nil {
		return err
	}
	dir, err := CacheDir(dir)
	if err != nil {
		return err
	}
	if err := cache.EnsurePrivateDir(dir); err != nil {
		return err
	}
	path := filepath.Join(dir, defaultProfileFile)
	if profile == "" {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return cache.WriteFileAtomic(path, []byte(profile+"\n"))
}
