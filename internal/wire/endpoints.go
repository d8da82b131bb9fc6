package wire

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CARTO's production values (see docs/wire.md).
const (
	// PublicClientID is the client id of CARTO's interactive login (no client secret).
	PublicClientID = "0dxb8HR3ATXCxJiPOJVHsLoHoAtbRX6u"
	// Audience is the API audience sent on every token request.
	Audience = "carto-cloud-native-api"

	// CartoAuthServer is CARTO's auth server (Auth0).
	CartoAuthServer  = "https://auth.carto.com"
	cartoAccountsURL = "https://accounts.app.carto.com/accounts"
	cartoCopyCodeURL = "https://app.carto.com/auth/token"
)

// Endpoints are the URLs one login talks to.
type Endpoints struct {
	Server       string // the auth server base URL, part of the cache identity
	Authorize    string
	Token        string
	Revoke       string
	Userinfo     string
	Accounts     string
	CopyCode     string // the copy-code redirect URI
	ConfigScheme string // scheme used for https://<tenant_domain>/config.yaml
}

// NewEndpoints returns CARTO's endpoints, or those of a stand-in at server (CARTO_AUTH_SERVER).
func NewEndpoints(server string) (Endpoints, error) {
	if server == "" || IsCartoAuthServer(server) {
		return Endpoints{
			Server:       CartoAuthServer,
			Authorize:    CartoAuthServer + "/authorize",
			Token:        CartoAuthServer + "/oauth/token",
			Revoke:       CartoAuthServer + "/oauth/revoke",
			Userinfo:     CartoAuthServer + "/userinfo",
			Accounts:     cartoAccountsURL,
			CopyCode:     cartoCopyCodeURL,
			ConfigScheme: "https",
		}, nil
	}
	u, err := CheckURL(server)
	if err != nil {
		return Endpoints{}, fmt.Errorf("auth server %w", err)
	}
	base := strings.TrimRight(u.String(), "/")
	return Endpoints{
		Server:       base,
		Authorize:    base + "/authorize",
		Token:        base + "/oauth/token",
		Revoke:       base + "/oauth/revoke",
		Userinfo:     base + "/userinfo",
		Accounts:     base + "/accounts",
		CopyCode:     base + "/auth/token",
		ConfigScheme: u.Scheme,
	}, nil
}

// IsCartoAuthServer reports whether server names CARTO's own auth server, however spelled.
func IsCartoAuthServer(server string) bool {
	u, err := url.Parse(strings.TrimSpace(server))
	return err == nil && strings.Trim(u.Path, "/") == "" && Origin(u) == CartoAuthServer
}

// CheckURL parses an absolute http(s) URL and refuses http:// unless the host is loopback. A
// host must be written in ASCII: an internationalized name is compared and dialled in its
// IDNA form, which case folding of the Unicode form does not give (İ folds to i).
func CheckURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err == nil && u.User != nil {
		bare := *u
		bare.User = nil
		return nil, fmt.Errorf("%q with a user name or password: refused (it would be stored with the login and shown); remove them from the URL", bare.String())
	}
	if err == nil {
		u.Scheme = strings.ToLower(u.Scheme) // HTTP://host is http://host
	}
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		if strings.Contains(raw, "@") { // perhaps user:password@host without a scheme
			return nil, errors.New("not an absolute http(s) URL (and a URL may not carry a user name or password)")
		}
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	if !isASCII(u.Host) {
		return nil, fmt.Errorf("%q: the host name is not ASCII; give its ASCII (IDNA, xn--…) form", raw)
	}
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("%q: %w; use https://", raw, ErrInsecureURL)
	}
	return u, nil
}

// IsLoopbackHost reports whether host (without a port) is localhost, in any case, or a loopback IP.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// NormalizeBaseURL checks an API base URL and drops a trailing slash. A query or fragment is
// refused: request URLs are the base URL with a path appended, which a query or fragment would
// swallow. The error then names only scheme://host/path, since a query may carry a key.
func NormalizeBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := CheckURL(raw)
	if err != nil {
		return "", fmt.Errorf("API base URL %w", err)
	}
	// '?' and '#' cannot appear unescaped in an absolute URL's host or path (and a user
	// name, where they could, is refused above), so the raw text tells an empty one too.
	part := ""
	switch {
	case u.RawQuery != "" || u.ForceQuery:
		part = "query (?…)"
	case u.Fragment != "" || strings.Contains(raw, "#"):
		part = "fragment (#…)"
	}
	if part != "" {
		bare := *u
		bare.RawQuery, bare.ForceQuery, bare.Fragment, bare.RawFragment = "", false, "", ""
		return "", fmt.Errorf("API base URL %q with a %s: refused, since request paths are appended to it; give scheme://host[/path] only", bare.String(), part)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// Origin is u's scheme://host[:port], lower case, without a default port; "" for a URL that
// is not absolute http(s) or whose host is not ASCII (never the same origin as any other).
func Origin(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), u.Port()
	if host == "" || (scheme != "https" && scheme != "http") || !isASCII(u.Host) {
		return ""
	}
	if port == "" || (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
		return scheme + "://" + host
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ErrInsecureURL means an endpoint uses http:// on a host that is not loopback.
var ErrInsecureURL = errors.New("insecure URL: secrets must not travel in clear text")
