package cartodw_test

import (
	"context"
	"fmt"
	"log"

	"cloud.google.com/go/bigquery"
	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/cartodw"
	"google.golang.org/api/iterator"
	"google.golang.org/api/option"
)

// A BigQuery client for the CARTO Data Warehouse, logged in with a
// machine-to-machine credentials file. The client asks CARTO for a new Google
// token whenever the current one is (or may be) stale.
func ExampleNewClient() {
	ctx := context.Background()
	auth, err := carto.FromM2M(ctx, "carto_credentials.json", nil)
	if err != nil {
		log.Print(err)
		return
	}
	client, err := cartodw.NewClient(ctx, auth)
	if err != nil {
		log.Print(err) // e.g. CARTO's 403 when the plan has no Data Warehouse
		return
	}
	defer client.Close()
	it, err := client.Query("SELECT name, population FROM `carto-demo-data.demo_tables.populated_places` LIMIT 5").Read(ctx)
	if err != nil {
		log.Print(err)
		return
	}
	for {
		var row []bigquery.Value
		if err := it.Next(&row); err == iterator.Done {
			break
		} else if err != nil {
			log.Print(err)
			return
		}
		fmt.Println(row)
	}
}

// Credentials for other Google clients: the DW project id and a token source.
func ExampleCredentials() {
	ctx := context.Background()
	auth, err := carto.FromM2M(ctx, "carto_credentials.json", nil)
	if err != nil {
		log.Print(err)
		return
	}
	project, ts, err := cartodw.Credentials(ctx, auth)
	if err != nil {
		log.Print(err)
		return
	}
	// Any Google Cloud Go client takes the token source; with an HTTP client
	// of your own, ts.Transport(nil) also renews the token after a 401.
	opt := option.WithTokenSource(ts)
	fmt.Println(project, opt != nil)
}
