package wire

import (
	"errors"
	"net/url"
)

// RedactURLError drops the query string from a *url.Error so that no parameter of a request
// can reach an error message.
func RedactURLError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return &url.Error{Op: ue.Op, URL: "(URL hidden)", Err: ue.Err}
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
}
