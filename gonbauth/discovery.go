package gonbauth

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"
)

// discover finds the tenant and its API base URL after an interactive login:
// accounts → tenant_domain → <scheme>://<tenant_domain>/config.yaml → apis.baseUrl.
func (s *settings) discover(ctx context.Context, token string) (tenant, baseURL string, err error) {
	var acc struct {
		TenantDomain string `json:"tenant_domain"`
		Error        any    `json:"error"`
	}
	if err := s.getJSON(ctx, "accounts", s.ep.accounts, token, &acc); err != nil {
		return "", "", discoveryError(err)
	}
	if truthy(acc.Error) {
		return "", "", discoveryError(&ServerError{Endpoint: "accounts", Code: fieldText(acc.Error)})
	}
	if !validHost(acc.TenantDomain) {
		return "", "", discoveryError(fmt.Errorf("accounts endpoint gave no usable tenant_domain (%q)", clip(acc.TenantDomain)))
	}
	configURL := s.ep.configScheme + "://" + acc.TenantDomain + "/config.yaml"
	if _, err := checkURL(configURL); err != nil {
		return "", "", discoveryError(err)
	}
	var body []byte
	err = s.retry(ctx, "config.yaml", func(ctx context.Context) error {
		body, err = s.get(ctx, "config.yaml", configURL, "")
		return err
	})
	if err != nil {
		return "", "", discoveryError(err)
	}
	base := yamlValue(body, "apis", "baseUrl")
	if base == "" {
		return "", "", discoveryError(fmt.Errorf("%s has no apis.baseUrl", configURL))
	}
	if baseURL, err = normalizeBaseURL(base); err != nil {
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

// yamlValue finds the scalar at path in a block-style YAML document, enough for CARTO's
// config.yaml (nested mappings, quoted or plain scalars, comments). A key matches only at its
// full path from the top: apis.baseUrl, never other.apis.baseUrl.
func yamlValue(doc []byte, path ...string) string {
	var stack []yamlKey // the keys enclosing the current line
	sc := bufio.NewScanner(bytes.NewReader(doc))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \t\r")
		body := strings.TrimLeft(line, " ")
		if body == "" || body[0] == '#' || body == "---" {
			continue
		}
		name, val, ok := strings.Cut(body, ":")
		if !ok {
			continue
		}
		indent := len(line) - len(body)
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		stack = append(stack, yamlKey{indent, strings.TrimSpace(name)})
		if keysAre(stack, path) {
			return yamlScalar(val)
		}
	}
	return ""
}

type yamlKey struct {
	indent int
	name   string
}

func keysAre(stack []yamlKey, path []string) bool {
	if len(stack) != len(path) {
		return false
	}
	for i, k := range stack {
		if k.name != path[i] {
			return false
		}
	}
	return true
}

func yamlScalar(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
			return v[1 : end+1]
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}
