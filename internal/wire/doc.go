// Package wire speaks CARTO's and Auth0's protocols: the endpoints and their URLs (with the
// origin rules secrets follow), the requests of a login through x/oauth2 and net/http, with
// their retry policies, bounds and errors (ServerError), discovery of the API base URL,
// userinfo, revocation, and reading ID tokens. It holds no state and no tokens.
package wire
