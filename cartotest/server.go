package cartotest

import (
	"net"
	"net/http"
	"sync"
	"time"
)

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

// mount is a handler added with Mount.
type mount struct {
	prefix string
	h      http.Handler
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

// Err reports why the server could not start or stopped serving, or nil.
func (s *Server) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
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

// base returns the server's base URL, or one built from the request when URL is unset.
func (s *Server) base(r *http.Request) string {
	if u := s.baseURL(); u != "" {
		return u
	}
	return "http://" + r.Host
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logf != nil {
		s.cfg.Logf(format, args...)
	}
}
