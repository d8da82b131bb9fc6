package wire

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/carto-go/carto-auth/internal/hint"
)

// Discover finds the tenant and its API base URL after an interactive login:
// accounts → tenant_domain → <scheme>://<tenant_domain>/config.yaml → apis.baseUrl.
// With CARTO's production auth server the base URL must be https:// on a carto.com subdomain
// (CheckCartoAPIBaseURL); a stand-in's may be any URL that NormalizeBaseURL accepts.
func (c *Client) Discover(ctx context.Context, ep Endpoints, token string) (tenant, baseURL string, err error) {
	var acc struct {
		TenantDomain string `json:"tenant_domain"`
		Error        any    `json:"error"`
	}
	if err := c.GetJSON(ctx, "accounts", ep.Accounts, token, &acc); err != nil {
		return "", "", discoveryError(err)
	}
	if truthy(acc.Error) {
		return "", "", discoveryError(&ServerError{Endpoint: "accounts", Code: FieldText(acc.Error)})
	}
	if !validHost(acc.TenantDomain) {
		return "", "", discoveryError(fmt.Errorf("accounts endpoint gave no usable tenant_domain (%q)", Clip(acc.TenantDomain)))
	}
	configURL := ep.ConfigScheme + "://" + acc.TenantDomain + "/config.yaml"
	if _, err := CheckURL(configURL); err != nil {
		return "", "", discoveryError(err)
	}
	var body []byte
	err = c.Retry(ctx, "config.yaml", func(ctx context.Context) error {
		body, err = c.Get(ctx, "config.yaml", configURL, "")
		return err
	})
	if err != nil {
		return "", "", discoveryError(err)
	}
	base := YAMLValue(body, "apis", "baseUrl")
	if base == "" {
		return "", "", discoveryError(fmt.Errorf("%s has no apis.baseUrl", configURL))
	}
	if baseURL, err = NormalizeBaseURL(base); err != nil {
		return "", "", discoveryError(err)
	}
	// CARTO's own auth server: the base URL (and with it the Bearer token) may only go to
	// CARTO's API hosts. A stand-in auth server (CARTO_AUTH_SERVER) is trusted with its own.
	if IsCartoAuthServer(ep.Server) {
		if err := CheckCartoAPIBaseURL(baseURL); err != nil {
			return "", "", discoveryError(fmt.Errorf("%s: %w", configURL, err))
		}
	}
	return acc.TenantDomain, baseURL, nil
}

func discoveryError(err error) error {
	return hint.With(fmt.Errorf("finding your CARTO API base URL: %w", err), hint.APIBaseURL)
}

func truthy(v any) bool {
	switch e := v.(type) {
	case nil:
		return false
	case bool:
		return e
	case string:
		return e != ""
	}
	return true
}

// validHost accepts host or host:port, nothing that could change the URL's meaning.
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".-:[]", r)) {
			return false
		}
	}
	return true
}

// CheckCartoAPIBaseURL is the check of a base URL that discovery found for CARTO's own auth
// server: the access token is sent there, so it must be https:// on a carto.com subdomain (host
// ending in .carto.com, any case, ASCII letters, digits and '-' in non-empty labels; no trailing
// dot, user name, query or fragment). base is a NormalizeBaseURL result. A self-hosted CARTO's
// API lives elsewhere: its users give the base URL themselves, which skips discovery.
func CheckCartoAPIBaseURL(base string) error {
	u, err := url.Parse(base)
	if err == nil && u.User == nil && u.RawQuery == "" && !u.ForceQuery && u.Fragment == "" &&
		strings.EqualFold(u.Scheme, "https") && isCartoSubdomain(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("API base URL %q: refused: with CARTO's auth server, discovery accepts only an https:// host under carto.com, since the access token is sent there; a self-hosted CARTO's API base URL must be given", Clip(base))
}

func isCartoSubdomain(host string) bool {
	host = strings.ToLower(host)
	sub, ok := strings.CutSuffix(host, ".carto.com")
	if !ok || sub == "" {
		return false
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}
