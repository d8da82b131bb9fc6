package carto

import (
	"context"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// TestExpiryCountsFromTheRequest: a token answer held up on its way (here 1.5 s) keeps the
// lifetime the server gave it from when the request was sent, not from when it arrived.
func TestExpiryCountsFromTheRequest(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{TokenLifetime: 10 * time.Second})
	srv.Inject(cartotest.EndpointTokenCC, cartotest.Fault{Delay: 1500 * time.Millisecond})
	sent := time.Now()
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}})
	if err != nil {
		t.Fatal(err)
	}
	if exp := a.Info().Expiry; exp.After(sent.Add(10*time.Second + 500*time.Millisecond)) {
		t.Errorf("expiry %v after the request was sent; want about 10 s, not 10 s after the slow answer arrived", exp.Sub(sent).Round(time.Millisecond))
	}
}
