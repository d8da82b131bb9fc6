package cartotest

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// apiTokenPrefix starts every API access token the Tokens API issues.
const apiTokenPrefix = "sbx_api_"

// apiAPIs are the APIs an API access token may be allowed to call.
var apiAPIs = []string{"sql", "maps", "imports", "lds"}

// tokenRequest is the body of POST /v3/tokens.
type tokenRequest struct {
	Grants     []TokenGrant `json:"grants"`
	APIs       []string     `json:"allowed_apis"`
	Referers   []string     `json:"referers"`
	Expiration *string      `json:"expiration_date"`
}

// tokenAnswer is an API access token as the Tokens API shows it.
type tokenAnswer struct {
	Token      string       `json:"token"`
	Grants     []TokenGrant `json:"grants"`
	APIs       []string     `json:"allowed_apis"`
	Referers   []string     `json:"referers"`
	Created    string       `json:"created_at"`
	Expiration *string      `json:"expiration_date"`
}

func answerOf(tok string, t *apiToken) tokenAnswer {
	a := tokenAnswer{Token: tok, Grants: t.Grants, APIs: t.APIs, Referers: t.Referers,
		Created: t.Created.UTC().Format(time.RFC3339)}
	if a.Referers == nil {
		a.Referers = []string{}
	}
	if !t.Expires.IsZero() {
		exp := t.Expires.UTC().Format(time.RFC3339)
		a.Expiration = &exp
	}
	return a
}

// handleTokens is the Tokens API's collection: POST creates an API access token, GET lists
// the caller's. Both need an OAuth access token: an API access token is refused with a 403.
func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request) {
	owner, ok := s.oauthCaller(w, r)
	if !ok {
		return
	}
	if r.Method == http.MethodGet {
		s.mu.Lock()
		list := []tokenAnswer{}
		for tok, t := range s.st.apiTokens {
			if t.owner == owner {
				list = append(list, answerOf(tok, t))
			}
		}
		s.mu.Unlock()
		sort.Slice(list, func(i, j int) bool { return list[i].Created < list[j].Created })
		writeJSON(w, http.StatusOK, map[string]any{"tokens": list})
		return
	}
	t, msg := s.newAPIToken(w, r, owner)
	if msg != "" {
		apiError(w, http.StatusBadRequest, msg)
		return
	}
	tok := randomToken(apiTokenPrefix)
	s.mu.Lock()
	s.st.apiTokens[tok] = t
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, answerOf(tok, t))
}

// newAPIToken reads and checks a creation request; msg says what is wrong with it.
func (s *Server) newAPIToken(w http.ResponseWriter, r *http.Request, owner string) (t *apiToken, msg string) {
	var req tokenRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, "the body must be a JSON object with grants, allowed_apis, and optionally referers and expiration_date: " + err.Error()
	}
	if len(req.Grants) == 0 {
		return nil, "grants: at least one grant is required"
	}
	for _, g := range req.Grants {
		if strings.TrimSpace(g.Connection) == "" || strings.TrimSpace(g.Source) == "" {
			return nil, "grants: each grant needs connection_name and source"
		}
	}
	if len(req.APIs) == 0 {
		return nil, "allowed_apis: at least one API is required (" + strings.Join(apiAPIs, ", ") + ")"
	}
	for _, a := range req.APIs {
		if !slices.Contains(apiAPIs, a) {
			return nil, "allowed_apis: unknown API " + a + " (known: " + strings.Join(apiAPIs, ", ") + ")"
		}
	}
	for _, ref := range req.Referers {
		if originOf(ref) == "" {
			return nil, "referers: not a web origin: " + ref
		}
	}
	now := s.now()
	t = &apiToken{owner: owner, APITokenFacts: APITokenFacts{Grants: req.Grants, APIs: req.APIs, Referers: req.Referers, Created: now}}
	if req.Expiration != nil {
		exp, err := time.Parse(time.RFC3339, *req.Expiration)
		if err != nil {
			return nil, "expiration_date: not an RFC 3339 time: " + *req.Expiration
		}
		if !exp.After(now) {
			return nil, "expiration_date: must be in the future"
		}
		t.Expires = exp
	}
	return t, ""
}

// handleToken is one API access token, /v3/tokens/{token}: GET shows it, DELETE deletes it;
// only for the OAuth user who created it (any other token: 404).
func (s *Server) handleAPIToken(w http.ResponseWriter, r *http.Request) {
	owner, ok := s.oauthCaller(w, r)
	if !ok {
		return
	}
	tok := strings.TrimPrefix(r.URL.Path, "/v3/tokens/")
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.st.apiTokens[tok]
	if t == nil || t.owner != owner {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "Token not found", "status": http.StatusNotFound})
		return
	}
	if r.Method == http.MethodDelete {
		delete(s.st.apiTokens, tok)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, answerOf(tok, t))
}

// oauthCaller checks that the request carries a valid OAuth access token and returns its
// subject; an API access token gets a 403, anything else a 401.
func (s *Server) oauthCaller(w http.ResponseWriter, r *http.Request) (subject string, ok bool) {
	if !s.bearer(w, r) {
		return "", false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.access[bearerToken(r)].subject, true
}

// APIToken returns what the server knows of an API access token it issued and has not
// deleted (expired or not).
func (s *Server) APIToken(tok string) (APITokenFacts, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.apiTokens[tok]
	if !ok {
		return APITokenFacts{}, false
	}
	return t.APITokenFacts, true
}

// APITokens returns how many API access tokens the server holds (expired ones included).
func (s *Server) APITokens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.apiTokens)
}

// ExpireAPITokens makes every API access token issued so far expired now.
func (s *Server) ExpireAPITokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for _, t := range s.st.apiTokens {
		t.Expires = now
	}
}
