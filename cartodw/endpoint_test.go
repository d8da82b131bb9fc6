package cartodw_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/carto-go/carto-auth/cartodw"
)

var staticDW = cartodw.FetcherFunc(func(context.Context) (string, string, error) {
	return "carto-dw-ac-test", "google-token", nil
})

// recorder is a RoundTripper that answers nothing: it records where each request went and
// with which Authorization header.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen = append(r.seen, req.URL.Host+" "+req.Header.Get("Authorization"))
	r.mu.Unlock()
	return nil, errors.New("recorded")
}

func TestEndpointComesFromTheLoginNotTheEnvironment(t *testing.T) {
	t.Setenv("CARTO_AUTH_SERVER", "https://auth.carto.com") // CARTO itself, given explicitly
	rec := &recorder{}
	c, err := cartodw.NewTokenSource(staticDW, &cartodw.Options{Transport: rec}).NewClient(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Query("SELECT 1").Read(t.Context()) // fails: the recorder answers nothing
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.seen) == 0 || rec.seen[0] != "bigquery.googleapis.com Bearer google-token" {
		t.Errorf("requests went to %q, want Google's BigQuery with the DW token", rec.seen)
	}
}

func TestDWTokenNeverGoesInClearToAnotherMachine(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	ts := cartodw.NewTokenSource(staticDW, &cartodw.Options{Endpoint: "http://192.0.2.10:8765/bigquery/v2/", Transport: rec})
	req, _ := http.NewRequest(http.MethodGet, "http://192.0.2.10:8765/bigquery/v2/projects", nil)
	ts.Transport(nil).RoundTrip(req)
	if len(rec.seen) != 1 || rec.seen[0] != "192.0.2.10:8765 " {
		t.Errorf("sent %q, want the request without a token", rec.seen)
	}
}

func TestDWTokenGoesOnlyToTheBigQueryOrigin(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]string{}
	record := func(r *http.Request) {
		mu.Lock()
		seen[r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { record(r) }))
	defer other.Close()
	bq := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(r)
		if r.URL.Path == "/bigquery/v2/redirect" {
			http.Redirect(w, r, other.URL+"/landed", http.StatusFound)
		}
	}))
	defer bq.Close()
	ts := cartodw.NewTokenSource(staticDW, &cartodw.Options{Endpoint: bq.URL + "/bigquery/v2/"})
	hc := &http.Client{Transport: ts.Transport(nil)}
	for _, u := range []string{bq.URL + "/bigquery/v2/projects", other.URL + "/direct", bq.URL + "/bigquery/v2/redirect"} {
		resp, err := hc.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	for path, want := range map[string]string{"/bigquery/v2/projects": "Bearer google-token",
		"/bigquery/v2/redirect": "Bearer google-token", "/direct": "", "/landed": ""} {
		if got, ok := seen[path]; !ok || got != want {
			t.Errorf("%s: requested %v with Authorization %q, want %q", path, ok, got, want)
		}
	}
}
