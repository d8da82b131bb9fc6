package cartodw

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/option"
)

// NewClient returns a BigQuery client for the CARTO Data Warehouse of the
// account logged in with auth (a *gonbauth.Auth), whose token never goes
// stale: see [TokenSource]. It asks CARTO for the DW credentials once before
// returning, so that a missing API base URL, a plan without the Data
// Warehouse or an expired login is reported here rather than at the first
// query.
//
// opts are applied after cartodw's own, so option.WithEndpoint and the like
// work; do not pass credentials options (option.WithHTTPClient,
// option.WithTokenSource, option.WithCredentialsFile...): they would replace
// the CARTO DW credentials.
func NewClient(ctx context.Context, auth Fetcher, opts ...option.ClientOption) (*bigquery.Client, error) {
	return NewTokenSource(auth, nil).NewClient(ctx, opts...)
}

// Credentials returns the DW project id and a token source for it, for use
// with Google clients other than BigQuery (option.WithTokenSource(ts)). It
// fetches the credentials once before returning. A TokenSource used this way
// refreshes tokens when their assumed lifetime ends but cannot see a 401;
// where you control the HTTP client, prefer ts.Transport.
func Credentials(ctx context.Context, auth Fetcher) (projectID string, ts *TokenSource, err error) {
	ts = NewTokenSource(auth, nil)
	projectID, err = ts.ProjectID(ctx)
	if err != nil {
		return "", nil, err
	}
	return projectID, ts, nil
}

// NewClient returns a BigQuery client for the DW project, sending requests
// through s.Transport(nil). It fetches the DW credentials first if s has
// none. See the package-level NewClient for opts.
func (s *TokenSource) NewClient(ctx context.Context, opts ...option.ClientOption) (*bigquery.Client, error) {
	project, err := s.ProjectID(ctx)
	if err != nil {
		return nil, err
	}
	all := []option.ClientOption{option.WithHTTPClient(&http.Client{Transport: s.Transport(nil)})}
	if server := os.Getenv("CARTO_AUTH_SERVER"); server != "" {
		// A CARTO stand-in (cartotest, `cartoauth sandbox`) serves BigQuery as well.
		endpoint, err := standInEndpoint(server)
		if err != nil {
			return nil, err
		}
		all = append(all, option.WithEndpoint(endpoint))
	}
	all = append(all, opts...)
	c, err := bigquery.NewClient(ctx, project, all...)
	if err != nil {
		return nil, fmt.Errorf("cartodw: creating the BigQuery client for CARTO Data Warehouse project %s: %w", project, err)
	}
	return c, nil
}

// standInEndpoint is the BigQuery endpoint of the CARTO stand-in at server:
// https, or http on a loopback address only, since the DW token travels there.
func standInEndpoint(server string) (string, error) {
	u, err := url.Parse(server)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("cartodw: CARTO_AUTH_SERVER=%q is not a URL", server)
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	if u.Scheme != "https" && !(u.Scheme == "http" && (host == "localhost" || ip != nil && ip.IsLoopback())) {
		return "", fmt.Errorf("cartodw: CARTO_AUTH_SERVER=%q: use https://, or http:// on a loopback address only", server)
	}
	return strings.TrimRight(server, "/") + "/bigquery/v2/", nil
}
