package provider

import (
	"context"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// FaultProxy is a reverse proxy in front of the provider that, while enabled, answers some
// requests itself with a 5xx, drops some connections, and slows some answers down. Faults
// that could cost a login are never injected: a 5xx or a dropped connection happens before
// the request is forwarded (the provider never saw it); a slow answer is either held before
// forwarding or after the provider answered, and only the latter, with the client killed
// meanwhile, can lose a rotated refresh token (what the soak attributes to its kills).
type FaultProxy struct {
	// URL is the proxy's address, to be used as CARTO_AUTH_SERVER.
	URL string
	// Rates are the probabilities, per request, of each fault.
	Rates FaultRates

	enabled atomic.Bool
	srv     *http.Server
	mu      sync.Mutex
	counts  map[string]int
}

// FaultRates are per-request probabilities; what is left is forwarded untouched.
type FaultRates struct {
	Status5xx, Drop, SlowBefore, SlowAfter float64
	// MaxSlow bounds a slow answer's delay.
	MaxSlow time.Duration
}

// DefaultFaultRates is what the soak injects.
var DefaultFaultRates = FaultRates{Status5xx: 0.08, Drop: 0.05, SlowBefore: 0.1, SlowAfter: 0.1, MaxSlow: 2500 * time.Millisecond}

type slowAfterKey struct{}

// StartFaultProxy starts a proxy to target on a free loopback port; faults start disabled.
func StartFaultProxy(target string, rates FaultRates) (*FaultProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	fp := &FaultProxy{URL: "http://" + ln.Addr().String(), Rates: rates, counts: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.Transport = slowAnswers{http.DefaultTransport}
	rp.ErrorLog = log.New(io.Discard, "", 0) // a killed client's request is not news
	fp.srv = &http.Server{Handler: fp.handler(rp), ReadHeaderTimeout: 10 * time.Second}
	go fp.srv.Serve(ln)
	return fp, nil
}

// Enable turns the faults on or off.
func (fp *FaultProxy) Enable(on bool) { fp.enabled.Store(on) }

// Counts returns how many of each fault were injected, and how many requests were forwarded.
func (fp *FaultProxy) Counts() map[string]int {
	fp.mu.Lock()
	defer fp.mu.Unlock()
	out := make(map[string]int, len(fp.counts))
	for k, v := range fp.counts {
		out[k] = v
	}
	return out
}

// Close stops the proxy.
func (fp *FaultProxy) Close() { fp.srv.Close() }

func (fp *FaultProxy) count(what string) {
	fp.mu.Lock()
	fp.counts[what]++
	fp.mu.Unlock()
}

func (fp *FaultProxy) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !fp.enabled.Load() {
			next.ServeHTTP(w, r)
			return
		}
		rates, x := fp.Rates, rand.Float64()
		switch {
		case x < rates.Status5xx:
			fp.count("5xx")
			status := []int{500, 502, 503, 504}[rand.IntN(4)]
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			w.Write([]byte(`{"error":"server_error","error_description":"fault injected by the soak's proxy"}`))
			return
		case x < rates.Status5xx+rates.Drop:
			fp.count("dropped")
			if hj, ok := w.(http.Hijacker); ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		case x < rates.Status5xx+rates.Drop+rates.SlowBefore:
			fp.count("slow before")
			if !sleepCtx(r.Context(), randDelay(rates.MaxSlow)) {
				return // the client left: nothing is forwarded
			}
		case x < rates.Status5xx+rates.Drop+rates.SlowBefore+rates.SlowAfter:
			fp.count("slow after")
			r = r.WithContext(context.WithValue(r.Context(), slowAfterKey{}, randDelay(rates.MaxSlow)))
		}
		fp.count("forwarded")
		next.ServeHTTP(w, r)
	})
}

// slowAnswers holds the provider's answer back for the delay its request carries.
type slowAnswers struct{ base http.RoundTripper }

func (s slowAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.base.RoundTrip(req)
	if d, ok := req.Context().Value(slowAfterKey{}).(time.Duration); ok && err == nil {
		sleepCtx(req.Context(), d)
	}
	return resp, err
}

func randDelay(max time.Duration) time.Duration {
	return 200*time.Millisecond + rand.N(max)
}

// sleepCtx sleeps for d or until ctx ends; it reports whether the whole d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
