package cartotest

// Count returns how many requests the server has seen for endpoint (one of the Endpoint
// constants), including requests answered by a fault.
func (s *Server) Count(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.counts[endpoint]
}

func (s *Server) count(endpoint string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.counts[endpoint]++
}
