package flow

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/carto-go/carto-auth/internal/wire"
)

// errEmptyPaste means the user submitted nothing; the prompt asks again.
var errEmptyPaste = errors.New("nothing was pasted")

// parsePaste extracts the authorization code from what a user pasted: a bare code, or a whole
// redirect URL (…?code=…&state=…), with spaces, quotes or newlines around either. A state in a
// pasted URL must equal wantState; an error in it is an access error.
func parsePaste(raw, wantState string) (string, error) {
	s := strings.Trim(strings.TrimSpace(raw), "\"'`“”‘’ \t\r\n")
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errEmptyPaste
	}
	if !strings.Contains(s, "code=") && !strings.Contains(s, "error=") {
		if strings.ContainsAny(s, " \t\r\n?&=/<>\"'") {
			return "", errors.New("that does not look like a code; paste the code shown on the CARTO page")
		}
		return s, nil
	}
	q, err := pastedQuery(s)
	if err != nil {
		return "", err
	}
	if e := q.Get("error"); e != "" {
		return "", fmt.Errorf("%w: %s", ErrAccessDenied, wire.Clip(cmp.Or(q.Get("error_description"), e)))
	}
	if st := q.Get("state"); st != "" && st != wantState {
		return "", ErrStateMismatch
	}
	code := strings.TrimSpace(q.Get("code"))
	if code == "" || strings.ContainsAny(code, " \t\r\n") {
		return "", errors.New("the pasted URL has no usable code; paste the code shown on the CARTO page")
	}
	return code, nil
}

// pastedQuery returns the query parameters of a pasted URL or bare query string.
func pastedQuery(s string) (url.Values, error) {
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	q, err := url.ParseQuery(s)
	if err != nil {
		return nil, errors.New("the pasted URL cannot be read; paste the code alone")
	}
	return q, nil
}
