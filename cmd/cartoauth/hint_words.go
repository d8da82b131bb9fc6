package main

import "github.com/carto-go/carto-auth/carto"

// hintWords words, for a terminal's user, the engine's hints that no command's own advice
// covers (see report); the others (log in, M2M credentials, another login in progress) are
// said by the commands and classify. A function, so that only a command that fails builds
// the map.
func hintWords() map[carto.Hint]string {
	return map[carto.Hint]string{
		carto.HintCacheDir:    "use a folder of your own (set CARTO_AUTH_CACHE_DIR), or remove this one so that it is made anew with mode 0700",
		carto.HintAPIBaseURL:  "give it with --api-base-url, e.g. https://gcp-us-east1.api.carto.com",
		carto.HintSQLJob:      "run it as a SQL API job (POST /v3/sql/{connection}/job), which has no such limit",
		carto.HintNarrowQuery: "add a LIMIT, filter or aggregate in the SQL (or raise --max-rows)",
		carto.HintOAuthToken:  "log in (cartoauth login) or use M2M credentials: an API access token cannot do this",
	}
}
