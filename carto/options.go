package carto

import (
	"cmp"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/flow"
	"github.com/carto-go/carto-auth/internal/prompt"
	"github.com/carto-go/carto-auth/internal/wire"

	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Flow selects how an interactive login hands the code back.
type Flow = prompt.Flow

const (
	// FlowAuto picks the flow from where the program runs (see docs/reference.md, "Which flow, automatically").
	FlowAuto Flow = ""
	// FlowCopyCode shows the login link and reads the code the user pastes.
	FlowCopyCode = prompt.FlowCopyCode
	// FlowLoopback opens the browser and receives the code on http://localhost:10000/callback/.
	FlowLoopback = prompt.FlowLoopback
)

// Environment variables read when the matching option is empty.
const (
	EnvAuthServer      = "CARTO_AUTH_SERVER"        // base URL of a CARTO stand-in
	EnvCacheDir        = "CARTO_AUTH_CACHE_DIR"     // token cache folder
	EnvFlow            = flow.EnvFlow               // copy-code or loopback
	EnvCredentialsFile = "CARTO_CREDENTIALS_FILE"   // path of an M2M credentials file
	EnvCredentials     = "CARTO_CREDENTIALS"        // M2M credentials JSON itself
	EnvLoopbackHost    = "CARTO_AUTH_LOOPBACK_HOST" // loopback bind address, e.g. 0.0.0.0 in Docker
)

// Defaults.
const (
	DefaultLoginTimeout = 5 * time.Minute
	DefaultLoopbackPort = 10000
)

// OAuthOptions configures [FromOAuth]. Pass nil to accept the defaults.
type OAuthOptions struct {
	// APIBaseURL skips discovery; it is never overridden by a cached value.
	APIBaseURL string
	// Organization is the SSO organization id (Auth0 organization, e.g. "org_123").
	Organization string
	// Flow forces a flow; empty means auto, unless CARTO_AUTH_FLOW says otherwise.
	Flow Flow
	// NoBrowser keeps the loopback flow from opening a browser; the link is shown instead.
	NoBrowser bool
	// NoOfflineAccess stops asking for a refresh token (scope offline_access).
	NoOfflineAccess bool
	// DisableInteraction makes a login that needs the user fail with ErrInteractionRequired.
	DisableInteraction bool
	// Timeout bounds the whole interactive login; default 5 minutes.
	Timeout time.Duration
	// Prompter shows the login and reads the pasted code; default: the terminal (NewTerminal
	// on standard input and error). Package gonbauth passes the notebook card.
	Prompter Prompter
	// OpenBrowser opens a URL; default: $BROWSER, else the system's opener (xdg-open, open,
	// rundll32). The loopback flow gives it the file:// URL of a private page (0600, in a 0700
	// folder under $XDG_RUNTIME_DIR or the temp folder) that redirects to a one-time start
	// link, never the link itself; the link dies when the opener fails or the login ends. An
	// opener that cannot read local files (WSL's wslview, a devcontainer's $BROWSER forwarder,
	// a snap browser for some folders) leaves the login link the Prompter shows, which works.
	OpenBrowser func(url string) error
	// LoopbackHost is the address the loopback listener binds; default $CARTO_AUTH_LOOPBACK_HOST
	// or "localhost" (127.0.0.1 and ::1). Use "0.0.0.0" in a container whose port is published.
	LoopbackHost string
	// LoopbackPort is the loopback port; default 10000, the one CARTO registered.
	LoopbackPort int
	// ClientID overrides CARTO's public client id.
	ClientID string
	// Profile names one of several accounts kept side by side (e.g. "work", "personal"); empty
	// means $CARTO_PROFILE, else the one chosen with SetDefaultProfile, else the default
	// profile, which "default" also names. A first login to a named profile asks the login
	// page to offer another account.
	Profile string
	// ForceLogin logs in interactively even when a cached login is usable, and asks the login
	// page to offer another account (prompt=login).
	ForceLogin bool
	// HintWords words the hints of Login's errors (see Hints) for the user of a front end;
	// nil means for a Go program's user (see Advise). Package gonbauth words them for a
	// notebook cell.
	HintWords map[Hint]string

	Common
}

// M2MOptions configures [FromM2M] and [FromM2MCredentials]. Pass nil to accept the defaults.
type M2MOptions struct {
	// APIBaseURL overrides the credentials' api_base_url.
	APIBaseURL string

	Common
}

// Common holds the options both logins share.
type Common struct {
	// CacheDir is the token cache folder; default $CARTO_AUTH_CACHE_DIR or ~/.carto-auth.
	CacheDir string
	// NoCache keeps tokens in memory only: nothing is read, written or created on disk.
	NoCache bool
	// AuthServer points every endpoint at a CARTO stand-in; default $CARTO_AUTH_SERVER or CARTO.
	AuthServer string
	// HTTPClient makes every request; default a client with a 30 s timeout.
	HTTPClient *http.Client
	// Logger receives what the login does (never secrets); default off.
	Logger *slog.Logger
	// TokenOrigins are origins (scheme://host[:port]) that Auth.HTTPClient sends the token to
	// besides the API base URL's; each must be https, or http on a loopback host.
	TokenOrigins []string

	clock func() time.Time // tests drive time; nil is time.Now
}

// retryBackoff is the first wait before retrying an auth request: 0, wire's default, except in
// tests, which shorten it.
var retryBackoff time.Duration

// settings are Common resolved against the environment.
type settings struct {
	ep       wire.Endpoints
	client   *wire.Client // the auth requests, through hc
	cacheDir string       // "" when caching is off
	hc       *http.Client
	callerHC bool // hc is the caller's
	log      *slog.Logger
	quiet    bool  // no logger was given: warnings go to standard error
	cacheErr error // why the cache folder is not used, when it is not safe
	// tokenOrigins are the caller's extra origins for the API client's token.
	tokenOrigins []string
	// now is the clock: Common.clock, else time.Now.
	now func() time.Time
}

// resolve resolves c against the environment in f.
func (c *Common) resolve(f *facts) (*settings, error) {
	ep, err := wire.NewEndpoints(cmp.Or(c.AuthServer, f.getenv(EnvAuthServer)))
	if err != nil {
		return nil, err
	}
	s := &settings{ep: ep, hc: c.HTTPClient, callerHC: c.HTTPClient != nil, log: c.Logger, now: c.clock}
	if s.now == nil {
		s.now = time.Now
	}
	for _, raw := range c.TokenOrigins {
		u, err := wire.CheckURL(raw)
		if err != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return nil, fmt.Errorf("token origin %q: give scheme://host[:port] over https (or http on loopback)", raw)
		}
		s.tokenOrigins = append(s.tokenOrigins, wire.Origin(u))
	}
	if s.hc == nil {
		s.hc = &http.Client{Timeout: wire.DefaultTimeout}
	}
	s.hc = wire.SameOriginRedirects(s.hc)
	if s.log == nil {
		s.log, s.quiet = slog.New(slog.DiscardHandler), true
	}
	s.client = &wire.Client{HC: s.hc, Log: s.log, Backoff: retryBackoff}
	if !c.NoCache {
		if s.cacheDir, err = cacheDir(c.CacheDir, f.getenv); err != nil {
			return nil, err
		}
		if err := cache.CheckPrivateDir(s.cacheDir); err != nil && !errors.Is(err, fs.ErrNotExist) {
			s.warn("tokens are kept in memory only, so the next process logs in again", "reason", err)
			s.cacheDir, s.cacheErr = "", err
		}
	}
	return s, nil
}

