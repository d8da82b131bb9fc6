package cartotest

import (
	"net/http"
	"strings"
	"time"
)

// route is one endpoint of the server.
type route struct {
	endpoint string
	methods  string // space-separated allowed methods
	handle   func(s *Server, w http.ResponseWriter, r *http.Request)
}

// routeFor maps a request path to its route, or nil.
func routeFor(path string) *route {
	switch path {
	case "/authorize":
		return &route{EndpointAuthorize, "GET", (*Server).handleAuthorize}
	case "/authorize/login":
		return &route{EndpointLogin, "POST", (*Server).handleLogin}
	case "/oauth/token":
		return &route{EndpointToken, "POST", (*Server).handleToken}
	case "/oauth/revoke":
		return &route{EndpointRevoke, "POST", (*Server).handleRevoke}
	case "/auth/token":
		return &route{EndpointCodePage, "GET", (*Server).handleCodePage}
	case "/accounts":
		return &route{EndpointAccounts, "GET", (*Server).handleAccounts}
	case "/userinfo":
		return &route{EndpointUserinfo, "GET", (*Server).handleUserinfo}
	case "/config.yaml":
		return &route{EndpointConfig, "GET", (*Server).handleConfig}
	case "/v3/connections/carto-dw/token":
		return &route{EndpointDWToken, "GET", (*Server).handleDWToken}
	case "/v3/tokens":
		return &route{EndpointTokens, "GET POST", (*Server).handleTokens}
	}
	if strings.HasPrefix(path, "/v3/tokens/") && !strings.Contains(path[len("/v3/tokens/"):], "/") {
		return &route{EndpointTokens, "GET DELETE", (*Server).handleAPIToken}
	}
	if strings.HasPrefix(path, "/v3/sql/") && strings.HasSuffix(path, "/query") {
		return &route{EndpointSQL, "GET POST", (*Server).handleSQL}
	}
	switch parseMapsPath(path).req {
	case mapsInstantiate:
		return &route{EndpointMaps, "GET POST", (*Server).handleMaps}
	case mapsTileJSON:
		return &route{EndpointMapsTileJSON, "GET POST", (*Server).handleMapsTileJSON}
	case mapsTile:
		return &route{EndpointMapsTile, "GET", (*Server).handleMapsTile}
	}
	return nil
}

// Handler returns the server's HTTP handler, for mounting it elsewhere (for example under
// httptest.NewServer). When URL is empty, the base URL is taken from each request's Host.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusWriter{ResponseWriter: w}
	rt := routeFor(r.URL.Path)
	endpoint := "-"
	switch {
	case rt == nil:
		if h, prefix := s.mounted(r.URL.Path); h != nil {
			endpoint = prefix
			h.ServeHTTP(rec, r)
			break
		}
		writeJSON(rec, http.StatusNotFound, map[string]any{"error": "not found: " + r.URL.Path})
	default:
		endpoint = rt.endpoint
		if corsPath(r.URL.Path) {
			if r.Method == http.MethodOptions { // a preflight: neither counted nor faulted
				preflight(rec, r)
				break
			}
			allowOrigin(rec, r)
		}
		s.count(endpoint)
		// The token endpoint applies its faults itself, once it knows the grant type.
		if endpoint != EndpointToken && s.fault(rec, r, endpoint) {
			break
		}
		if !methodAllowed(rt.methods, r.Method) {
			rec.Header().Set("Allow", strings.ReplaceAll(rt.methods, " ", ", "))
			writeJSON(rec, http.StatusMethodNotAllowed, map[string]any{"error": "method not allowed"})
			break
		}
		rt.handle(s, rec, r)
	}
	s.logf("cartotest: %s %s [%s] %d %s", r.Method, loggedPath(r.URL.Path), endpoint, rec.status(),
		time.Since(start).Round(time.Millisecond))
}

// loggedPath is a request's path as the log shows it: a token in the path (the Tokens API's
// /v3/tokens/{token}) is left out.
func loggedPath(p string) string {
	if strings.HasPrefix(p, "/v3/tokens/") {
		return "/v3/tokens/(token)"
	}
	return p
}

func methodAllowed(methods, m string) bool {
	for _, allowed := range strings.Fields(methods) {
		if allowed == m {
			return true
		}
	}
	return false
}

// statusWriter remembers the status code written, for the request log.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) status() int {
	if w.code == 0 {
		return 0 // no answer (for example a delayed fault whose client left)
	}
	return w.code
}
