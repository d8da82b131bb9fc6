// Package hint carries advice with an error, as data: what the user can do about it. The
// engine attaches hints where it knows what helps; each front end words them for its users
// (the CLI with its commands, a notebook cell with gonbauth's functions, a Go program with
// options and environment variables), and no front end cuts or rewrites an error's text.
package hint

import "errors"

// Hint is one thing the user can do about an error.
type Hint string

// The hints the engine gives.
const (
	// LogIn: log in once where someone can answer (a terminal, a notebook cell), so that the
	// cached login is reused.
	LogIn Hint = "log-in"
	// M2M: set machine-to-machine credentials, for runs nobody attends.
	M2M Hint = "m2m-credentials"
	// WaitForLogin: another login of this account is in progress; finish or stop it, then
	// try again.
	WaitForLogin Hint = "wait-for-login"
	// StartLogin: start the two-cell login (again).
	StartLogin Hint = "start-login"
	// CacheDir: use a token cache folder of your own, or remove this one so that it is made
	// anew, private.
	CacheDir Hint = "cache-dir"
	// APIBaseURL: give the API base URL (it could not be found).
	APIBaseURL Hint = "api-base-url"
	// Credentials: check the M2M credentials.
	Credentials Hint = "check-credentials"
	// SQLJob: the statement runs longer than a synchronous query may: run it as a SQL API job.
	SQLJob Hint = "sql-job"
	// NarrowQuery: the answer is too large: add a LIMIT, filter, or aggregate.
	NarrowQuery Hint = "narrow-query"
	// OAuthToken: this needs an OAuth access token (a user's login, or M2M credentials); an
	// API access token cannot do it.
	OAuthToken Hint = "oauth-token"
)

// With returns err carrying hints (nil for a nil err); its text is err's.
func With(err error, hints ...Hint) error {
	if err == nil {
		return nil
	}
	return &hinted{err: err, hints: hints}
}

// Carrier is an error type that carries hints of its own.
type Carrier interface{ Hints() []Hint }

// Of returns the hints err carries anywhere in its chain, outermost first, each once.
func Of(err error) []Hint {
	var out []Hint
	seen := map[Hint]bool{}
	walk(err, func(c Carrier) {
		for _, x := range c.Hints() {
			if !seen[x] {
				seen[x] = true
				out = append(out, x)
			}
		}
	})
	return out
}

// walk calls f on every hint carrier in err's chain (joined and wrapped errors included).
func walk(err error, f func(Carrier)) {
	for err != nil {
		if c, ok := err.(Carrier); ok {
			f(c)
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e, f)
			}
			return
		default:
			err = errors.Unwrap(err)
		}
	}
}

type hinted struct {
	err   error
	hints []Hint
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Unwrap() error { return h.err }
func (h *hinted) Hints() []Hint { return h.hints }
