package cartotest

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"
)

// NewServer returns a started Server listening on a loopback port, like httptest.NewServer.
// Call Close when done. If no port can be opened, Err reports why and URL is empty.
func NewServer(cfg Config) *Server {
	s := NewUnstartedServer(cfg)
	s.Start()
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
