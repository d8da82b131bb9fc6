package cartodw_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cloud.google.com/go/bigquery"
	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/cartodw"
	"github.com/carto-go/carto-auth/cartotest"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
)

// sandbox is a CARTO stand-in with the BigQuery stand-in mounted, and an M2M
// login to it.
type sandbox struct {
	carto    *cartotest.Server
	bq       *cartotest.BigQuery
	auth     *carto.Auth
	endpoint option.ClientOption // points BigQuery clients at the stand-in
}

func newSandbox(t *testing.T, cfg cartotest.Config) *sandbox {
	t.Helper()
	s := cartotest.NewServer(cfg)
	t.Cleanup(s.Close)
	bq := cartotest.NewBigQuery(s.ValidDWToken)
	bq.SetProject(s.DWProjectID())
	s.Mount(cartotest.BigQueryPathPrefix, http.StripPrefix(cartotest.BigQueryPathPrefix, bq.Handler()))
	path := filepath.Join(t.TempDir(), "m2m.json")
	if err := s.WriteCredentialsFile(path); err != nil {
		t.Fatal(err)
	}
	auth, err := carto.FromM2M(t.Context(), path, &carto.M2MOptions{
		Common: carto.Common{NoCache: true, AuthServer: s.URL}})
	if err != nil {
		t.Fatalf("FromM2M: %v", err)
	}
	return &sandbox{carto: s, bq: bq, auth: auth,
		endpoint: option.WithEndpoint(s.URL + cartotest.BigQueryPathPrefix + "/")}
}

