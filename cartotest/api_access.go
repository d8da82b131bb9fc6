package cartotest

import (
	"net/http"
	"slices"
	"strings"
)

// dataRequest is what a data API request reads: through api ("sql" or "maps"), on
// connection, the source as the client named it (a table's name, or a query's SQL text), and
// the tables a query reads, where known.
type dataRequest struct {
	api, connection, source string
	tables                  []string
}

// dataAccess checks a data API request's token. An OAuth access token may read anything; an
// API access token only what its grant covers, through the APIs it allows, before its expiry,
// and from its referers when the request names an origin. A missing, unknown or expired
// token gets a 401; a valid token that is not allowed a 403, saying why.
func (s *Server) dataAccess(w http.ResponseWriter, r *http.Request, req dataRequest) bool {
	tok := bearerToken(r)
	if tok == "" {
		unauthorized(w, "Unauthorized: missing Bearer token")
		return false
	}
	if s.ValidAccessToken(tok) {
		return true
	}
	s.mu.Lock()
	t, ok := s.st.apiTokens[tok]
	expired := ok && t.expired(s.now())
	s.mu.Unlock()
	if !ok || expired {
		unauthorized(w, "Unauthorized: invalid or expired token")
		return false
	}
	if why := t.refuses(r, req); why != "" {
		apiError(w, http.StatusForbidden, "Forbidden: "+why)
		return false
	}
	return true
}

// refuses says why the token may not make the request, or "".
func (t *apiToken) refuses(r *http.Request, req dataRequest) string {
	if !slices.Contains(t.APIs, req.api) {
		return "the token is not allowed to call the " + req.api + " API (allowed: " + strings.Join(t.APIs, ", ") + ")"
	}
	if o := requestOrigin(r); o != "" && len(t.Referers) > 0 && !slices.ContainsFunc(t.Referers, func(ref string) bool { return originOf(ref) == o }) {
		return "the token may not be used from " + o
	}
	for _, g := range t.Grants {
		if g.covers(req) {
			return ""
		}
	}
	return "the token's grants do not cover this source on connection " + req.connection
}

// covers reports whether the grant allows reading the request's source: the same connection,
// and * (everything), the same SQL text (a query grant), or, for a table grant, the table
// named or every table the query reads (a trailing .* matches any table under its prefix).
func (g TokenGrant) covers(req dataRequest) bool {
	if g.Connection != req.connection {
		return false
	}
	src := strings.TrimSpace(g.Source)
	switch {
	case src == "*":
		return true
	case isQuerySource(src):
		return src == strings.TrimSpace(req.source)
	case !isQuerySource(req.source):
		return tableMatches(src, req.source)
	}
	return len(req.tables) > 0 && !slices.ContainsFunc(req.tables, func(t string) bool { return !tableMatches(src, t) })
}

// isQuerySource tells a SQL query from a table name: a table name holds no white space.
func isQuerySource(s string) bool { return strings.ContainsAny(strings.TrimSpace(s), " \t\r\n") }

// tableMatches reports whether a table grant's source names table, without regard to case.
func tableMatches(grant, table string) bool {
	if prefix, ok := strings.CutSuffix(grant, "*"); ok && strings.HasSuffix(prefix, ".") {
		return len(table) > len(prefix) && strings.EqualFold(table[:len(prefix)], prefix)
	}
	return strings.EqualFold(grant, table)
}

// requestOrigin is the web origin a request names (Origin, else Referer's), "" for none.
func requestOrigin(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		return originOf(o)
	}
	return originOf(r.Header.Get("Referer"))
}
