package carto

import (
	"cmp"
	"fmt"
	"time"
)

// Sources of a login, in Info.Source.
const (
	SourceCache       = "cache"       // an earlier login, from the token cache
	SourceInteractive = "interactive" // a login by the user, just now
	SourceM2M         = "m2m"         // machine-to-machine credentials given by the caller
	SourceEnvironment = "environment" // M2M credentials from CARTO_CREDENTIALS(_FILE), or CARTO_API_TOKEN, by Login
	SourceCartoCLI    = "carto-cli"   // the login of CARTO's own CLI (`carto auth login`), read from its file by Login
)

// Info describes a login without any secret in it.
type Info struct {
	Kind         string `json:"kind"` // "oauth", "m2m" or "api-token" (KindAPIToken)
	Profile      string `json:"profile,omitempty"`
	Email        string `json:"email,omitempty"` // from the ID token; empty when unknown
	Name         string `json:"name,omitempty"`
	Source       string `json:"source,omitempty"` // how this Auth logged in (not for cached listings)
	Flow         string `json:"flow,omitempty"`
	AuthServer   string `json:"auth_server"`
	ClientID     string `json:"client_id"`
	Organization string `json:"organization,omitempty"`
	TenantDomain string `json:"tenant_domain,omitempty"`
	APIBaseURL   string `json:"api_base_url,omitempty"`
	CacheFile    string `json:"cache_file,omitempty"` // empty when caching is off
	// MemoryOnly says why this login is kept in this process's memory only (the cache folder
	// or its file system cannot be used, or the save failed): it ends with the process, and
	// other processes do not see it. Empty when it is in CacheFile, or caching is off.
	MemoryOnly string `json:"memory_only,omitempty"`
	// SourceFile is the file another program keeps the login in (the CARTO CLI's), which this
	// package reads and never changes; empty for its own logins.
	SourceFile string `json:"source_file,omitempty"`
	// PassedOver lists, for a login Login made, the sources it passed over and why
	// ("carto-cli: its token expired at ..."); for a listed login another program keeps, why
	// Login would pass it over. Empty when there is nothing to say.
	PassedOver []string `json:"passed_over,omitempty"`
	// Expiry is when the access token expires; zero when the token says no expiry (an API
	// access token is used until an API refuses it).
	Expiry          time.Time `json:"access_token_expiry"`
	HasRefreshToken bool      `json:"has_refresh_token"`
}

// Info reports who is logged in, where the tokens are kept and until when they are valid.
func (a *Auth) Info() Info {
	e := a.cache.Current()
	if e == nil {
		e = &entry{Identity: a.id}
	}
	in := entryInfo(e, a.cache.Path())
	in.Source = a.source
	in.MemoryOnly = a.cache.MemoryOnly()
	in.PassedOver = a.passedOver
	if d, ok := a.login.(infoDescriber); ok {
		d.describe(&in)
	}
	return in
}

// infoDescriber is a renewer that knows more of its login than the cache entry says (a token
// given as it is: its kind, expiry and file).
type infoDescriber interface{ describe(*Info) }

func (in Info) String() string {
	where := in.TenantDomain
	if where == "" {
		where = in.APIBaseURL
	}
	s := fmt.Sprintf("%s login to %s", in.Kind, where)
	if who := in.Account(); who != "" {
		s += " as " + who
	}
	if in.Expiry.IsZero() {
		return s + ", token with no known expiry"
	}
	return s + ", token valid until " + in.Expiry.Local().Format(time.DateTime)
}

// Account is who is logged in, for people: the email (else the name) of an interactive login,
// the client id of an M2M one; "" when unknown.
func (in Info) Account() string {
	if in.Kind == kindM2M {
		return in.ClientID
	}
	return cmp.Or(in.Email, in.Name)
}

func entryInfo(e *entry, path string) Info {
	in := Info{Kind: e.Identity.Kind, Profile: e.Identity.Profile, Email: e.Email, Name: e.Name, Flow: e.Flow,
		AuthServer: e.Identity.AuthServer, ClientID: e.Identity.ClientID, Organization: e.Identity.Organization,
		TenantDomain: e.TenantDomain, APIBaseURL: cmp.Or(e.Identity.APIBaseURL, e.APIBaseURL), CacheFile: path,
		HasRefreshToken: e.RefreshToken != "", Expiry: e.Expiry}
	return in
}
