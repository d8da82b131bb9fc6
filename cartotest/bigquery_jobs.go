package cartotest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// bqQueryRequest is the part of a jobs.query request body the stand-in reads.
type bqQueryRequest struct {
	Query        string `json:"query"`
	UseLegacySQL *bool  `json:"useLegacySql"`
	MaxResults   int64  `json:"maxResults"`
	Location     string `json:"location"`
}

// bqJobResource is the part of a jobs.insert request body the stand-in reads.
type bqJobResource struct {
	JobReference struct {
		JobID    string `json:"jobId"`
		Location string `json:"location"`
	} `json:"jobReference"`
	Configuration struct {
		Query *bqQueryRequest `json:"query"`
	} `json:"configuration"`
}

// newJob runs sql at once and records the job; the outcome is reported once
// the job's pending polls are used up.
func (b *BigQuery) newJob(project, id, location, sql string) *bqJob {
	if id == "" {
		id = "job_cartotest_" + strconv.FormatInt(b.jobSeq.Add(1), 10)
	}
	if location == "" {
		location = "US"
	}
	j := &bqJob{id: id, project: project, location: location, sql: sql, created: time.Now()}
	j.result, j.err = bqRunSQL(sql)
	b.mu.Lock()
	defer b.mu.Unlock()
	j.pollsLeft = b.polls
	b.jobs[id] = j
	return j
}

// job finds a job by id and reports whether it is complete, using up one of
// its pending polls if it is not.
func (b *BigQuery) job(id string) (*bqJob, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	j := b.jobs[id]
	if j == nil {
		return nil, false
	}
	if j.pollsLeft > 0 {
		j.pollsLeft--
		return j, false
	}
	return j, true
}

// jobRef is the jobReference JSON of j.
func (j *bqJob) jobRef() map[string]string {
	return map[string]string{"projectId": j.project, "jobId": j.id, "location": j.location}
}

// jobsQuery serves jobs.query: POST /projects/{project}/queries.
func (b *BigQuery) jobsQuery(w http.ResponseWriter, r *http.Request) {
	var req bqQueryRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeBQError(w, bqError{http.StatusBadRequest, "invalid", "invalid JSON body: " + err.Error()})
		return
	}
	if req.UseLegacySQL == nil || *req.UseLegacySQL {
		writeBQError(w, bqError{http.StatusBadRequest, "invalidQuery", "the BigQuery stand-in only runs GoogleSQL (useLegacySql=false)"})
		return
	}
	j := b.newJob(r.PathValue("project"), "", req.Location, req.Query)
	max := ""
	if req.MaxResults > 0 {
		max = strconv.FormatInt(req.MaxResults, 10)
	}
	if j.err != nil { // BigQuery refuses a bad query at once
		writeBQError(w, bqError{http.StatusBadRequest, "invalidQuery", j.err.Error()})
		return
	}
	_, done := b.job(j.id)
	b.writeResults(w, j, "bigquery#queryResponse", done, "", max, "")
}

// getQueryResults serves jobs.getQueryResults:
// GET /projects/{project}/queries/{job}?startIndex=&maxResults=&pageToken=.
func (b *BigQuery) getQueryResults(w http.ResponseWriter, r *http.Request) {
	j, done := b.job(r.PathValue("job"))
	if j == nil {
		writeBQError(w, bqError{http.StatusNotFound, "notFound", "Not found: Job " + r.PathValue("project") + ":" + r.PathValue("job")})
		return
	}
	q := r.URL.Query()
	b.writeResults(w, j, "bigquery#getQueryResultsResponse", done, q.Get("startIndex"), q.Get("maxResults"), q.Get("pageToken"))
}

// writeResults writes one page of j's results, its error, or (when it is not
// done) just its status, in the shape shared by jobs.query and
// jobs.getQueryResults.
func (b *BigQuery) writeResults(w http.ResponseWriter, j *bqJob, kind string, done bool, startIndex, maxResults, pageToken string) {
	resp := map[string]any{"kind": kind, "jobReference": j.jobRef(), "jobComplete": false}
	if !done {
		bqWriteJSON(w, http.StatusOK, resp)
		return
	}
	if j.err != nil {
		writeBQError(w, bqError{http.StatusBadRequest, "invalidQuery", j.err.Error()})
		return
	}
	start, end, err := b.pageBounds(len(j.result.rows), startIndex, maxResults, pageToken)
	if err != nil {
		writeBQError(w, bqError{http.StatusBadRequest, "invalid", err.Error()})
		return
	}
	resp["jobComplete"] = true
	resp["schema"] = map[string]any{"fields": j.result.fields}
	resp["rows"] = bqRestRows(j.result.rows[start:end])
	resp["totalRows"] = strconv.Itoa(len(j.result.rows))
	resp["totalBytesProcessed"] = "0"
	resp["cacheHit"] = false
	if end < len(j.result.rows) && end > start {
		resp["pageToken"] = strconv.Itoa(end)
	}
	bqWriteJSON(w, http.StatusOK, resp)
}

// jobsInsert serves jobs.insert for query jobs: POST /projects/{project}/jobs.
func (b *BigQuery) jobsInsert(w http.ResponseWriter, r *http.Request) {
	var req bqJobResource
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeBQError(w, bqError{http.StatusBadRequest, "invalid", "invalid JSON body: " + err.Error()})
		return
	}
	q := req.Configuration.Query
	if q == nil {
		writeBQError(w, bqError{http.StatusBadRequest, "invalid", "the BigQuery stand-in only runs query jobs"})
		return
	}
	if q.UseLegacySQL == nil || *q.UseLegacySQL {
		writeBQError(w, bqError{http.StatusBadRequest, "invalidQuery", "the BigQuery stand-in only runs GoogleSQL (useLegacySql=false)"})
		return
	}
	j := b.newJob(r.PathValue("project"), req.JobReference.JobID, req.JobReference.Location, q.Query)
	b.writeJob(w, j)
}

// jobsGet serves jobs.get: GET /projects/{project}/jobs/{job}.
func (b *BigQuery) jobsGet(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	j := b.jobs[r.PathValue("job")]
	b.mu.Unlock()
	if j == nil {
		writeBQError(w, bqError{http.StatusNotFound, "notFound", "Not found: Job " + r.PathValue("project") + ":" + r.PathValue("job")})
		return
	}
	b.writeJob(w, j)
}

// writeJob writes j as a Job resource, DONE or RUNNING depending on its
// pending polls; a failed query is DONE with an errorResult.
func (b *BigQuery) writeJob(w http.ResponseWriter, j *bqJob) {
	_, done := b.job(j.id)
	ms := strconv.FormatInt(j.created.UnixMilli(), 10)
	status := map[string]any{"state": "RUNNING"}
	stats := map[string]any{"creationTime": ms, "startTime": ms}
	if done {
		status["state"] = "DONE"
		stats["endTime"] = ms
		stats["query"] = map[string]any{"totalBytesProcessed": "0", "cacheHit": false, "statementType": "SELECT"}
		if j.err != nil {
			e := map[string]string{"reason": "invalidQuery", "location": "query", "message": j.err.Error()}
			status["errorResult"] = e
			status["errors"] = []map[string]string{e}
		}
	}
	bqWriteJSON(w, http.StatusOK, map[string]any{
		"kind":          "bigquery#job",
		"id":            j.project + ":" + j.location + "." + j.id,
		"jobReference":  j.jobRef(),
		"configuration": map[string]any{"jobType": "QUERY", "query": map[string]any{"query": j.sql, "useLegacySql": false}},
		"status":        status,
		"statistics":    stats,
	})
}
