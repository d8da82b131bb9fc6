package cartodw

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeFetcher hands out "google-token-<n>" for project "carto-dw-ac-test".
type fakeFetcher struct {
	mu    sync.Mutex
	n     int
	err   error
	gate  chan struct{} // when set, each fetch waits for it
	same  bool          // hand out google-token-1 every time
	empty bool          // answer with no project and no token
}

func (f *fakeFetcher) CartoDWCredentials(ctx context.Context) (string, string, error) {
	f.mu.Lock()
	f.n++
	n, err, gate := f.n, f.err, f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return "", "", ctx.Err()
		}
	}
	switch {
	case err != nil:
		return "", "", err
	case f.empty:
		return "", "", nil
	case f.same:
		n = 1
	}
	return "carto-dw-ac-test", fmt.Sprintf("google-token-%d", n), nil
}

func (f *fakeFetcher) fetches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestTokenIsCachedUntilItsAssumedLifetimeEnds(t *testing.T) {
	t.Parallel()
	f, clk := &fakeFetcher{}, newFakeClock()
	ts := NewTokenSource(f, &Options{Now: clk.Now})
	start := clk.Now()
	steps := []struct {
		advance     time.Duration
		wantToken   string
		wantFetches int
	}{
		{0, "google-token-1", 1},
		{DefaultTokenLifetime - expiryDelta - time.Second, "google-token-1", 1},
		{time.Second, "google-token-2", 2}, // within expiryDelta of the end: renewed
		{time.Minute, "google-token-2", 2},
	}
	for i, st := range steps {
		clk.Advance(st.advance)
		tok, err := ts.Token()
		if err != nil {
			t.Fatalf("step %d: Token: %v", i, err)
		}
		if tok.AccessToken != st.wantToken || f.fetches() != st.wantFetches {
			t.Errorf("step %d: got %s after %d fetches, want %s after %d",
				i, tok.AccessToken, f.fetches(), st.wantToken, st.wantFetches)
		}
		if tok.TokenType != "Bearer" {
			t.Errorf("step %d: TokenType %q, want Bearer", i, tok.TokenType)
		}
	}
	tok, _ := ts.Token()
	if want := start.Add(DefaultTokenLifetime - expiryDelta).Add(DefaultTokenLifetime); !tok.Expiry.Equal(want) {
		t.Errorf("Expiry = %v, want %v (fetch time + DefaultTokenLifetime)", tok.Expiry, want)
	}
}

func TestConcurrentCallersShareOneFetch(t *testing.T) {
	t.Parallel()
	f := &fakeFetcher{gate: make(chan struct{})}
	ts := NewTokenSource(f, nil)
	var waiting atomic.Int32
	ts.joined = func() { waiting.Add(1) }
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			tok, err := ts.TokenContext(t.Context())
			if err == nil && tok.AccessToken != "google-token-1" {
				err = fmt.Errorf("got %s, want google-token-1", tok.AccessToken)
			}
			errs <- err
		})
	}
	for deadline := time.Now().Add(10 * time.Second); waiting.Load() < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d callers came to wait for the fetch", waiting.Load(), n)
		}
	}
	close(f.gate) // every caller is waiting for the one fetch

	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := f.fetches(); got != 1 {
		t.Errorf("%d fetches for %d concurrent callers, want 1", got, n)
	}
}

func TestCallerGivingUpDoesNotCancelTheSharedFetch(t *testing.T) {
	t.Parallel()
	f := &fakeFetcher{gate: make(chan struct{})}
	ts := NewTokenSource(f, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := ts.TokenContext(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("TokenContext with a cancelled context: err = %v, want context.Canceled", err)
	}
	close(f.gate)
	tok, err := ts.TokenContext(t.Context())
	if err != nil || tok.AccessToken != "google-token-1" || f.fetches() != 1 {
		t.Fatalf("after the first caller left: %v, %v, %d fetches; want google-token-1 from the same fetch", tok, err, f.fetches())
	}
}

func TestFetchTimeout(t *testing.T) {
	t.Parallel()
	f := &fakeFetcher{gate: make(chan struct{})}
	ts := NewTokenSource(f, &Options{FetchTimeout: 20 * time.Millisecond})
	if _, err := ts.Token(); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Token with a hung fetch: err = %v, want context.DeadlineExceeded after FetchTimeout", err)
	}
	// A caller with a deadline of its own gets that instead of FetchTimeout.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	time.AfterFunc(100*time.Millisecond, func() { close(f.gate) })
	if tok, err := ts.TokenContext(ctx); err != nil || tok.AccessToken != "google-token-2" {
		t.Fatalf("TokenContext with a 10s deadline and a 100ms fetch: %v, %v", tok, err)
	}
}

