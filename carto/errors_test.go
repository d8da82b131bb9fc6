package carto

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/internal/wire"
)

func TestInsecureEndpointsAreRefused(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"http://auth.example.com", "ftp://x", "not a url"} {
		if _, err := FromOAuth(context.Background(), &OAuthOptions{Common: Common{AuthServer: u, NoCache: true}}); err == nil {
			t.Errorf("auth server %q accepted", u)
		}
		if _, err := FromOAuth(context.Background(), &OAuthOptions{APIBaseURL: u, Common: Common{NoCache: true}}); err == nil {
			t.Errorf("API base URL %q accepted", u)
		}
	}
	if _, err := FromOAuth(context.Background(), &OAuthOptions{APIBaseURL: "http://api.example.com"}); !errors.Is(err, ErrInsecureURL) {
		t.Errorf("err = %v, want ErrInsecureURL", err)
	}
	for _, ok := range []string{"http://localhost:8080", "http://127.0.0.1:1", "http://[::1]:2", "https://x.carto.com"} {
		if _, err := wire.CheckURL(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
}

// TestURLsWithCredentialsAreRefused: a password in an auth server or base URL would be kept in
// the cache's identity and shown by `cartoauth status`; it is refused, and not repeated.
func TestURLsWithCredentialsAreRefused(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"https://ana:s3cr3t-pw@auth.example.com", "http://ana:s3cr3t-pw@127.0.0.1:1", "https://s3cr3t-pw@x.carto.com", "ana:s3cr3t-pw@x.carto.com"} {
		_, err := FromOAuth(context.Background(), &OAuthOptions{APIBaseURL: u, Common: Common{AuthServer: u, NoCache: true}})
		if err == nil || !strings.Contains(err.Error(), "URL") {
			t.Errorf("%q: %v; want the URL refused", u, err)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t-pw") {
			t.Errorf("the error repeats the password: %v", err)
		}
	}
}

func TestTokenEndpointFaults(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		fault cartotest.Fault
		want  string
	}{
		"500 with error fields": {cartotest.Fault{Status: 500, Times: 10, Body: `{"error":"server_error","error_description":"db down"}`}, "db down"},
		"non-JSON 502":          {cartotest.Fault{Status: 502, Times: 10, Body: "<html>bad gateway</html>"}, "answered 502"},
		"truncated 200":         {cartotest.Fault{Status: 200, Body: `{"access_token": "abc`}, "not a valid token response"},
		"over 1 MiB":            {cartotest.Fault{Status: 200, Body: `{"access_token":"` + strings.Repeat("a", 1<<20+10) + `"}`}, "not a valid token response"},
		"403 access_denied":     {cartotest.Fault{Status: 403, Body: `{"error":"access_denied","error_description":"Service not enabled"}`}, "Service not enabled"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := standIn(t, cartotest.Config{})
			creds := writeCreds(t, srv)
			srv.Inject(cartotest.EndpointToken, c.fault)
			_, err := FromM2M(context.Background(), creds, &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v; want %q", err, c.want)
			}
		})
	}
}

func TestRetriesHonourRetryAfterAndStop(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	creds := writeCreds(t, srv)
	srv.Inject(cartotest.EndpointToken, cartotest.Fault{Status: 503, Times: 2})
	opts := &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}}
	if _, err := FromM2M(context.Background(), creds, opts); err != nil {
		t.Fatalf("503 twice then success: %v", err)
	}
	if n := srv.Count(cartotest.EndpointTokenCC); n != 3 {
		t.Errorf("requests %d, want 3", n)
	}
	srv.Inject(cartotest.EndpointToken, cartotest.Fault{Status: 429, RetryAfter: time.Second})
	start := time.Now()
	if _, err := FromM2M(context.Background(), creds, opts); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 900*time.Millisecond || d > 5*time.Second {
		t.Errorf("429 with Retry-After: 1 waited %s", d)
	}
	srv.Inject(cartotest.EndpointToken, cartotest.Fault{Status: 400, Body: `{"error":"invalid_request"}`})
	before := srv.Count(cartotest.EndpointTokenCC)
	if _, err := FromM2M(context.Background(), creds, opts); err == nil {
		t.Fatal("a 400 succeeded")
	}
	if srv.Count(cartotest.EndpointTokenCC) != before+1 {
		t.Error("a 400 was retried")
	}
}

func TestHungEndpointFailsAtTheDeadline(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	creds := writeCreds(t, srv)
	srv.Inject(cartotest.EndpointToken, cartotest.Fault{Delay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := FromM2M(ctx, creds, &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 3*time.Second {
		t.Fatalf("err = %v after %s", err, time.Since(start))
	}
}

func TestSecretsNeverReachErrors(t *testing.T) {
	t.Parallel()
	srv, a, _, _ := oauthLoggedIn(t, cartotest.Config{})
	e := a.cache.Current()
	secrets := []string{e.AccessToken, e.RefreshToken}
	var errs []error
	srv.Inject(cartotest.EndpointTokenRT, cartotest.Fault{Status: 400, Body: `{"error":"invalid_grant"}`})
	_, err := a.login.(*oauthLogin).refresh(context.Background(), e)
	errs = append(errs, err)
	srv.Inject(cartotest.EndpointDWToken, cartotest.Fault{Status: 500, Times: 10})
	_, _, err = a.CartoDWCredentials(context.Background())
	errs = append(errs, err)
	_, _, err = a.set.client.Discover(context.Background(), a.set.ep, "bogus-token-"+e.AccessToken)
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			t.Fatal("expected an error")
		}
		assertNoSecrets(t, err.Error(), secrets...)
	}
}

func TestTruncatedAnswerLeavesTheCacheUntouched(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	creds, dir := writeCreds(t, srv), t.TempDir()
	opts := &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: dir}}
	a, err := FromM2M(context.Background(), creds, opts)
	if err != nil {
		t.Fatal(err)
	}
	expireInMemory(a)
	before, _ := os.ReadFile(a.cache.Path())
	srv.Inject(cartotest.EndpointToken, cartotest.Fault{Status: 200, Body: `{"access_token":"abc","expires_in":`})
	_, err = FromM2M(context.Background(), creds, opts)
	if err == nil || !strings.Contains(err.Error(), "not a valid token response") {
		t.Fatalf("err = %v", err)
	}
	after, _ := os.ReadFile(a.cache.Path())
	if string(before) != string(after) {
		t.Error("a failed renewal changed the cache file")
	}
}

func TestRefreshIsRetriedOnlyWhenTheServerDidNotAct(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]int{503: 2, 502: 1, 500: 1} {
		srv, a, _, _ := oauthLoggedIn(t, cartotest.Config{RotateRefreshTokens: true})
		srv.Inject(cartotest.EndpointTokenRT, cartotest.Fault{Status: status})
		expireInMemory(a)
		_, err := a.AccessToken(context.Background())
		if got := srv.Count(cartotest.EndpointTokenRT); got != want {
			t.Errorf("refresh answered %d: %d requests (err %v), want %d", status, got, err, want)
		}
	}
}
