package cartotest

import (
	"net/http"
	"strings"
)

// Mount serves every path under prefix (prefix itself, or prefix followed by "/") with h,
// for paths the server does not serve itself. For example, the BigQuery stand-in:
//
//	s.Mount(cartotest.BigQueryPathPrefix,
//		http.StripPrefix(cartotest.BigQueryPathPrefix, bq.Handler()))
func (s *Server) Mount(prefix string, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mounts = append(s.mounts, mount{strings.TrimSuffix(prefix, "/"), h})
}

func (s *Server) mounted(path string) (http.Handler, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.mounts {
		if path == m.prefix || strings.HasPrefix(path, m.prefix+"/") {
			return m.h, m.prefix
		}
	}
	return nil, ""
}
