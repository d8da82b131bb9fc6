// Package cartomap draws CARTO data on an interactive map in a GoNB notebook cell, with deck.gl
// and @deck.gl/carto: a table or a SQL query through CARTO's Maps API (vector tiles), or a few
// local rows (points with lon/lat, or GeoJSON).
//
// A map of a table or a query reads its data with an API access token scoped to exactly that
// source and the Maps API (carto.Auth.CreateAPIToken), never with the login's own token, which
// stays out of the saved notebook unless Options.UseLoginToken asks for it. The map says which
// token it carries and until when; once the token is refused it says to re-run the cell.
//
// The page holds no library: one small inline loader fetches deck.gl and @deck.gl/carto at the
// versions pinned by cartomap/js/package-lock.json (Libraries), each checked against its
// Subresource Integrity hash, from a CDN or from Options.LibraryURL (CARTOMAP_LIBRARY_URL).
// Data and options reach the page as escaped JSON only; tooltips and the legend are text.
package cartomap
