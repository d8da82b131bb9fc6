package cartotest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestServeSetsURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, addr, preset, wantPrefix string
	}{
		{"loopback", "127.0.0.1:0", "", "http://127.0.0.1:"},
		{"unspecified becomes loopback", "0.0.0.0:0", "", "http://"},
		{"preset kept", "127.0.0.1:0", "http://localhost:8080", "http://localhost:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := net.Listen("tcp", tt.addr)
			if err != nil {
				t.Skipf("cannot listen on %s: %v", tt.addr, err)
			}
			s := NewUnstartedServer(Config{})
			s.URL = tt.preset
			s.Listener = l
			s.Start()
			defer s.Close()
			if !strings.HasPrefix(s.URL, tt.wantPrefix) || strings.Contains(s.URL, "[::]") ||
				strings.Contains(s.URL, "0.0.0.0") || s.CodePageURL() != s.URL+"/auth/token" {
				t.Fatalf("URL = %q, want prefix %q", s.URL, tt.wantPrefix)
			}
			port := l.Addr().(*net.TCPAddr).Port
			if r := get(t, fmt.Sprintf("http://127.0.0.1:%d/config.yaml", port), ""); r.status != 200 ||
				!strings.Contains(r.body, "baseUrl: "+s.URL+"\n") {
				t.Errorf("config.yaml: %d %s", r.status, r.body)
			}
		})
	}
}

func TestServeReturnsNilOnClose(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := NewUnstartedServer(Config{})
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	url := "http://" + l.Addr().String() + "/config.yaml"
	for i := 0; ; i++ { // wait until Serve has set up the server
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatal(err)
		}
	}
	s.Close()
	if err := <-done; err != nil {
		t.Errorf("Serve returned %v after Close, want nil", err)
	}
}

func TestHandlerWithoutURL(t *testing.T) {
	t.Parallel()
	s := NewUnstartedServer(Config{})
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	if r := get(t, hs.URL+"/config.yaml", ""); !strings.Contains(r.body, "baseUrl: "+hs.URL+"\n") {
		t.Errorf("config.yaml without URL:\n%s", r.body)
	}
	_, c := pkce("k")
	loc, err := s.Login(authURL(s, c, map[string]string{"redirect_uri": hs.URL + "/auth/token"})[len(s.AuthorizeURL()):])
	if err == nil || loc != nil {
		t.Errorf("Login with a relative URL: %v %v, want an error", loc, err)
	}
	loc, err = s.Login(hs.URL + authURL(s, c, map[string]string{"redirect_uri": hs.URL + "/auth/token"}))
	if err != nil || loc.Query().Get("code") == "" {
		t.Errorf("code page redirect derived from Host: %v %v", loc, err)
	}
	if r := get(t, hs.URL+"/nope", ""); r.status != 404 {
		t.Errorf("unknown path: %d", r.status)
	}
}

func TestMount(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, Config{})
	bq := NewBigQuery(s.ValidDWToken)
	s.Mount(BigQueryPathPrefix, http.StripPrefix(BigQueryPathPrefix, bq.Handler()))
	dw := get(t, s.URL+"/v3/connections/carto-dw/token", s.NewAccessToken()).str("token")
	u := s.URL + BigQueryPathPrefix + "/projects/" + s.DWProjectID() + "/jobs/nope"
	if r := get(t, u, "ya29.bad"); r.status != http.StatusUnauthorized {
		t.Errorf("BigQuery with a bad token: %d %s", r.status, r.body)
	}
	if r := get(t, u, dw); r.status == http.StatusUnauthorized || r.status == 0 {
		t.Errorf("BigQuery with the DW token: %d %s", r.status, r.body)
	}
	if r := get(t, s.URL+BigQueryPathPrefix+"x", ""); r.status != 404 || r.str("error") == "" {
		t.Errorf("prefix must match whole segments: %d %s", r.status, r.body)
	}
}

func TestLogNeverShowsSecrets(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var lines []string
	s := newTestServer(t, Config{Logf: func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprintf(format, args...))
	}})
	tok := loginTokens(t, s)
	get(t, s.AccountsURL(), tok.str("access_token"))
	get(t, s.CodePageURL()+"?code="+s.IssuedCodes()[0], "")
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 4 {
		t.Fatalf("%d log lines, want 4: %q", len(lines), lines)
	}
	secrets := []string{tok.str("access_token"), tok.str("refresh_token"), s.IssuedCodes()[0], "st-123", "verifier-"}
	for _, l := range lines {
		for _, sec := range secrets {
			if strings.Contains(l, sec) {
				t.Errorf("log line %q shows a secret", l)
			}
		}
	}
	if !strings.Contains(lines[0], "GET /authorize [authorize] 302") {
		t.Errorf("first line %q", lines[0])
	}
}
