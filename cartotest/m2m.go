package cartotest

import (
	"encoding/json"
	"fmt"
	"os"
)

// AddM2MClient registers a new machine-to-machine client and returns its id (32 characters)
// and secret (64 characters), to use with the client_credentials grant.
func (s *Server) AddM2MClient() (clientID, clientSecret string) {
	clientID, clientSecret = randomAlnum(32), randomAlnum(64)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.clients[clientID] = clientSecret
	return clientID, clientSecret
}

// Credentials is the content of a CARTO M2M credentials file.
type Credentials struct {
	APIBaseURL   string `json:"api_base_url"`
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

// WriteCredentialsFile registers a new M2M client and writes its credentials file (JSON
// {api_base_url, client_id, client_secret}, as CARTO Workspace produces it) to path with
// permissions 0600.
func (s *Server) WriteCredentialsFile(path string) error {
	id, secret := s.AddM2MClient()
	b, err := json.MarshalIndent(Credentials{APIBaseURL: s.baseURL(), ClientID: id,
		ClientSecret: secret}, "", "  ")
	if err != nil {
		return fmt.Errorf("cartotest: encoding credentials: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("cartotest: writing credentials file: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("cartotest: writing credentials file: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("cartotest: writing credentials file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("cartotest: writing credentials file: %w", err)
	}
	return nil
}
