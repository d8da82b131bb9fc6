package carto

import (
	"errors"
	"strings"

	"github.com/carto-go/carto-auth/internal/hint"
)

// Hint is what a user can do about an error, carried by the error as data: Hints lists them,
// and each front end words them for its users (Advise for a Go program's, gonbauth for a
// notebook cell's, the CLI with its commands). An error's own text says what went wrong, not
// what to do.
type Hint = hint.Hint

// The hints the engine gives.
const (
	// HintLogIn: log in once where someone can answer, so that the cached login is reused.
	HintLogIn = hint.LogIn
	// HintM2M: set machine-to-machine credentials, for runs nobody attends.
	HintM2M = hint.M2M
	// HintWaitForLogin: another login of this account is in progress; finish or stop it.
	HintWaitForLogin = hint.WaitForLogin
	// HintStartLogin: start the two-cell login (again).
	HintStartLogin = hint.StartLogin
	// HintCacheDir: use a token cache folder of your own, or remove this one.
	HintCacheDir = hint.CacheDir
	// HintAPIBaseURL: give the API base URL, which could not be found.
	HintAPIBaseURL = hint.APIBaseURL
	// HintCredentials: check the M2M credentials.
	HintCredentials = hint.Credentials
	// HintSQLJob: the statement runs longer than a synchronous query may: run it as a job.
	HintSQLJob = hint.SQLJob
	// HintNarrowQuery: the answer is too large: add a LIMIT, filter, or aggregate.
	HintNarrowQuery = hint.NarrowQuery
	// HintOAuthToken: this needs an OAuth login (a user's, or M2M credentials), not an API
	// access token.
	HintOAuthToken = hint.OAuthToken
)

// Hints returns the hints err carries, outermost first, each once (nil for none).
func Hints(err error) []Hint { return hint.Of(err) }

// goWords are the hints as a Go program's user acts on them (a function: only a failing call
// builds the map).
func goWords() map[Hint]string {
	return map[Hint]string{
		HintLogIn:        "log in once where someone can answer (`cartoauth login`, or a notebook cell), so that the cached login is reused",
		HintM2M:          "for unattended runs set CARTO_CREDENTIALS_FILE (or CARTO_CREDENTIALS) to M2M credentials",
		HintWaitForLogin: "finish (or stop) that login, then try again",
		HintStartLogin:   "start the login again with StartLogin",
		HintCacheDir:     "use a folder of your own (set CARTO_AUTH_CACHE_DIR or CacheDir), or remove this one so that it is made anew with mode 0700",
		HintAPIBaseURL:   "give it: OAuthOptions.APIBaseURL, e.g. https://gcp-us-east1.api.carto.com",
		HintCredentials:  "check the M2M credentials (CARTO Workspace → Developers → Machine to Machine)",
		HintSQLJob:       "run it as a SQL API job (POST /v3/sql/{connection}/job), which has no such limit",
		HintNarrowQuery:  "add a LIMIT, filter, or aggregate in SQL",
		HintOAuthToken:   "log in with FromOAuth or FromM2M: an API access token cannot do this",
	}
}

// Advise words the hints err carries for a Go program's user, after err's own text; err is
// still what errors.Is and errors.As find. Login advises by itself; the other entry points
// return errors with their hints unworded, for callers that say it their way (see Hints).
func Advise(err error) error { return WordHints(err, goWords()) }

// WordHints returns err with the words of each of its hints appended ("; " between), then a
// server's own advice (ServerError.Hint), or err itself when there is nothing to say. Front
// ends other than Go programs (a notebook cell, the CLI) give their own words.
func WordHints(err error, words map[Hint]string) error {
	var said []string
	for _, h := range Hints(err) {
		if w := words[h]; w != "" {
			said = append(said, w)
		}
	}
	var se *ServerError
	if errors.As(err, &se) && se.Hint != "" {
		said = append(said, se.Hint)
	}
	if len(said) == 0 {
		return err
	}
	return &advisedError{err: err, advice: strings.Join(said, "; ")}
}

// advisedError is an error with its advice worded after its text.
type advisedError struct {
	err    error
	advice string
}

func (e *advisedError) Error() string { return e.err.Error() + "; " + e.advice }
func (e *advisedError) Unwrap() error { return e.err }