// client returns a BigQuery client for the sandbox's DW, closed when the test ends.
func (sb *sandbox) client(t *testing.T) *bigquery.Client {
	t.Helper()
	c, err := cartodw.NewClient(t.Context(), sb.auth, sb.endpoint)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// cities runs SELECT * FROM cities and returns the rows.
func cities(ctx context.Context, c *bigquery.Client) ([]cartotest.BigQueryCity, error) {
	it, err := c.Query("SELECT * FROM cities").Read(ctx)
	if err != nil {
		return nil, err
	}
	var rows []cartotest.BigQueryCity
	for {
		var row cartotest.BigQueryCity
		err := it.Next(&row)
		if err == iterator.Done {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
}

// mustCities runs cities and checks it returned the canned table.
func mustCities(t *testing.T, c *bigquery.Client) {
	t.Helper()
	rows, err := cities(t.Context(), c)
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	if want := cartotest.BigQueryCities(); !slices.Equal(rows, want) {
		t.Fatalf("rows = %v, want %v", rows, want)
	}
}

// counts reports the DW token fetches and the BigQuery 401s so far.
func (sb *sandbox) counts() (dwTokens, unauthorized int) {
	return sb.carto.Count(cartotest.EndpointDWToken), sb.bq.Count("unauthorized")
}

func (sb *sandbox) wantCounts(t *testing.T, when string, dwTokens, unauthorized int) {
	t.Helper()
	if d, u := sb.counts(); d != dwTokens || u != unauthorized {
		t.Errorf("%s: %d DW token requests and %d BigQuery 401s, want %d and %d", when, d, u, dwTokens, unauthorized)
	}
}

func TestQueryReturnsCannedRows(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	c := sb.client(t)
	if c.Project() != sb.carto.DWProjectID() {
		t.Errorf("client project %q, want %q", c.Project(), sb.carto.DWProjectID())
	}
	mustCities(t, c)
	mustCities(t, c)
	sb.wantCounts(t, "two queries", 1, 0)
}

func TestPagedAndPolledResultsUseTheSameToken(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	sb.bq.SetPageSize(2)
	sb.bq.SetPendingPolls(2)
	c := sb.client(t)
	mustCities(t, c)
	if n := sb.bq.Count("jobs.getQueryResults"); n < 3 {
		t.Errorf("%d jobs.getQueryResults calls, want polls and pages (>= 3)", n)
	}
	sb.wantCounts(t, "polled, paged query", 1, 0)
}

func TestTokenRenewedBeforeItsAssumedLifetimeEnds(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	clk := &clock{t: time.Now()}
	ts := cartodw.NewTokenSource(sb.auth, &cartodw.Options{Now: clk.Now})
	c, err := ts.NewClient(t.Context(), sb.endpoint)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	defer c.Close()
	mustCities(t, c)
	clk.Advance(cartodw.DefaultTokenLifetime)
	mustCities(t, c)
	mustCities(t, c)
	sb.wantCounts(t, "after the assumed lifetime", 2, 0)
}

func TestExpiredTokenIsReplacedOnce(t *testing.T) {
	t.Parallel()
	// CARTO's DW tokens die after 300ms, long before cartodw's assumed
	// lifetime: BigQuery's 401 makes the transport fetch a new one.
	sb := newSandbox(t, cartotest.Config{DWTokenLifetime: 300 * time.Millisecond})
	c := sb.client(t)
	mustCities(t, c)
	time.Sleep(400 * time.Millisecond)
	mustCities(t, c)
	sb.wantCounts(t, "query after the DW token expired", 2, 1)
	mustCities(t, c)
	sb.wantCounts(t, "next query", 2, 1)
}

func TestConcurrentQueriesShareOneRenewal(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"expired at Google (401)", "assumed lifetime over"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			sb := newSandbox(t, cartotest.Config{})
			clk := &clock{t: time.Now()}
			ts := cartodw.NewTokenSource(sb.auth, &cartodw.Options{Now: clk.Now})
			c, err := ts.NewClient(t.Context(), sb.endpoint)
			if err != nil {
				t.Fatalf("NewClient: %v", err)
			}
			defer c.Close()
			mustCities(t, c)
			want401 := 0
			if strings.HasPrefix(how, "expired") {
				sb.carto.ExpireDWTokens()
				want401 = 16
			} else {
				clk.Advance(cartodw.DefaultTokenLifetime)
			}
			var wg sync.WaitGroup
			errs := make(chan error, 16)
			for range 16 {
				wg.Go(func() {
					_, err := cities(t.Context(), c)
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("query: %v", err)
				}
			}
			if d, u := sb.counts(); d != 2 || u > want401 {
				t.Errorf("%d DW token requests and %d 401s, want 2 and at most %d", d, u, want401)
			}
		})
	}
}

func TestUnauthorizedFromBigQueryRefetchesOnce(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	c := sb.client(t)
	sb.bq.FailNext(http.StatusUnauthorized, "authError", "Invalid Credentials")
	mustCities(t, c)
	if d := sb.carto.Count(cartotest.EndpointDWToken); d != 2 {
		t.Errorf("%d DW token requests, want 2 (one re-fetch after the 401)", d)
	}
	if n := sb.bq.Count("jobs.query"); n != 2 {
		t.Errorf("%d jobs.query requests, want 2 (the refused one, sent again)", n)
	}
}

// clock is a settable clock, starting at the real time so that the stand-in
// (which uses the real clock) and cartodw agree at first.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// googleError returns err's *googleapi.Error, failing the test if it has none.
func googleError(t *testing.T, err error) *googleapi.Error {
	t.Helper()
	var ge *googleapi.Error
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v (%T), want a *googleapi.Error", err, err)
	}
	return ge
}

func TestStandInServerServesBigQueryToo(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	c, err := cartodw.NewClient(t.Context(), sb.auth) // no WithEndpoint: the login names the stand-in's
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	mustCities(t, c)
	if sb.bq.Count("jobs.query") != 1 {
		t.Errorf("the stand-in saw %d queries", sb.bq.Count("jobs.query"))
	}
}

func TestEndpointMustNotBeClearTextRemote(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	ts := cartodw.NewTokenSource(sb.auth, &cartodw.Options{Endpoint: "http://192.0.2.10:8765/bigquery/v2/"})
	if _, err := ts.NewClient(t.Context()); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("err = %v", err)
	}
}
