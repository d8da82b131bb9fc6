package gonbauth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// headerLog records the Authorization header each path was requested with.
type headerLog struct {
	mu   sync.Mutex
	seen map[string]string
}

func (h *headerLog) record(r *http.Request) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seen[r.Host+r.URL.Path] = r.Header.Get("Authorization")
}

func (h *headerLog) get(host, path string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.seen[host+path]
	return v, ok
}

func TestAPIClientSendsTheTokenOnlyToTheAPIOrigin(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	log := &headerLog{seen: map[string]string{}}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.record(r)
		if r.URL.Path == "/refuse" {
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer other.Close()
	allowed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { log.record(r) }))
	defer allowed.Close()
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.record(r)
		switch r.URL.Path {
		case "/to-other":
			http.Redirect(w, r, other.URL+"/landed", http.StatusFound)
		case "/to-allowed": // https → http
			http.Redirect(w, r, allowed.URL+"/downgraded", http.StatusFound)
		case "/refuse":
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	defer api.Close()
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{APIBaseURL: api.URL,
		Common: Common{AuthServer: srv.URL, NoCache: true, HTTPClient: api.Client(), TokenOrigins: []string{allowed.URL}}})
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := a.AccessToken(context.Background())
	hc := a.HTTPClient()
	if hc.Timeout != 0 {
		t.Errorf("API client timeout %s; SQL queries and downloads may run longer", hc.Timeout)
	}
	for _, u := range []string{api.URL + "/v3/sql", other.URL + "/direct", api.URL + "/to-other",
		allowed.URL + "/direct", api.URL + "/to-allowed", other.URL + "/refuse"} {
		resp, err := hc.Get(u)
		if err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		resp.Body.Close()
	}
	host := func(s *httptest.Server) string { return s.Listener.Addr().String() }
	for _, c := range []struct {
		server *httptest.Server
		path   string
		token  bool
	}{
		{api, "/v3/sql", true}, {api, "/to-other", true}, {api, "/to-allowed", true},
		{other, "/direct", false}, {other, "/landed", false}, {other, "/refuse", false},
		{allowed, "/direct", true}, {allowed, "/downgraded", false},
	} {
		got, ok := log.get(host(c.server), c.path)
		if !ok {
			t.Errorf("%s was never requested", c.path)
			continue
		}
		if want := map[bool]string{true: "Bearer " + tok, false: ""}[c.token]; got != want {
			t.Errorf("%s%s got Authorization %q, want the token: %v", host(c.server), c.path, redactTok(got, tok), c.token)
		}
	}
	if n := srv.Count(cartotest.EndpointTokenCC); n != 1 {
		t.Fatalf("token requests %d before any refusal by the API", n)
	}
	// Only the API's own 401 drops the token.
	resp, err := hc.Get(api.URL + "/refuse")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if now, _ := a.AccessToken(context.Background()); now == tok || srv.Count(cartotest.EndpointTokenCC) != 2 {
		t.Errorf("after the API refused the token: renewed %v, token requests %d", now != tok, srv.Count(cartotest.EndpointTokenCC))
	}
}

func redactTok(header, tok string) string {
	if header == "Bearer "+tok {
		return "Bearer <the token>"
	}
	return header
}

func TestTokenOriginsMustBeOrigins(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"http://example.com", "https://example.com/path", "example.com", "https://x.com/?q=1"} {
		if _, err := (&Common{NoCache: true, TokenOrigins: []string{bad}}).resolve(); err == nil {
			t.Errorf("TokenOrigins %q accepted", bad)
		}
	}
	s, err := (&Common{NoCache: true, TokenOrigins: []string{"HTTPS://Data.Example.com:443/"}}).resolve()
	if err != nil || len(s.tokenOrigins) != 1 || s.tokenOrigins[0] != "https://data.example.com" {
		t.Errorf("normalized origins %v, %v", s.tokenOrigins, err)
	}
}
