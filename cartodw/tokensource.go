package cartodw

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
)

// DefaultTokenLifetime is how long a CARTO DW token is used, counted from
// when CARTO handed it out, before a new one is asked for.
//
// CARTO's DW endpoint returns a Google OAuth access token without its expiry.
// Google access tokens live one hour (expires_in 3600) unless minted with
// another lifetime; 50 minutes leaves ten minutes for a token that CARTO
// minted (or cached) before handing it out and for clock differences. A token
// that dies sooner anyway is caught by the transport of [TokenSource.Transport]:
// BigQuery answers 401, the token is dropped, a new one is fetched once and
// the request is sent again.
const DefaultTokenLifetime = 50 * time.Minute

// DefaultFetchTimeout bounds one fetch of a DW token when the caller that
// starts it has no deadline (as with [TokenSource.Token]). A fetch may include
// renewing the CARTO token itself.
const DefaultFetchTimeout = 30 * time.Second

// expiryDelta matches golang.org/x/oauth2: a token this close to its expiry
// counts as expired.
const expiryDelta = 10 * time.Second

// Fetcher gets CARTO Data Warehouse credentials: the DW project id and a
// Google OAuth access token for it, fresh from CARTO (not from a cache).
// *gonbauth.Auth is a Fetcher. Its errors should say what went wrong (they
// are returned wrapped, with the prefix "cartodw: ") and must not contain
// the token.
type Fetcher interface {
	CartoDWCredentials(ctx context.Context) (projectID, token string, err error)
}

// FetcherFunc adapts a function to [Fetcher].
type FetcherFunc func(ctx context.Context) (projectID, token string, err error)

// CartoDWCredentials calls f.
func (f FetcherFunc) CartoDWCredentials(ctx context.Context) (string, string, error) {
	return f(ctx)
}

// Options configure a [TokenSource]. Pass nil to accept the defaults.
type Options struct {
	// TokenLifetime is how long a DW token is used after it was fetched.
	// Zero means DefaultTokenLifetime.
	TokenLifetime time.Duration
	// FetchTimeout bounds one fetch of a DW token started by a caller whose
	// context has no deadline. Zero means DefaultFetchTimeout.
	FetchTimeout time.Duration
	// Transport sends BigQuery requests for clients made by
	// TokenSource.NewClient and transports made by TokenSource.Transport
	// with a nil base. Nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Now is the clock. Nil means time.Now. Its readings are used as wall-clock
	// time (their monotonic part is dropped), so a laptop's sleep counts.
	Now func() time.Time
	// Endpoint is the BigQuery API endpoint, the only origin the DW token is
	// sent to. Empty means the one the Fetcher names (a *gonbauth.Auth logged in
	// to a CARTO stand-in names the stand-in's), else DefaultEndpoint.
	Endpoint string
}

// ErrNoCredentials is wrapped by errors about a DW token response that lacks
// the project id or the token.
var ErrNoCredentials = errors.New("CARTO returned no Data Warehouse credentials")

// TokenSource is an oauth2.TokenSource of Google access tokens for the CARTO
// Data Warehouse. It caches the current token in memory, asks CARTO for a new
// one when the token's assumed lifetime (Options.TokenLifetime) has run out
// or after BigQuery refused it, and makes concurrent callers share one fetch.
//
// A TokenSource is safe for concurrent use. Its methods never put a token in
// an error.
type TokenSource struct {
	fetcher  Fetcher
	life     time.Duration
	timeout  time.Duration
	base     http.RoundTripper
	now      func() time.Time
	endpoint *url.URL
	// endpointErr says why endpoint must get no token (clear text to another machine).
	endpointErr error

	cur atomic.Pointer[dwToken] // nil until the first fetch and after Invalidate

	mu     sync.Mutex
	flight *flight // the fetch in progress, if any
	joined func()  // tests: called when a caller starts waiting for a fetch
}

// dwToken is one token from CARTO with the project it is for.
type dwToken struct {
	project string
	tok     *oauth2.Token
}

// flight is one fetch that concurrent callers wait for.
type flight struct {
	done chan struct{}
	res  *dwToken
	err  error
}

// NewTokenSource returns a TokenSource that gets its tokens from f (a
// *gonbauth.Auth, for example). It fetches nothing until first asked.
func NewTokenSource(f Fetcher, o *Options) *TokenSource {
	var opts Options
	if o != nil {
		opts = *o
	}
	s := &TokenSource{fetcher: f, life: opts.TokenLifetime, timeout: opts.FetchTimeout,
		base: opts.Transport, endpoint: endpointOf(opts.Endpoint, f)}
	s.endpointErr = checkEndpoint(s.endpoint)
	if s.life <= 0 {
		s.life = DefaultTokenLifetime
	}
	if s.timeout <= 0 {
		s.timeout = DefaultFetchTimeout
	}
	if s.base == nil {
		s.base = http.DefaultTransport
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s.now = func() time.Time { return now().Round(0) }
	return s
}

// Token returns the current DW token, fetching a new one from CARTO if it has
// none or the current one is about to expire. It implements
// oauth2.TokenSource, whose Token has no context: the fetch is bounded by
// Options.FetchTimeout. The token's Expiry is the end of its assumed
// lifetime. The returned token is shared: do not modify it.
func (s *TokenSource) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

// TokenContext is Token with a context: ctx bounds how long this caller waits
// for a fetch (the fetch itself, shared with other callers, goes on).
func (s *TokenSource) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	if t := s.valid(); t != nil {
		return t.tok, nil
	}
	t, err := s.get(ctx)
	if err != nil {
		return nil, err
	}
	return t.tok, nil
}

