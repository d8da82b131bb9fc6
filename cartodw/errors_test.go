package cartodw_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartodw"
	"github.com/carto-go/carto-auth/cartotest"
)

func TestCartoRefusingTheDWToken(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	sb.carto.Inject(cartotest.EndpointDWToken, cartotest.Fault{Status: http.StatusForbidden,
		Body: `{"error":"CARTO Data Warehouse is not enabled for this account","status":403}`})
	_, err := cartodw.NewClient(t.Context(), sb.auth, sb.endpoint)
	if err == nil {
		t.Fatal("NewClient succeeded although CARTO refused the DW token")
	}
	for _, want := range []string{"cartodw: ", "403", "CARTO Data Warehouse is not enabled for this account"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	t.Logf("error: %v", err)
}

func TestBigQueryErrorsPassThrough(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	c := sb.client(t)

	_, err := c.Query("SELECT nope FROM cities").Read(t.Context())
	ge := googleError(t, err)
	if ge.Code != http.StatusBadRequest || len(ge.Errors) == 0 || ge.Errors[0].Reason != "invalidQuery" ||
		!strings.Contains(ge.Message, "Unrecognized name: nope") {
		t.Errorf("bad SQL: got %d %+v %q, want 400 invalidQuery 'Unrecognized name: nope'", ge.Code, ge.Errors, ge.Message)
	}

	sb.bq.FailNext(http.StatusForbidden, "accessDenied", "Access Denied: Project carto-dw-ac-sandbox1: User does not have bigquery.jobs.create permission")
	_, err = c.Query("SELECT * FROM cities").Read(t.Context())
	ge = googleError(t, err)
	if ge.Code != http.StatusForbidden || !strings.Contains(ge.Message, "bigquery.jobs.create") {
		t.Errorf("403: got %d %q", ge.Code, ge.Message)
	}
	sb.wantCounts(t, "after BigQuery errors other than 401", 1, 0)
}

func TestUnauthorizedTwiceIsReturned(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	c := sb.client(t)
	sb.bq.FailNext(http.StatusUnauthorized, "authError", "Invalid Credentials")
	sb.bq.FailNext(http.StatusUnauthorized, "authError", "Invalid Credentials")
	_, err := c.Query("SELECT * FROM cities").Read(t.Context())
	if ge := googleError(t, err); ge.Code != http.StatusUnauthorized {
		t.Errorf("got %d, want BigQuery's 401", ge.Code)
	}
	sb.wantCounts(t, "a 401 for the fresh token too", 2, 0)
	mustCities(t, c) // the refused fresh token was dropped: a third one works
	sb.wantCounts(t, "next query", 3, 0)
}

func TestRefetchFailureAfter401SaysWhatCartoSaid(t *testing.T) {
	t.Parallel()
	sb := newSandbox(t, cartotest.Config{})
	ts := cartodw.NewTokenSource(sb.auth, nil)
	c, err := ts.NewClient(t.Context(), sb.endpoint)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	defer c.Close()
	old, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	sb.carto.ExpireDWTokens()
	sb.carto.Inject(cartotest.EndpointDWToken, cartotest.Fault{Status: http.StatusNotFound,
		Body: `{"error":"Connection carto-dw not found","status":404}`})
	_, err = c.Query("SELECT * FROM cities").Read(t.Context())
	if err == nil || !strings.Contains(err.Error(), "Connection carto-dw not found") || !strings.Contains(err.Error(), "404") {
		t.Fatalf("err = %v, want CARTO's 404 and its text", err)
	}
	if strings.Contains(err.Error(), old.AccessToken) {
		t.Fatalf("error contains the DW token: %v", err)
	}
	mustCities(t, c) // CARTO answers again: the next query works
}
