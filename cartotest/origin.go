package cartotest

import (
	"net/url"
	"strings"
)

// originOf is scheme://host[:port] of an http(s) URL, lower case, "" for anything else.
func originOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}
