package carto

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/hint"
	"github.com/carto-go/carto-auth/internal/wire"
)

// cartoCLIWant is what a login asks of the CARTO CLI's: the profile (ours: "" is the default,
// which reads the CLI's current profile), what the caller gave that the login must match, the
// auth server in use and the time.
type cartoCLIWant struct {
	profile, apiBaseURL, organization, clientID string
	server                                      string
	now                                         time.Time
}

// cartoCLIPath is the CARTO CLI's file in the home folder f names ("" without one).
func cartoCLIPath(f *facts) string {
	home := cmp.Or(f.getenv("HOME"), f.getenv("USERPROFILE"))
	if home == "" {
		return ""
	}
	return filepath.Join(home, cartoCLIFileName)
}

// readCartoCLI reads the login w asks for from the CARTO CLI's file at path, without changing
// the file. A missing file wraps fs.ErrNotExist; any other error says why the login cannot be
// used. readable, when not nil, is told that other users can read the file.
func readCartoCLI(path string, w cartoCLIWant, readable func()) (*entry, error) {
	body, othersRead, err := cache.ReadForeign(path)
	if err != nil {
		return nil, err
	}
	if othersRead && readable != nil {
		readable()
	}
	file, err := parseCartoCLIFile(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	name, p, err := file.pick(w.profile)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, quietPass{err})
	}
	e, err := cartoCLIEntry(p, w)
	if err != nil {
		return nil, fmt.Errorf("%s, profile %s: %w", path, profileLabel(name), err)
	}
	return e, nil
}

// cartoCLIEntry is the entry of profile p, or why w cannot use it: its token must be a JWT
// whose exp is still ahead, issued by the auth server in use when that is a stand-in (a real
// login never goes to a stand-in), for the API base URL, organization and client the caller
// gave, if any.
func cartoCLIEntry(p cartoCLIProfile, w cartoCLIWant) (*entry, error) {
	if p.Token == "" || strings.ContainsFunc(p.Token, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return nil, errors.New("it has no usable token")
	}
	claims, _ := readJWT(p.Token)
	if claims.Exp.IsZero() {
		return nil, errors.New("its token has no expiry (exp) to go by")
	}
	standIn := !wire.IsCartoAuthServer(w.server)
	if iss := strings.TrimSuffix(claims.Iss, "/"); standIn && iss != w.server {
		return nil, quietPass{fmt.Errorf("its token was not issued by the auth server in use (%s)", w.server)}
	}
	base, err := cartoCLIBaseURL(p.TenantID, w.server, standIn)
	if err != nil {
		return nil, err
	}
	for _, o := range []struct{ option, given, its string }{
		{"APIBaseURL", w.apiBaseURL, base}, {"Organization", w.organization, p.OrganizationID}, {"ClientID", w.clientID, claims.Azp},
	} {
		if o.given != "" && o.given != o.its {
			return nil, quietPass{fmt.Errorf("the given %s %q is not its own (%q)", o.option, o.given, wire.Clip(o.its))}
		}
	}
	id := identity{Kind: kindOAuth, AuthServer: w.server, ClientID: claims.Azp, Organization: p.OrganizationID, APIBaseURL: base, Profile: w.profile}
	e := staticEntry(id, p.Token, claims.Exp, w.now)
	if !e.Usable(w.now) {
		return nil, quietPass{fmt.Errorf("its token expired at %s (`carto auth login` logs in again)", claims.Exp.Local().Format(time.DateTime))}
	}
	e.Email, e.Flow = cmp.Or(wire.Displayable(p.UserEmail), claims.Email), SourceCartoCLI
	if validTenantDomain(p.TenantDomain) {
		e.TenantDomain = p.TenantDomain
	}
	return e, nil
}

// quietPass is why a CARTO CLI login is passed over that needs no warning, only a word in
// Info: its token expired, or the caller asked for another account or server.
type quietPass struct{ error }

func (q quietPass) Unwrap() error { return q.error }

// cartoCLIBaseURL is the API base URL of a CARTO CLI login of tenant, as the CLI builds it
// (https://{tenant_id}.api.carto.com, checked as a discovered one); a stand-in auth server
// serves every tenant's API itself.
func cartoCLIBaseURL(tenant, server string, standIn bool) (string, error) {
	if standIn {
		return server, nil
	}
	if tenant == "" {
		return "", errors.New("it has no tenant_id")
	}
	base := "https://" + tenant + ".api.carto.com"
	if wire.CheckCartoAPIBaseURL(base) != nil || strings.ContainsAny(tenant, "./:@?#") {
		return "", errors.New("its tenant_id is not a CARTO host name")
	}
	return base, nil
}

// validTenantDomain accepts a host name of letters, digits, '-' and '.'.
func validTenantDomain(d string) bool {
	return d != "" && len(d) <= 253 && !strings.ContainsFunc(d, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.')
	})
}

// cartoCLIStep is Login's step after the cache: the CARTO CLI's login for cfg, kept in memory
// and never written, or nil and why it was passed over (nothing when there is no file).
func cartoCLIStep(ctx context.Context, cfg *oauthConfig, f *facts) (*Auth, []string) {
	path := cartoCLIPath(f)
	if path == "" {
		return nil, nil
	}
	set := cfg.set
	w := cartoCLIWant{profile: cfg.id.Profile, apiBaseURL: cfg.id.APIBaseURL, organization: cfg.id.Organization,
		clientID: cfg.opts.ClientID, server: set.ep.Server, now: set.now()}
	readable := func() {
		if _, dup := warned.LoadOrStore("carto-cli readable "+path, true); !dup {
			set.warn("the CARTO CLI's login file is readable by other users; run: chmod 600 " + path)
		}
	}
	e, err := readCartoCLI(path, w, readable)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		if !errors.As(err, new(quietPass)) {
			set.warn("not using the CARTO CLI's login", "reason", err)
		}
		return nil, []string{SourceCartoCLI + ": " + err.Error()}
	}
	s := &staticLogin{file: path,
		reload: func() (*entry, error) {
			w.now = set.now()
			return readCartoCLI(path, w, nil)
		},
		spent: hint.With(fmt.Errorf("%w: the CARTO CLI's login (%s) expired or was refused, and this package does not renew it", ErrInteractionRequired, path),
			HintLogIn),
		loggedOut: "the CARTO CLI's login in " + path + " is left as it is; `carto auth logout` ends it",
	}
	a, err := newStaticAuth(ctx, set, e, s, SourceCartoCLI)
	if err != nil {
		return nil, []string{SourceCartoCLI + ": " + err.Error()}
	}
	return a, nil
}
