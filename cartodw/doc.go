// Package cartodw connects Go programs to the CARTO Data Warehouse (CARTO DW),
// the BigQuery project that CARTO provisions for each account.
//
// CARTO hands out short-lived Google OAuth access tokens for the DW project at
// GET <api_base_url>/v3/connections/carto-dw/token. This package wraps that
// endpoint in an oauth2.TokenSource that fetches a new token before the
// current one goes stale, so a BigQuery client built with NewClient keeps
// working for as long as the CARTO login does.
//
// The package lives apart from gonbauth so that programs which only need a
// CARTO token do not link the BigQuery and Google API client libraries.
package cartodw
