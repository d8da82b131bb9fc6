package cartotest

import (
	"encoding/json"
	"net/http"
)

// bqError is one Google API error: HTTP status, reason and message.
type bqError struct {
	status  int
	reason  string
	message string
}

var bqErrUnauthenticated = bqError{http.StatusUnauthorized, "authError",
	"Request had invalid authentication credentials. Expected OAuth 2 access token, " +
		"login cookie or other valid authentication credential. " +
		"See https://developers.google.com/identity/sign-in/web/devconsole-project."}

// bqGoogleStatus maps an HTTP status to the canonical status name Google puts in
// error.status ("" for others). A switch, not a map: a map would be built at start-up.
func bqGoogleStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "INVALID_ARGUMENT"
	case http.StatusUnauthorized:
		return "UNAUTHENTICATED"
	case http.StatusForbidden:
		return "PERMISSION_DENIED"
	case http.StatusNotFound:
		return "NOT_FOUND"
	case http.StatusConflict:
		return "ALREADY_EXISTS"
	case http.StatusTooManyRequests:
		return "RESOURCE_EXHAUSTED"
	case http.StatusInternalServerError:
		return "INTERNAL"
	case http.StatusServiceUnavailable:
		return "UNAVAILABLE"
	}
	return ""
}

// writeBQError writes e in the JSON shape of Google API errors, which
// google.golang.org/api/googleapi.CheckResponse decodes into *googleapi.Error.
func writeBQError(w http.ResponseWriter, e bqError) {
	detail := map[string]string{"message": e.message, "domain": "global", "reason": e.reason}
	if e.status == http.StatusUnauthorized {
		detail["location"] = "Authorization"
		detail["locationType"] = "header"
	}
	bqWriteJSON(w, e.status, map[string]any{"error": map[string]any{
		"code":    e.status,
		"message": e.message,
		"errors":  []map[string]string{detail},
		"status":  bqGoogleStatus(e.status),
	}})
}

// bqWriteJSON writes v as a JSON response with the given status.
func bqWriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
