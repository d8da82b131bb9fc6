package cartotest

import (
	"net/http"
	"strconv"
	"time"
)

// Inject queues f for endpoint (one of the Endpoint constants). Faults queued for the same
// endpoint are played in order. Faults on EndpointToken apply to every grant; faults on a
// per-grant endpoint such as EndpointTokenRT only to that grant, and are played first.
func (s *Server) Inject(endpoint string, f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults[endpoint] = append(s.st.faults[endpoint], &f)
}

// takeFault removes one use of the first fault queued for any of endpoints, in order.
func (s *Server) takeFault(endpoints ...string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range endpoints {
		q := s.st.faults[e]
		if len(q) == 0 {
			continue
		}
		f := *q[0]
		if q[0].Times--; q[0].Times <= 0 {
			s.st.faults[e] = q[1:]
		}
		return f, true
	}
	return Fault{}, false
}

// fault plays a queued fault for endpoints, if any. It reports whether the request has been
// dealt with (answered, or abandoned because the client left during the delay).
func (s *Server) fault(w http.ResponseWriter, r *http.Request, endpoints ...string) bool {
	f, ok := s.takeFault(endpoints...)
	if !ok {
		return false
	}
	if f.Delay > 0 {
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			return true
		case <-t.C:
		}
	}
	if f.Status == 0 && f.Body == "" && f.RetryAfter <= 0 {
		return false
	}
	status := f.Status
	if status == 0 {
		status = http.StatusOK
		if f.Body == "" {
			status = http.StatusServiceUnavailable
		}
	}
	if f.RetryAfter > 0 {
		secs := (f.RetryAfter + time.Second - 1) / time.Second
		w.Header().Set("Retry-After", strconv.FormatInt(int64(secs), 10))
	}
	if f.Body == "" {
		writeJSON(w, status, map[string]any{
			"error":             "temporarily_unavailable",
			"error_description": "fault injected by cartotest",
		})
		return true
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(f.Body))
	return true
}
