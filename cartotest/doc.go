// Package cartotest is an in-process stand-in for CARTO and its Auth0 tenant, in the style of
// net/http/httptest, for tests and for local demos (the "sandbox").
//
// A Server answers on the same paths as the real services, and is strict where they are:
//
//	GET  /authorize                       Auth0 authorization endpoint (PKCE S256 required)
//	POST /authorize/login                 the login form (Config.LoginPage)
//	POST /oauth/token                     authorization_code, refresh_token, client_credentials
//	POST /oauth/revoke                    refresh token revocation (form or JSON body)
//	GET  /auth/token                      CARTO's copy-code page (a redirect URI)
//	GET  /userinfo                        the token's user: {"sub", "email", "name"}
//	GET  /accounts                        tenant lookup: {"tenant_domain": "<host:port of URL>"}
//	GET  /config.yaml                     tenant config; apis.baseUrl is URL
//	GET  /v3/connections/carto-dw/token   CARTO Data Warehouse credentials
//	GET  /v3/sql/carto_dw/query?q=<sql>   a small SQL API (also POST {"q": "<sql>"}); see below
//	GET  /v3/maps/carto_dw/{table|query}  the Maps API for vector sources, MVT tiles; see below
//
// Only ClientID (public, PKCE) and clients added with AddM2MClient (client_credentials, secret
// in the body) exist. Redirect URIs are compared byte for byte; a wrong one gets an HTML error
// page, never a redirect. Other /authorize errors go back on the redirect as error= and
// error_description= (RFC 6749 §4.1.2.1). Token errors follow RFC 6749 §5.2: 400
// invalid_request, invalid_grant, unsupported_grant_type or invalid_scope; 401
// invalid_client; and, like Auth0, 403 access_denied for an unknown audience and 403
// unauthorized_client for a grant the client may not use. Authorization codes are single-use
// (any exchange attempt spends them) and expire after 5 minutes.
//
// Bearer-protected endpoints (/accounts, /userinfo, the DW token, SQL, Maps) answer 401 with a JSON body
// {"error": ...} for a missing, unknown or expired access token.
//
// # SQL API
//
// The SQL API knows the connection "carto_dw" and runs, on two built-in tables, a small part
// of BigQuery's SQL:
//
//	SELECT <*, columns, COUNT(*), literals, @name or ? parameters [[AS] alias], ...>
//	[FROM cities | features | regions | routes]
//	[WHERE <comparisons (= != <> < <= > >=) joined by AND, OR and parentheses>]
//	[ORDER BY column [ASC | DESC], ...]
//	[LIMIT n]
//
// Anything else (a join, a function, GROUP BY, DDL or DML, a missing parameter, an unknown
// table or column, a comparison of a string with a number) is a 400 whose {"error": ...}
// says what is not supported. Parameters come from queryParameters (in the URL of a GET, in
// the JSON body of a POST): a JSON object for @name ones, an array for ?.
//
// The table cities (name, country STRING; population INT64; lat, lon FLOAT64; geom GEOGRAPHY,
// as WKT text) holds the rows of BigQueryCities, in that order, then PayloadName's row; its
// 7th column is named PayloadColumn. Both are markup that a page showing an answer must show
// as text: the API sends them as they are. The table features holds a few lines and polygons
// (id INT64; kind, name STRING; geom GEOGRAPHY); regions a few polygons, one with a hole and
// one a MULTIPOLYGON (id INT64; name, country STRING; area_km2 FLOAT64; geom GEOGRAPHY);
// routes a few lines, one a MULTILINESTRING (id INT64; name, mode STRING; length_km FLOAT64;
// geom GEOGRAPHY). A table may be named with its project and
// dataset (`project.dataset.cities`). Answers have CARTO's v3 shape, schema first:
// {"schema": [{"name", "type"}], "rows": [...], "meta": {...}}, with BigQuery's type names;
// an INT64 beyond ±2^53 is sent as a string.
//
// # Maps API
//
// The Maps API serves vector sources as @deck.gl/carto's vectorTableSource and
// vectorQuerySource ask for them, on the same tables and SQL as the SQL API:
//
//	GET|POST /v3/maps/carto_dw/table?name=<table>&columns=<a,b>&spatialDataColumn=geom
//	GET|POST /v3/maps/carto_dw/query?q=<sql>&queryParameters=<JSON>&columns=...
//	    → {"tilejson": {"url": [<TileJSON URL>]}, "schema": [...], "nrows": n}
//	GET|POST /v3/maps/carto_dw/{table|query}/tilejson?<the source's parameters>
//	    → TileJSON: tiles, bounds (of the source's geometries), minzoom 0, maxzoom 16,
//	      vector_layers, tilestats, schema
//	GET      /v3/maps/carto_dw/{table|query}/{z}/{x}/{y}?<the source's parameters>&formatTiles=mvt
//	    → an MVT tile, one layer "default" with the columns asked for (all but the
//	      geography without columns=) as properties (and, with featureBbox=true, a polygon's
//	      bounding box as _carto_bbox); 204 for a tile that shows nothing
//
// Every request, the TileJSON's and each tile's included, names its source in its URL and is
// checked on its own: an API access token needs "maps" among its allowed APIs and a grant
// that covers the source (a table grant covers a query that reads only its tables), else a
// 403; an unknown or expired token gets a 401. The Maps and SQL APIs answer CORS preflights
// from any http(s) page (Authorization and Content-Type headers, GET and POST) and send
// Access-Control-Allow-Origin with every answer, errors included.
//
// # Faults and counters
//
// Inject queues failures (status, Retry-After, raw body, delay) per endpoint; Count reports
// the requests seen per endpoint, including per grant type ("token:refresh_token", ...).
// The server never logs tokens, codes, secrets or query strings.
package cartotest
