package cartotest

import "time"

// state is everything the server remembers; guarded by Server.mu.
type state struct {
	counts   map[string]int
	faults   map[string][]*Fault
	clients  map[string]string // client id → secret ("" for the public client)
	codes    map[string]*authCode
	codeLog  []string
	pending  map[string]*authRequest // login form requests by their hidden id
	access   map[string]*accessToken
	refresh  map[string]*refreshToken
	revoked  map[int]bool // refresh token families revoked
	families int
	dw       map[string]time.Time // Google token → expiry
	// apiTokens are the Tokens API's API access tokens, by token.
	apiTokens map[string]*apiToken
	deny      int
	reuse     int
}

func (st *state) init() {
	st.counts = map[string]int{}
	st.faults = map[string][]*Fault{}
	st.clients = map[string]string{ClientID: ""}
	st.codes = map[string]*authCode{}
	st.pending = map[string]*authRequest{}
	st.access = map[string]*accessToken{}
	st.refresh = map[string]*refreshToken{}
	st.revoked = map[int]bool{}
	st.dw = map[string]time.Time{}
	st.apiTokens = map[string]*apiToken{}
}

// authRequest is a validated /authorize request waiting for approval.
type authRequest struct {
	clientID, redirectURI, state, scope, org, challenge string
	loginHint                                           string // picks the user when no login page is shown
	subject                                             string // who approved it
}

// authCode is an issued authorization code.
type authCode struct {
	authRequest
	expires time.Time
	used    bool
}

// grant is who a token was issued to and for what.
type grant struct {
	clientID, subject, scope, org string
}

type accessToken struct {
	grant
	expires time.Time
}

type refreshToken struct {
	grant
	family int
	used   bool // rotated out
}

// Prefixes of the opaque values the server issues.
const (
	accessPrefix  = "sbx_at_"
	refreshPrefix = "sbx_rt_"
	dwPrefix      = "ya29.sbx_"
	codeLifetime  = 5 * time.Minute
)
