package carto

import "testing"

func TestDWEndpointFollowsTheAuthServer(t *testing.T) {
	t.Parallel()
	for server, want := range map[string]string{
		"":                           "", // CARTO: Google's BigQuery
		"https://auth.carto.com":     "",
		"https://auth.carto.com:443": "", // however it is spelled
		"https://AUTH.carto.com":     "",
		"https://auth.carto.com./":   "",
		"http://127.0.0.1:8765/":     "http://127.0.0.1:8765/bigquery/v2/", // a stand-in serves it too
	} {
		set, err := (&Common{AuthServer: server, NoCache: true}).resolve(readFacts())
		if err != nil {
			t.Fatal(err)
		}
		if got := newAuth(set, identity{}, &m2mLogin{}).DWEndpoint(); got != want {
			t.Errorf("auth server %q: DWEndpoint %q, want %q", server, got, want)
		}
	}
}
