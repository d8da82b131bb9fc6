package cartotest

import (
	"fmt"
	"net/http"
	"strings"
)

// Handler returns the HTTP handler of the stand-in. It serves paths relative
// to the BigQuery v2 root ("/projects/{project}/queries", ...), so mount it
// with the prefix stripped:
//
//	mux.Handle(cartotest.BigQueryPathPrefix+"/",
//		http.StripPrefix(cartotest.BigQueryPathPrefix, bq.Handler()))
//
// and give clients option.WithEndpoint(serverURL + cartotest.BigQueryPathPrefix + "/").
func (b *BigQuery) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /projects/{project}/queries", b.route("jobs.query", b.jobsQuery))
	mux.HandleFunc("GET /projects/{project}/queries/{job}", b.route("jobs.getQueryResults", b.getQueryResults))
	mux.HandleFunc("POST /projects/{project}/jobs", b.route("jobs.insert", b.jobsInsert))
	mux.HandleFunc("GET /projects/{project}/jobs/{job}", b.route("jobs.get", b.jobsGet))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		b.count("unknown")
		writeBQError(w, bqError{http.StatusNotFound, "notFound",
			fmt.Sprintf("the BigQuery stand-in does not serve %s %s", r.Method, r.URL.Path)})
	})
	return mux
}

// route wraps a method handler with the token check, the project check and
// injected failures, in that order, and counts the request.
func (b *BigQuery) route(name string, h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b.count(name)
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || !b.validToken(strings.TrimSpace(tok)) {
			b.count("unauthorized")
			w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
			writeBQError(w, bqErrUnauthenticated)
			return
		}
		b.mu.Lock()
		project := b.project
		var fail *bqError
		if len(b.failNext) > 0 {
			fail = &b.failNext[0]
			b.failNext = b.failNext[1:]
			b.counts["failed"]++
		}
		b.mu.Unlock()
		if fail != nil {
			writeBQError(w, *fail)
			return
		}
		if p := r.PathValue("project"); project != "" && p != project {
			writeBQError(w, bqError{http.StatusNotFound, "notFound", "Not found: Project " + p})
			return
		}
		h(w, r)
	}
}
