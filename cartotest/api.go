package cartotest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// handleAccounts answers CARTO's accounts lookup with this server as the tenant domain.
func (s *Server) handleAccounts(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r) {
		return
	}
	u, err := url.Parse(s.base(r))
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "bad server URL"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"tenant_domain": u.Host})
}

// configYAML is shaped like a CARTO tenant's config.yaml. Other sections carry their own
// baseUrl keys on purpose: a parser must really read apis.baseUrl.
const configYAML = `# CARTO tenant configuration (cartotest sandbox)
version: 1
tenant:
  id: sandbox
  domain: %[2]s
auth:
  baseUrl: %[1]s/oauth
  clientId: %[3]s
  audience: %[4]s
  organizations: []
apis:
  # Base URL of the CARTO APIs (SQL, maps, connections, ...)
  baseUrl: %[1]s
  workspaceUrl: %[1]s/workspace
  accountsUrl: %[1]s/accounts
  sqlUrl: "%[1]s/v3/sql"
features:
  dataWarehouse: true
  mapsApi:
    baseUrl: %[1]s/v3/maps
`

// handleConfig serves /config.yaml (no authentication, like CARTO).
func (s *Server) handleConfig(w http.ResponseWriter, r *http.Request) {
	base := s.base(r)
	u, err := url.Parse(base)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]any{"error": "bad server URL"})
		return
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = fmt.Fprintf(w, configYAML, base, u.Host, ClientID, Audience)
}

// handleDWToken hands out a Google token for the CARTO Data Warehouse.
func (s *Server) handleDWToken(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r) {
		return
	}
	tok := randomToken(dwPrefix)
	s.mu.Lock()
	s.st.dw[tok] = s.now().Add(s.cfg.DWTokenLifetime)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"projectId": s.cfg.DWProjectID, "token": tok})
}

// handleUserinfo answers OpenID Connect's userinfo for an interactive login's access token;
// an M2M token has no user (401, as Auth0 answers).
func (s *Server) handleUserinfo(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r) {
		return
	}
	_, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	s.mu.Lock()
	at := s.st.access[strings.TrimSpace(tok)]
	s.mu.Unlock()
	if at == nil || at.clientID != ClientID {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": "invalid_token", "error_description": "no user for this token"})
		return
	}
	u := userBySubject(at.subject)
	writeJSON(w, http.StatusOK, map[string]any{"sub": at.subject, "email": u.email, "email_verified": true, "name": u.name})
}
