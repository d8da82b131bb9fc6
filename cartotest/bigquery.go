package cartotest

import (
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// BigQueryPathPrefix is where Google serves the BigQuery v2 REST API on
// bigquery.googleapis.com. Mount the BigQuery stand-in under it (see
// [BigQuery.Handler]) and point clients at <server URL>+BigQueryPathPrefix+"/".
const BigQueryPathPrefix = "/bigquery/v2"

// BigQuery is a stand-in for the parts of the BigQuery v2 REST API that
// cloud.google.com/go/bigquery uses to run a query and read its rows:
// jobs.query, jobs.getQueryResults, jobs.insert (query jobs) and jobs.get.
//
// Every request must carry "Authorization: Bearer <token>" with a token that
// the validToken function given to [NewBigQuery] accepts; otherwise the
// stand-in answers 401 with Google's error JSON, as BigQuery does for an
// expired access token. Queries of the form SELECT <* | columns> FROM
// [project.dataset.]cities [LIMIT n] return the canned table's rows; anything
// else (ORDER BY, WHERE, other tables) is answered with a 400 invalidQuery error.
//
// A BigQuery is safe for concurrent use.
type BigQuery struct {
	validToken func(string) bool

	jobSeq atomic.Int64

	mu       sync.Mutex
	project  string
	pageSize int
	polls    int
	failNext []bqError
	counts   map[string]int
	jobs     map[string]*bqJob
}

// bqJob is a query job the stand-in has accepted.
type bqJob struct {
	id        string
	project   string
	location  string
	sql       string
	created   time.Time
	result    *bqQueryResult
	err       error // the query's error, reported as invalidQuery
	pollsLeft int
}

// NewBigQuery returns a BigQuery stand-in that accepts the bearer tokens for
// which validToken reports true. A nil validToken accepts any non-empty token.
func NewBigQuery(validToken func(string) bool) *BigQuery {
	if validToken == nil {
		validToken = func(tok string) bool { return tok != "" }
	}
	return &BigQuery{
		validToken: validToken,
		counts:     map[string]int{},
		jobs:       map[string]*bqJob{},
	}
}

// SetProject makes the stand-in answer 404 for any project other than id, as
// BigQuery does for a project that does not exist. The empty string (the
// default) accepts every project.
func (b *BigQuery) SetProject(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.project = id
}

// SetPageSize makes query results come back in pages of n rows, so that
// clients must read the later pages with jobs.getQueryResults. Zero (the
// default) returns all rows at once, unless the request asks for fewer.
func (b *BigQuery) SetPageSize(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pageSize = n
}

// SetPendingPolls makes new jobs report jobComplete=false to the first n
// status requests (jobs.query, jobs.insert and jobs.getQueryResults count),
// so that clients must poll.
func (b *BigQuery) SetPendingPolls(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.polls = n
}

// FailNext makes the next request that passes the token check fail with the
// given HTTP status, Google error reason (e.g. "authError", "backendError",
// "accessDenied") and message. Calls queue up: each one fails one request.
func (b *BigQuery) FailNext(status int, reason, message string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failNext = append(b.failNext, bqError{status, reason, message})
}

// Count reports how many requests the stand-in received for a REST method:
// "jobs.query", "jobs.getQueryResults", "jobs.insert", "jobs.get"; or
// "unauthorized" for requests refused for their token, "failed" for requests
// failed by FailNext, and "unknown" for paths it does not serve.
func (b *BigQuery) Count(name string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.counts[name]
}

func (b *BigQuery) count(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.counts[name]++
}

// pageBounds returns the [start, end) row range of the page that a request
// with the given startIndex, maxResults and pageToken parameters asks for.
func (b *BigQuery) pageBounds(total int, startIndex, maxResults, pageToken string) (int, int, error) {
	start := 0
	var err error
	switch {
	case pageToken != "":
		start, err = strconv.Atoi(pageToken)
	case startIndex != "":
		start, err = strconv.Atoi(startIndex)
	}
	if err != nil || start < 0 || start > total {
		return 0, 0, fmt.Errorf("invalid page token or start index")
	}
	b.mu.Lock()
	size := b.pageSize // 0: no limit
	b.mu.Unlock()
	if maxResults != "" {
		m, err := strconv.Atoi(maxResults)
		if err != nil || m < 0 {
			return 0, 0, fmt.Errorf("invalid maxResults %q", maxResults)
		}
		if m == 0 { // maxResults=0: status only, no rows
			return start, start, nil
		}
		if size == 0 || m < size {
			size = m
		}
	}
	end := total
	if size > 0 && start+size < total {
		end = start + size
	}
	return start, end, nil
}