// CacheDir returns the token cache folder that dir names: dir itself, else
// $CARTO_AUTH_CACHE_DIR, else ~/.carto-auth, as an absolute path.
func CacheDir(dir string) (string, error) { return cacheDir(dir, readFacts().getenv) }

func cacheDir(dir string, getenv func(string) string) (string, error) {
	if dir == "" {
		dir = getenv(EnvCacheDir)
	}
	if dir != "" {
		return filepath.Abs(dir)
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home folder for the token cache (set %s or CacheDir): %w", EnvCacheDir, err)
	}
	return filepath.Join(home, ".carto-auth"), nil
}

// warn reports a problem the user should know about even with logging off: to the logger
// when there is one, else to standard error.
func (s *settings) warn(msg string, args ...any) {
	if s.quiet {
		fmt.Fprintln(os.Stderr, "carto-auth: warning:", formatWarning(msg, args))
		return
	}
	s.log.Warn(msg, args...)
}

func formatWarning(msg string, args []any) string {
	for i := 0; i+1 < len(args); i += 2 {
		msg += fmt.Sprintf("; %v: %v", args[i], args[i+1])
	}
	return msg
}

var warned sync.Map

// warnOnce writes a warning to standard error once per process.
func warnOnce(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if _, dup := warned.LoadOrStore(msg, true); !dup {
		fmt.Fprintln(os.Stderr, "carto-auth: warning:", msg)
	}
}
