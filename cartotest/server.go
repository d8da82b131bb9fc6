package cartotest

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fixed values of the CARTO tenant the server stands in for.
const (
	// ClientID is CARTO's public interactive client id; it is always registered (no secret).
	ClientID = "0dxb8HR3ATXCxJiPOJVHsLoHoAtbRX6u"
	// Audience is the API audience CARTO requires on authorize, code exchange and M2M logins.
	Audience = "carto-cloud-native-api"
	// LoopbackRedirectURI is the local-browser redirect URI; it is always allowed for ClientID.
	LoopbackRedirectURI = "http://localhost:10000/callback/"
	// TestUser is the user name the login page accepts (and shows).
	TestUser = "analyst@example.com"
	// TestPassword is the password the login page accepts (and shows).
	TestPassword = "carto-sandbox-demo"
	// DefaultDWProjectID is the CARTO Data Warehouse project id returned by the DW endpoint.
	DefaultDWProjectID = "carto-dw-ac-sandbox1"
	// SQLConnection is the only connection name the SQL API knows (CARTO's name for its DW).
	SQLConnection = "carto_dw"
)

// Endpoint names for Count and Inject.
const (
	// EndpointAuthorize is GET /authorize.
	EndpointAuthorize = "authorize"
	// EndpointLogin is POST /authorize/login (the login form of Config.LoginPage).
	EndpointLogin = "login"
	// EndpointToken is POST /oauth/token, every grant.
	EndpointToken = "token"
	// EndpointTokenCode is POST /oauth/token with grant_type=authorization_code.
	EndpointTokenCode = "token:authorization_code"
	// EndpointTokenRT is POST /oauth/token with grant_type=refresh_token.
	EndpointTokenRT = "token:refresh_token"
	// EndpointTokenCC is POST /oauth/token with grant_type=client_credentials.
	EndpointTokenCC = "token:client_credentials"
	// EndpointRevoke is POST /oauth/revoke.
	EndpointRevoke = "revoke"
	// EndpointAccounts is GET /accounts.
	EndpointAccounts = "accounts"
	// EndpointConfig is GET /config.yaml.
	EndpointConfig = "config"
	// EndpointDWToken is GET /v3/connections/carto-dw/token.
	EndpointDWToken = "dw-token"
	// EndpointSQL is GET or POST /v3/sql/<connection>/query.
	EndpointSQL = "sql"
	// EndpointCodePage is GET /auth/token (the copy-code page).
	EndpointCodePage = "code-page"
	// EndpointUserinfo is GET /userinfo (OpenID Connect userinfo).
	EndpointUserinfo = "userinfo"
)

// Config sets up a Server. The zero value is a working CARTO tenant with defaults.
type Config struct {
	// TokenLifetime is the access token lifetime (expires_in); default 24h.
	TokenLifetime time.Duration
	// DWTokenLifetime is the lifetime of Google tokens from the DW endpoint; default 1h.
	DWTokenLifetime time.Duration
	// NoRefreshToken: never issue refresh tokens, even when offline_access is requested.
	NoRefreshToken bool
	// RotateRefreshTokens: each refresh returns a new refresh token, and reusing a rotated-out
	// one revokes its whole family (Auth0 reuse detection).
	RotateRefreshTokens bool
	// ClaimsAtUserinfo leaves the email and name out of ID tokens, as OpenID servers do by
	// default when an access token is issued: only /userinfo has them.
	ClaimsAtUserinfo bool
	// LoginPage: /authorize shows an HTML login form instead of approving at once.
	LoginPage bool
	// RedirectURIs are extra redirect URIs allowed for ClientID. LoopbackRedirectURI and
	// URL+"/auth/token" are always allowed. Compared byte for byte, like Auth0.
	RedirectURIs []string
	// Organizations are the known SSO organizations (for example "org_123").
	Organizations []string
	// DWProjectID overrides DefaultDWProjectID.
	DWProjectID string
	// Logf, when set, receives one line per request (method, path, endpoint, status; never
	// query strings, bodies or tokens).
	Logf func(format string, args ...any)
}

