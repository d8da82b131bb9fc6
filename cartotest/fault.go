package cartotest

import "time"

// Fault is a failure the server plays on the next requests to an endpoint (see Inject).
//
// The server first waits Delay (giving up without answering if the request's context ends).
// Then, if Status, Body and RetryAfter are all zero, it answers the request normally (a pure
// delay). Otherwise it answers with Status (default 200 when only Body is set, 503 when only
// RetryAfter is set), the Retry-After header in whole seconds when RetryAfter > 0, and Body
// verbatim, or a JSON error body when Body is empty.
type Fault struct {
	// Status is the HTTP status to answer with.
	Status int
	// RetryAfter, when positive, is sent as a Retry-After header (seconds, rounded up).
	RetryAfter time.Duration
	// Body is the raw response body, for example truncated JSON.
	Body string
	// Delay is how long to wait before answering; the wait ends early if the client leaves.
	Delay time.Duration
	// Times is how many requests the fault applies to; 0 means 1.
	Times int
}
