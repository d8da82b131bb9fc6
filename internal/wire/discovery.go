package wire

import (
	"context"
	"fmt"
	"strings"
)

// Discover finds the tenant and its API base URL after an interactive login:
// accounts → tenant_domain → <scheme>://<tenant_domain>/config.yaml → apis.baseUrl.
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
	return acc.TenantDomain, baseURL, nil
}

func discoveryError(err error) error {
	return fmt.Errorf("finding your CARTO API base URL: %w (or give it: OAuthOptions.APIBaseURL / --api-base-url, e.g. https://gcp-us-east1.api.carto.com)", err)
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
