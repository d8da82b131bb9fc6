package cartotest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                    string
		fault                   Fault
		status                  int
		retryAfter, bodyContain string
	}{
		{"status", Fault{Status: 500}, 500, "", "temporarily_unavailable"},
		{"retry after", Fault{Status: 429, RetryAfter: 1500 * time.Millisecond}, 429, "2", "error"},
		{"retry after alone", Fault{RetryAfter: 3 * time.Second}, 503, "3", "error"},
		{"truncated body", Fault{Body: `{"tenant_dom`}, 200, "", `{"tenant_dom`},
		{"delay only", Fault{Delay: 50 * time.Millisecond}, 200, "", "tenant_domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t, Config{})
			tok := s.NewAccessToken()
			s.Inject(EndpointAccounts, tt.fault)
			start := time.Now()
			r := get(t, s.AccountsURL(), tok)
			if r.status != tt.status || r.header.Get("Retry-After") != tt.retryAfter ||
				!strings.Contains(r.body, tt.bodyContain) {
				t.Errorf("faulted: %d Retry-After=%q %s", r.status, r.header.Get("Retry-After"), r.body)
			}
			if tt.name == "truncated body" && r.body != `{"tenant_dom` {
				t.Errorf("body = %q, want it verbatim", r.body)
			}
			if time.Since(start) < tt.fault.Delay {
				t.Errorf("answered before the %v delay", tt.fault.Delay)
			}
			if r := get(t, s.AccountsURL(), tok); r.status != 200 || r.str("tenant_domain") == "" {
				t.Errorf("after the fault: %d %s", r.status, r.body)
			}
			if s.Count(EndpointAccounts) != 2 {
				t.Errorf("Count = %d, want 2", s.Count(EndpointAccounts))
			}
		})
	}
}

func TestFaultDelayRespectsContext(t *testing.T) {
	t.Parallel()
	logged := make(chan string, 10)
	s := newTestServer(t, Config{Logf: func(format string, args ...any) {
		logged <- fmt.Sprintf(format, args...)
	}})
	s.Inject(EndpointConfig, Fault{Delay: time.Minute, Status: 500})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/config.yaml", nil)
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	// The handler gives up at once, without answering (status 0 in the log).
	select {
	case line := <-logged:
		if !strings.Contains(line, "[config] 0 ") {
			t.Errorf("log line %q, want an unanswered config request", line)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the delayed handler did not end when the client left")
	}
	// The fault was used up; the server answers normally and promptly.
	if r := get(t, s.URL+"/config.yaml", ""); r.status != 200 || time.Since(start) > 10*time.Second {
		t.Errorf("after the abandoned delay: %d after %v", r.status, time.Since(start))
	}
	// Close does not wait for a minute-long delay either.
	s.Inject(EndpointConfig, Fault{Delay: time.Minute})
	done := make(chan struct{})
	go func() {
		defer close(done)
		if resp, err := http.Get(s.URL + "/config.yaml"); err == nil {
			resp.Body.Close()
		}
	}()
	for s.Count(EndpointConfig) < 3 {
		time.Sleep(5 * time.Millisecond)
	}
	s.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close left a delayed request hanging")
	}
}

func TestFaultTimesAndGrants(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	id, secret := s.AddM2MClient()
	cc := url.Values{"grant_type": {"client_credentials"}, "client_id": {id},
		"client_secret": {secret}, "audience": {Audience}}
	rt := loginTokens(t, s).str("refresh_token")

	s.Inject(EndpointTokenRT, Fault{Status: 502, Times: 2})
	for i, want := range []int{200, 200} { // other grants are not affected
		if r := postForm(t, s.TokenURL(), cc); r.status != want {
			t.Errorf("client_credentials %d: %d", i, r.status)
		}
	}
	for i, want := range []int{502, 502, 200} {
		if r := postForm(t, s.TokenURL(), refreshForm(rt)); r.status != want {
			t.Errorf("refresh %d: %d, want %d", i, r.status, want)
		}
	}
	s.Inject(EndpointToken, Fault{Status: 503})
	s.Inject(EndpointTokenRT, Fault{Status: 504})
	if r := postForm(t, s.TokenURL(), refreshForm(rt)); r.status != 504 {
		t.Errorf("per-grant fault must come first: %d", r.status)
	}
	if r := postForm(t, s.TokenURL(), refreshForm(rt)); r.status != 503 {
		t.Errorf("token fault on refresh: %d", r.status)
	}
	s.Inject(EndpointToken, Fault{Status: 503})
	if r := postForm(t, s.TokenURL(), cc); r.status != 503 {
		t.Errorf("token fault on client_credentials: %d", r.status)
	}
	if s.Count(EndpointToken) != 9 || s.Count(EndpointTokenRT) != 5 || s.Count(EndpointTokenCC) != 3 ||
		s.Count(EndpointTokenCode) != 1 || s.Count(EndpointAuthorize) != 1 {
		t.Errorf("counts token=%d rt=%d cc=%d code=%d authorize=%d", s.Count(EndpointToken),
			s.Count(EndpointTokenRT), s.Count(EndpointTokenCC), s.Count(EndpointTokenCode), s.Count(EndpointAuthorize))
	}
}
