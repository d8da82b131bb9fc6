package cartotest

// Endpoint names for Count and Inject.
const (
	// EndpointAuthorize is GET /authorize.
	EndpointAuthorize = "authorize"
	// EndpointLogin is POST /authorize/login (the login form of Config.LoginPage).
	EndpointLogin = "login"
	// EndpointToken is POST /oauth/token, every grant.
	EndpointToken = "token"
	// EndpointTokenCode is POST /oauth/token with grant_type=authorization_code.
	EndpointTokenCode = "token:authorization_code"
	// EndpointTokenRT is POST /oauth/token with grant_type=refresh_token.
	EndpointTokenRT = "token:refresh_token"
	// EndpointTokenCC is POST /oauth/token with grant_type=client_credentials.
	EndpointTokenCC = "token:client_credentials"
	// EndpointRevoke is POST /oauth/revoke.
	EndpointRevoke = "revoke"
	// EndpointAccounts is GET /accounts.
	EndpointAccounts = "accounts"
	// EndpointConfig is GET /config.yaml.
	EndpointConfig = "config"
	// EndpointDWToken is GET /v3/connections/carto-dw/token.
	EndpointDWToken = "dw-token"
	// EndpointSQL is GET or POST /v3/sql/<connection>/query.
	EndpointSQL = "sql"
	// EndpointMaps is GET or POST /v3/maps/<connection>/{table|query}: a Maps API source's
	// instantiation.
	EndpointMaps = "maps"
	// EndpointMapsTileJSON is GET or POST /v3/maps/<connection>/{table|query}/tilejson: a
	// source's TileJSON.
	EndpointMapsTileJSON = "maps-tilejson"
	// EndpointMapsTile is GET /v3/maps/<connection>/{table|query}/{z}/{x}/{y}: one MVT tile of a
	// source.
	EndpointMapsTile = "maps-tile"
	// EndpointTokens is the Tokens API: /v3/tokens (GET, POST) and /v3/tokens/{token} (GET,
	// DELETE).
	EndpointTokens = "tokens"
	// EndpointCodePage is GET /auth/token (the copy-code page).
	EndpointCodePage = "code-page"
	// EndpointUserinfo is GET /userinfo (OpenID Connect userinfo).
	EndpointUserinfo = "userinfo"
)