// Server is an in-process CARTO + Auth0 stand-in. Create it with NewServer or
// NewUnstartedServer. All methods are safe for concurrent use.
type Server struct {
	// URL is the base URL, for example "http://127.0.0.1:40123", without a trailing slash.
	// If set before Start or Serve it is kept (for a server behind a port mapping);
	// otherwise it is derived from the listener address.
	URL string
	// Listener, when set before Start, is used instead of a new one on 127.0.0.1:0.
	Listener net.Listener

	cfg    Config
	now    func() time.Time
	srv    *http.Server
	err    error
	mu     sync.Mutex
	st     state
	mounts []mount
	wait   sync.WaitGroup
}

// NewServer returns a started Server listening on a loopback port, like httptest.NewServer.
// Call Close when done. If no port can be opened, Err reports why and URL is empty.
func NewServer(cfg Config) *Server {
	s := NewUnstartedServer(cfg)
	s.Start()
	return s
}

// NewUnstartedServer returns a Server that is not yet listening; call Start or Serve.
func NewUnstartedServer(cfg Config) *Server {
	if cfg.TokenLifetime <= 0 {
		cfg.TokenLifetime = 24 * time.Hour
	}
	if cfg.DWTokenLifetime <= 0 {
		cfg.DWTokenLifetime = time.Hour
	}
	if cfg.DWProjectID == "" {
		cfg.DWProjectID = DefaultDWProjectID
	}
	s := &Server{cfg: cfg, now: time.Now}
	s.st.init()
	return s
}

// Start starts serving on s.Listener, or on a new listener on 127.0.0.1:0 (falling back to
// [::1]:0), in the background. On failure Err reports why; Start never panics.
func (s *Server) Start() {
	l := s.Listener
	if l == nil {
		var err error
		if l, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			if l, err = net.Listen("tcp6", "[::1]:0"); err != nil {
				s.mu.Lock()
				s.err = err
				s.mu.Unlock()
				s.logf("cartotest: cannot listen: %v", err)
				return
			}
		}
	}
	srv := s.prepare(l)
	s.wait.Add(1)
	go func() {
		defer s.wait.Done()
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
		}
	}()
}

// Serve serves on l until Close is called, then returns nil. It sets URL from l.Addr (unless
// URL was set before) before accepting connections; since Serve blocks, code that needs URL
// while serving should rather set Listener and call Start, which returns once URL is set.
func (s *Server) Serve(l net.Listener) error {
	srv := s.prepare(l)
	if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (s *Server) prepare(l net.Listener) *http.Server {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.Listener = l
	if s.URL == "" {
		s.URL = "http://" + hostPort(l.Addr())
	}
	s.srv = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	return s.srv
}

// hostPort renders a listener address usable in a URL; an unspecified IP becomes
// 127.0.0.1 (IPv4) or localhost (IPv6 or dual stack).
func hostPort(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	port := strconv.Itoa(tcp.Port)
	switch {
	case tcp.IP == nil || tcp.IP.Equal(net.IPv4zero):
		return net.JoinHostPort("127.0.0.1", port)
	case tcp.IP.Equal(net.IPv6unspecified):
		// Go reports a dual-stack "0.0.0.0" listener as [::]; localhost reaches both stacks.
		return net.JoinHostPort("localhost", port)
	}
	return net.JoinHostPort(tcp.IP.String(), port)
}

// Err reports why the server could not start or stopped serving, or nil.
func (s *Server) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close stops the server at once, closing open connections (which cancels the context of
// requests still running, such as delayed faults). It is safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
	s.wait.Wait()
}

// DWProjectID returns the CARTO Data Warehouse project id the DW endpoint hands out.
func (s *Server) DWProjectID() string { return s.cfg.DWProjectID }

// AuthorizeURL returns the authorize endpoint, URL+"/authorize".
func (s *Server) AuthorizeURL() string { return s.baseURL() + "/authorize" }

// TokenURL returns the token endpoint, URL+"/oauth/token".
func (s *Server) TokenURL() string { return s.baseURL() + "/oauth/token" }

// RevokeURL returns the revocation endpoint, URL+"/oauth/revoke".
func (s *Server) RevokeURL() string { return s.baseURL() + "/oauth/revoke" }

// AccountsURL returns the accounts endpoint, URL+"/accounts".
func (s *Server) AccountsURL() string { return s.baseURL() + "/accounts" }

// CodePageURL returns the copy-code redirect URI, URL+"/auth/token"; it is always allowed.
func (s *Server) CodePageURL() string { return s.baseURL() + "/auth/token" }

func (s *Server) baseURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.URL
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}
