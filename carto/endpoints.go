package carto

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CARTO's production values (see the README's wire notes).
const (
	// PublicClientID is the client id of CARTO's interactive login (no client secret).
	PublicClientID = "0dxb8HR3ATXCxJiPOJVHsLoHoAtbRX6u"
	// Audience is the API audience sent on every token request.
	Audience = "carto-cloud-native-api"

	cartoAuthServer  = "https://auth.carto.com"
	cartoAccountsURL = "https://accounts.app.carto.com/accounts"
	cartoCopyCodeURL = "https://app.carto.com/auth/token"
)

// endpoints are the URLs one login talks to.
type endpoints struct {
	server       string // the auth server base URL, part of the cache identity
	authorize    string
	token        string
	revoke       string
	userinfo     string
	accounts     string
	copyCode     string // the copy-code redirect URI
	configScheme string // scheme used for https://<tenant_domain>/config.yaml
}

// newEndpoints returns CARTO's endpoints, or those of a stand-in at server (CARTO_AUTH_SERVER).
func newEndpoints(server string) (endpoints, error) {
	if server == "" || isCartoAuthServer(server) {
		return endpoints{
			server:       cartoAuthServer,
			authorize:    cartoAuthServer + "/authorize",
			token:        cartoAuthServer + "/oauth/token",
			revoke:       cartoAuthServer + "/oauth/revoke",
			userinfo:     cartoAuthServer + "/userinfo",
			accounts:     cartoAccountsURL,
			copyCode:     cartoCopyCodeURL,
			configScheme: "https",
		}, nil
	}
	u, err := checkURL(server)
	if err != nil {
		return endpoints{}, fmt.Errorf("auth server %w", err)
	}
	base := strings.TrimRight(u.String(), "/")
	return endpoints{
		server:       base,
		authorize:    base + "/authorize",
		token:        base + "/oauth/token",
		revoke:       base + "/oauth/revoke",
		userinfo:     base + "/userinfo",
		accounts:     base + "/accounts",
		copyCode:     base + "/auth/token",
		configScheme: u.Scheme,
	}, nil
}

// isCartoAuthServer reports whether server names CARTO's own auth server, however spelled.
func isCartoAuthServer(server string) bool {
	u, err := url.Parse(strings.TrimSpace(server))
	return err == nil && strings.Trim(u.Path, "/") == "" && origin(u) == cartoAuthServer
}

// checkURL parses an absolute http(s) URL and refuses http:// unless the host is loopback. A
// host must be written in ASCII: an internationalized name is compared and dialled in its
// IDNA form, which case folding of the Unicode form does not give (İ folds to i).
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	if !isASCII(u.Host) {
		return nil, fmt.Errorf("%q: the host name is not ASCII; give its ASCII (IDNA, xn--…) form", raw)
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return nil, fmt.Errorf("%q: %w; use https://", raw, ErrInsecureURL)
	}
	return u, nil
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// normalizeBaseURL checks a caller's API base URL and drops a trailing slash.
func normalizeBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := checkURL(raw)
	if err != nil {
		return "", fmt.Errorf("API base URL %w", err)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// origin is u's scheme://host[:port], lower case, without a default port; "" for a URL that
// is not absolute http(s) or whose host is not ASCII (never the same origin as any other).
func origin(u *url.URL) string {
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