func TestInvalidate(t *testing.T) {
	t.Parallel()
	f := &fakeFetcher{}
	ts := NewTokenSource(f, nil)
	if _, err := ts.Token(); err != nil {
		t.Fatal(err)
	}
	ts.Invalidate("some-older-token") // not the current one: ignored
	if tok, _ := ts.Token(); tok.AccessToken != "google-token-1" || f.fetches() != 1 {
		t.Fatalf("Invalidate of another token dropped the current one (%s, %d fetches)", tok.AccessToken, f.fetches())
	}
	ts.Invalidate("google-token-1")
	ts.Invalidate("google-token-1") // a second refusal of the same token: no extra fetch
	if tok, _ := ts.Token(); tok.AccessToken != "google-token-2" || f.fetches() != 2 {
		t.Fatalf("after Invalidate: %s after %d fetches, want google-token-2 after 2", tok.AccessToken, f.fetches())
	}
}

func TestFetchErrors(t *testing.T) {
	t.Parallel()
	sentinel := errors.New("no API base URL: give one with OAuthOptions.APIBaseURL")
	tests := []struct {
		name    string
		f       *fakeFetcher
		wantIs  error
		wantMsg string
	}{
		{"fetcher error kept", &fakeFetcher{err: fmt.Errorf("getting CARTO Data Warehouse credentials: %w", sentinel)}, sentinel, "OAuthOptions.APIBaseURL"},
		{"empty answer", &fakeFetcher{empty: true}, ErrNoCredentials, "no projectId and no token"},
	}
	for _, f := range []Fetcher{nil, (*fakeFetcher)(nil)} {
		if _, err := NewTokenSource(f, nil).Token(); err == nil || !strings.Contains(err.Error(), "no CARTO login") {
			t.Errorf("Token with fetcher %#v: err = %v, want 'no CARTO login'", f, err)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := NewTokenSource(tt.f, nil)
			_, err := ts.Token()
			if !errors.Is(err, tt.wantIs) || !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "cartodw: ") {
				t.Fatalf("err = %v; want it to wrap %v and mention %q", err, tt.wantIs, tt.wantMsg)
			}
			if _, err := ts.ProjectID(t.Context()); err == nil {
				t.Fatal("ProjectID succeeded after a failed fetch")
			}
			if tt.f.fetches() != 2 {
				t.Errorf("%d fetches, want 2 (a failure is not cached)", tt.f.fetches())
			}
		})
	}
}

func BenchmarkTokenCached(b *testing.B) {
	ts := NewTokenSource(&fakeFetcher{}, nil)
	if _, err := ts.Token(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ts.Token(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTokenCachedParallel(b *testing.B) {
	ts := NewTokenSource(&fakeFetcher{}, nil)
	if _, err := ts.Token(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ts.Token(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func TestBrokenFetchersAreErrorsNotCrashes(t *testing.T) {
	for name, f := range map[string]Fetcher{
		"nil func": FetcherFunc(nil),
		"panics": FetcherFunc(func(context.Context) (string, string, error) {
			panic("boom")
		}),
	} {
		_, err := NewTokenSource(f, nil).Token()
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestExpiryIsWallClock(t *testing.T) {
	t.Parallel()
	tok, err := NewTokenSource(&fakeFetcher{}, nil).Token()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tok.Expiry.String(), "m=") {
		t.Errorf("expiry %v carries a monotonic reading, which stops while a laptop sleeps", tok.Expiry)
	}
}
