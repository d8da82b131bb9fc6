package carto

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/internal/wire"
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
		if _, err := (&Common{NoCache: true, TokenOrigins: []string{bad}}).resolve(readFacts()); err == nil {
			t.Errorf("TokenOrigins %q accepted", bad)
		}
	}
	s, err := (&Common{NoCache: true, TokenOrigins: []string{"HTTPS://Data.Example.com:443/"}}).resolve(readFacts())
	if err != nil || len(s.tokenOrigins) != 1 || s.tokenOrigins[0] != "https://data.example.com" {
		t.Errorf("normalized origins %v, %v", s.tokenOrigins, err)
	}
}

// TestAPIClientNoTokenThroughAThirdPartysRedirect: a host the token does not go to cannot make
// the client call the API with it: a 302 into the API arrives without the token, and a 307 or
// 308 (which would resend the caller's method and body) is refused.
func TestAPIClientNoTokenThroughAThirdPartysRedirect(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	var mu sync.Mutex
	var apiSaw []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		apiSaw = append(apiSaw, r.Method+" "+r.URL.Path+" token="+fmt.Sprint(r.Header.Get("Authorization") != ""))
		mu.Unlock()
		if r.URL.Path == "/v3/self" {
			http.Redirect(w, r, "/v3/sql/carto_dw/query", http.StatusTemporaryRedirect) // within the API
		}
	}))
	defer api.Close()
	public := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		http.Redirect(w, r, api.URL+"/v3/sql/carto_dw/query?q=DROP+TABLE+x", code)
	}))
	defer public.Close()
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{APIBaseURL: api.URL,
		Common: Common{AuthServer: srv.URL, NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	hc := a.HTTPClient()
	resp, err := hc.Get(public.URL + "/cities.geojson?code=302")
	if err != nil {
		t.Fatalf("GET through a 302: %v", err)
	}
	resp.Body.Close()
	for _, code := range []int{307, 308} {
		resp, err := hc.Post(public.URL+"/upload?code="+strconv.Itoa(code), "application/json", strings.NewReader(`{"q":"DROP TABLE x"}`))
		if err == nil {
			resp.Body.Close()
			t.Errorf("a %d from another origin into the API was followed", code)
		} else if !strings.Contains(err.Error(), "refusing a "+strconv.Itoa(code)) {
			t.Errorf("%d: %v", code, err)
		}
	}
	// The API's own 307 to itself is followed, with the token.
	resp, err = hc.Post(api.URL+"/v3/self", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatalf("the API's own 307: %v", err)
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	want := []string{"GET /v3/sql/carto_dw/query token=false", "POST /v3/self token=true", "POST /v3/sql/carto_dw/query token=true"}
	if !slices.Equal(apiSaw, want) {
		t.Errorf("the API saw %q, want %q", apiSaw, want)
	}
}

// TestNonASCIIHostsGetNoToken: İ folds to i, but Go dials the IDNA form of İ.example.com,
// another domain: such hosts are never an origin the token goes to, and never accepted as one.
func TestNonASCIIHostsGetNoToken(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{APIBaseURL: "https://i.example.com",
		Common: Common{AuthServer: srv.URL, NoCache: true, TokenOrigins: []string{"https://data.example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	for u, want := range map[string]bool{
		"https://i.example.com/v3/sql": true, "https://I.EXAMPLE.COM/v3/sql": true, "https://data.example.com/x": true,
		"https://\u0130.example.com/v3/sql": false, "https://dat\u0430.example.com/x": false, "https://xn--i-9bb.example.com/": false,
	} {
		if got := a.tokenGoesTo(httptest.NewRequest(http.MethodGet, u, nil)); got != want {
			t.Errorf("token to %s: %v, want %v", u, got, want)
		}
	}
	for _, bad := range []string{"https://\u0130.example.com", "https://d\u00e4ta.example.com"} {
		if _, err := (&Common{NoCache: true, TokenOrigins: []string{bad}}).resolve(readFacts()); err == nil || !strings.Contains(err.Error(), "give scheme://host") {
			t.Errorf("TokenOrigins %q: %v", bad, err)
		}
		if _, err := wire.NormalizeBaseURL(bad); err == nil || !strings.Contains(err.Error(), "not ASCII") {
			t.Errorf("API base URL %q: %v", bad, err)
		}
	}
}