// ProjectID returns the DW project id (e.g. "carto-dw-ac-xxxxxxxx"),
// fetching credentials from CARTO if none are cached.
func (s *TokenSource) ProjectID(ctx context.Context) (string, error) {
	t := s.cur.Load()
	if t == nil {
		var err error
		if t, err = s.get(ctx); err != nil {
			return "", err
		}
	}
	return t.project, nil
}

// Invalidate drops the cached token if it is accessToken (a token that
// BigQuery refused), so that the next call fetches a new one. A token that
// was already replaced is ignored, so concurrent refusals of one token cause
// one fetch.
func (s *TokenSource) Invalidate(accessToken string) {
	if t := s.cur.Load(); t != nil && t.tok.AccessToken == accessToken {
		s.cur.CompareAndSwap(t, nil)
	}
}

// valid returns the cached token if it is not about to expire.
func (s *TokenSource) valid() *dwToken {
	t := s.cur.Load()
	if t == nil || !s.now().Add(expiryDelta).Before(t.tok.Expiry) {
		return nil
	}
	return t
}

// get returns a valid token, joining the fetch in progress or starting one.
func (s *TokenSource) get(ctx context.Context) (*dwToken, error) {
	s.mu.Lock()
	if t := s.valid(); t != nil { // another caller's fetch just finished
		s.mu.Unlock()
		return t, nil
	}
	f := s.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		s.flight = f
		fctx, cancel := s.fetchContext(ctx)
		go s.run(fctx, cancel, f)
	}
	s.mu.Unlock()
	if s.joined != nil {
		s.joined()
	}
	select {
	case <-f.done:
		return f.res, f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("cartodw: waiting for a CARTO Data Warehouse token: %w", ctx.Err())
	}
}

// fetchContext returns the context of a fetch started by a caller with ctx:
// it keeps ctx's values and deadline (or, lacking one, gets FetchTimeout) but
// not its cancellation, since other callers may come to wait for the fetch.
func (s *TokenSource) fetchContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := ctx.Deadline(); ok {
		return context.WithDeadline(context.WithoutCancel(ctx), d)
	}
	return context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
}

// run performs fetch f and publishes its outcome.
func (s *TokenSource) run(ctx context.Context, cancel context.CancelFunc, f *flight) {
	defer cancel()
	f.res, f.err = s.fetchSafely(ctx)
	s.mu.Lock()
	if f.err == nil {
		s.cur.Store(f.res)
	}
	s.flight = nil
	s.mu.Unlock()
	close(f.done)
}

// fetchSafely is fetch on its own goroutine, where a panicking Fetcher would
// kill the whole program (a notebook kernel): the panic becomes an error.
func (s *TokenSource) fetchSafely(ctx context.Context) (t *dwToken, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("cartodw: the Fetcher panicked: %v", r)
		}
	}()
	return s.fetch(ctx)
}

// fetch asks CARTO for DW credentials once.
func (s *TokenSource) fetch(ctx context.Context) (*dwToken, error) {
	if isNil(s.fetcher) {
		return nil, errors.New("cartodw: no CARTO login: pass the *gonbauth.Auth from gonbauth.FromOAuth or gonbauth.FromM2M")
	}
	start := s.now()
	project, token, err := s.fetcher.CartoDWCredentials(ctx)
	if err != nil {
		return nil, fmt.Errorf("cartodw: %w", err)
	}
	switch {
	case project == "" && token == "":
		return nil, fmt.Errorf("cartodw: %w: no projectId and no token", ErrNoCredentials)
	case project == "":
		return nil, fmt.Errorf("cartodw: %w: no projectId", ErrNoCredentials)
	case token == "":
		return nil, fmt.Errorf("cartodw: %w: no token", ErrNoCredentials)
	}
	return &dwToken{project: project, tok: &oauth2.Token{
		AccessToken: token,
		TokenType:   "Bearer",
		Expiry:      start.Add(s.life),
	}}, nil
}

// isNil reports whether f is nil or a nil value of a nillable kind (a nil
// *gonbauth.Auth, a nil FetcherFunc), whose method would panic.
func isNil(f Fetcher) bool {
	if f == nil {
		return true
	}
	switch v := reflect.ValueOf(f); v.Kind() {
	case reflect.Pointer, reflect.Func, reflect.Map, reflect.Interface, reflect.Chan, reflect.Slice:
		return v.IsNil()
	}
	return false
}
