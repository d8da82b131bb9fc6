package cartodw

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"

	"cloud.google.com/go/bigquery"
	"google.golang.org/api/option"
)

// NewClient returns a BigQuery client for the CARTO Data Warehouse of the
// account logged in with auth (a *carto.Auth), whose token never goes
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
// through s.Transport(nil) to s's endpoint (see Options.Endpoint). It fetches
// the DW credentials first if s has none. See the package-level NewClient for
// opts; to talk to another BigQuery endpoint set Options.Endpoint rather than
// option.WithEndpoint, since the DW token goes only to s's endpoint.
func (s *TokenSource) NewClient(ctx context.Context, opts ...option.ClientOption) (*bigquery.Client, error) {
	if err := s.endpointErr; err != nil {
		return nil, err
	}
	project, err := s.ProjectID(ctx)
	if err != nil {
		return nil, err
	}
	all := []option.ClientOption{option.WithHTTPClient(&http.Client{Transport: s.Transport(nil)})}
	if s.endpoint.String() != DefaultEndpoint {
		all = append(all, option.WithEndpoint(s.endpoint.String()))
	}
	all = append(all, opts...)
	c, err := bigquery.NewClient(ctx, project, all...)
	if err != nil {
		return nil, fmt.Errorf("cartodw: creating the BigQuery client for CARTO Data Warehouse project %s: %w", project, err)
	}
	return c, nil
}

// DefaultEndpoint is Google's BigQuery API, where CARTO's Data Warehouse lives.
const DefaultEndpoint = "https://bigquery.googleapis.com/bigquery/v2/"

// endpointNamer is implemented by Fetchers that know their BigQuery endpoint:
// *carto.Auth names its CARTO stand-in's for a login against one.
type endpointNamer interface {
	DWEndpoint() string
}

// endpointOf picks the BigQuery endpoint: the option's, else the one f names,
// else Google's. Never the environment: the DW token goes there.
func endpointOf(option string, f Fetcher) *url.URL {
	raw := option
	if n, ok := f.(endpointNamer); ok && raw == "" && !isNil(f) {
		raw = n.DWEndpoint()
	}
	if raw == "" {
		raw = DefaultEndpoint
	}
	u, err := url.Parse(raw)
	if err != nil {
		return &url.URL{Opaque: raw} // refused by checkEndpoint
	}
	return u
}

// checkEndpoint accepts https, or http on a loopback address only, since the
// DW token travels there.
func checkEndpoint(u *url.URL) error {
	host := u.Hostname()
	ip := net.ParseIP(host)
	if u.Host == "" || u.Scheme != "https" && !(u.Scheme == "http" && (host == "localhost" || ip != nil && ip.IsLoopback())) {
		return fmt.Errorf("cartodw: BigQuery endpoint %q: use https://, or http:// on a loopback address only", u.Redacted())
	}
	return nil
}
