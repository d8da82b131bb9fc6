package carto

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/wire"
)

// CartoCLILogins is what CARTO's own CLI keeps in its file, as ListCartoCLILogins lists it.
type CartoCLILogins struct {
	// File is the CARTO CLI's file ($HOME/.carto_credentials.json); "" without a home folder.
	File string `json:"file"`
	// CurrentProfile is the CLI's current profile, which Login reads for the default profile.
	CurrentProfile string `json:"current_profile,omitempty"`
	// Logins are its profiles (Profile is the CLI's name; Source "carto-cli"), without any
	// secret; each one's PassedOver says why Login would not use it (expired, ...).
	Logins []Info `json:"logins"`
	// OthersCanRead says that other users can read the file (run chmod 600 on it).
	OthersCanRead bool `json:"others_can_read,omitempty"`
}

// ListCartoCLILogins lists the logins of CARTO's own CLI (`carto auth login`), read from its
// file and never changed, for listings such as `cartoauth status`. A missing file lists none;
// a file Login would not read (not a regular file of the user, writable by others, not the
// CLI's shape, M2M credentials) is an error saying why.
func ListCartoCLILogins() (CartoCLILogins, error) {
	f := readFacts()
	out := CartoCLILogins{File: cartoCLIPath(f), Logins: []Info{}}
	if out.File == "" {
		return out, nil
	}
	body, othersRead, err := cache.ReadForeign(out.File)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.OthersCanRead = othersRead
	file, err := parseCartoCLIFile(body)
	if err != nil {
		return out, fmt.Errorf("%s: %w", out.File, err)
	}
	ep, err := wire.NewEndpoints(f.getenv(EnvAuthServer))
	if err != nil {
		return out, err
	}
	out.CurrentProfile = file.Current
	for _, name := range sortedKeys(file.Profiles) {
		p := file.Profiles[name]
		in := Info{Kind: kindOAuth, Profile: name, Email: wire.Displayable(p.UserEmail), Source: SourceCartoCLI, AuthServer: ep.Server,
			Organization: p.OrganizationID, SourceFile: out.File}
		if validTenantDomain(p.TenantDomain) {
			in.TenantDomain = p.TenantDomain
		}
		if claims, ok := readJWT(p.Token); ok {
			in.Expiry, in.ClientID = claims.Exp, claims.Azp
		}
		in.APIBaseURL, _ = cartoCLIBaseURL(p.TenantID, ep.Server, !wire.IsCartoAuthServer(ep.Server))
		if _, err := cartoCLIEntry(p, cartoCLIWant{profile: name, server: ep.Server, now: time.Now()}); err != nil {
			in.PassedOver = []string{err.Error()}
		}
		out.Logins = append(out.Logins, in)
	}
	return out, nil
}
