package wire

import (
	"slices"

	"context"
	"github.com/carto-go/carto-auth/internal/hint"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// prodDiscovery runs Discover with CARTO's production endpoints whose accounts URL points at a
// TLS stand-in; the stand-in's tenant_domain is itself, and its config.yaml gives baseUrl.
func prodDiscovery(t *testing.T, server, baseURL string) (string, error) {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/accounts" {
			w.Write([]byte(`{"tenant_domain": "` + strings.TrimPrefix(srv.URL, "https://") + `"}`))
			return
		}
		w.Write([]byte("apis:\n  baseUrl: '" + baseURL + "'\n"))
	}))
	t.Cleanup(srv.Close)
	ep, err := NewEndpoints(server)
	if err != nil {
		t.Fatal(err)
	}
	ep.Accounts = srv.URL + "/accounts"
	ep.ConfigScheme = "https"
	client := &Client{HC: srv.Client(), Log: slog.New(slog.DiscardHandler)}
	_, base, err := client.Discover(context.Background(), ep, "the-access-token")
	return base, err
}

// TestProductionDiscoveryOnlyCartoHTTPS: with CARTO's own auth server, the base URL that
// discovery finds must be https:// on a carto.com subdomain, since the Bearer token goes there.
func TestProductionDiscoveryOnlyCartoHTTPS(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		"http://127.0.0.1:8080",
		"HTTP://LOCALHOST:8080",
		"http://localhost",
		"https://collector.attacker.example",
		"https://carto.com.attacker.example",
		"https://evilcarto.com",
		"https://carto.com",
		"https://.carto.com",
		"https://x..carto.com",
		"https://gcp-us-east1.api.carto.com.",
		"https://gcp-us-east1.api.carto.com?x=1",
		"https://gcp-us-east1.api.carto.com#x",
		"https://u:p@gcp-us-east1.api.carto.com",
		"http://gcp-us-east1.api.carto.com",
		"ftp://gcp-us-east1.api.carto.com",
	} {
		t.Run(bad, func(t *testing.T) {
			t.Parallel()
			base, err := prodDiscovery(t, "", bad)
			if err == nil {
				t.Fatalf("production discovery accepted baseUrl %q (got %q)", bad, base)
			}
			if testing.Verbose() {
				t.Log(err)
			}
			if !slices.Contains(hint.Of(err), hint.APIBaseURL) {
				t.Errorf("err = %v; want the way to give the base URL", err)
			}
			if strings.Contains(err.Error(), "the-access-token") || strings.Contains(err.Error(), "u:p@") {
				t.Errorf("a secret leaked into %q", err)
			}
		})
	}
	for raw, want := range map[string]string{
		"https://gcp-us-east1.api.carto.com":        "https://gcp-us-east1.api.carto.com",
		"https://gcp-europe-west1.api.carto.com/":   "https://gcp-europe-west1.api.carto.com",
		"HTTPS://gcp-asia-northeast1.API.CARTO.COM": "https://gcp-asia-northeast1.API.CARTO.COM",
	} {
		t.Run(raw, func(t *testing.T) {
			t.Parallel()
			base, err := prodDiscovery(t, "https://AUTH.carto.com/", raw)
			if err != nil || base != want {
				t.Fatalf("production discovery of %q = %q, %v; want %q", raw, base, err, want)
			}
		})
	}
}

// TestStandInDiscoveryKeepsFreedom: a stand-in auth server may point at any http(s) API
// (http on loopback only), as may a caller.
func TestStandInDiscoveryKeepsFreedom(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"http://127.0.0.1:8080", "HTTP://LOCALHOST:8080", "https://api.example.com"} {
		base, err := prodDiscovery(t, "https://auth.example.com", raw)
		if err != nil || !strings.EqualFold(base, raw) {
			t.Errorf("stand-in discovery of %q = %q, %v", raw, base, err)
		}
	}
}

// TestNormalizeBaseURL: scheme and loopback host compare without regard to case, and a base URL
// with a query or fragment is refused, since request URLs are built by appending paths to it.
func TestNormalizeBaseURL(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"http://localhost:8080":    "http://localhost:8080",
		"HTTP://LOCALHOST:8080/":   "http://LOCALHOST:8080",
		"Http://LocalHost":         "http://LocalHost",
		"https://api.example.com/": "https://api.example.com",
		"":                         "",
	} {
		if got, err := NormalizeBaseURL(raw); err != nil || got != want {
			t.Errorf("NormalizeBaseURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for raw, want := range map[string]string{
		"https://api.example.com?x=1":   "query",
		"https://api.example.com/?":     "query",
		"https://api.example.com#frag":  "fragment",
		"https://api.example.com/#":     "fragment",
		"HTTP://API.EXAMPLE.COM":        "insecure",
		"https://api.example.com/v?a#b": "query",
	} {
		if got, err := NormalizeBaseURL(raw); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NormalizeBaseURL(%q) = %q, %v; want an error about %s", raw, got, err, want)
		}
	}
}
