package carto

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/carto-go/carto-auth/internal/wire"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/; `make fuzz` runs each target briefly.

func FuzzParseCredentials(f *testing.F) {
	f.Add([]byte(`{"api_base_url":"https://gcp-us-east1.api.carto.com","client_id":"id","client_secret":"s"}`))
	f.Add([]byte(`{"client_id": 1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := parseCredentials(body, "creds.json")
		if err == nil {
			if c.ClientID == "" || c.ClientSecret == "" || c.APIBaseURL == "" {
				t.Fatalf("accepted incomplete credentials %+v", c)
			}
			return
		}
		secret := c.ClientSecret
		echoed := strings.Contains(c.APIBaseURL, secret) || strings.Contains(c.ClientID, secret) // fields errors may quote
		if len(secret) > 3 && !echoed && strings.Contains(err.Error(), secret) {
			t.Fatalf("the secret reached the error: %v", err)
		}
		if !strings.Contains(err.Error(), "creds.json") {
			t.Fatalf("the error does not name the file: %v", err)
		}
	})
}

// FuzzTokenResponse serves arbitrary token answers to the real x/oauth2 client and checks
// that our handling never panics, never accepts an answer without a token, and never puts
// the answer's access token into an error.
func FuzzTokenResponse(f *testing.F) {
	f.Add(200, `{"access_token":"at","token_type":"Bearer","expires_in":86400}`)
	f.Add(400, `{"error":"invalid_grant","error_description":"Unknown or invalid refresh token."}`)
	f.Add(503, `<html>busy</html>`)
	f.Add(200, `{"access_token":"at","expires_in":"soon"}`)
	var status atomic.Int64
	var body atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(int(status.Load()))
		w.Write([]byte(body.Load().(string)))
	}))
	f.Cleanup(srv.Close)
	cc := &clientcredentials.Config{ClientID: "id", ClientSecret: "fuzz-secret-value", TokenURL: srv.URL, AuthStyle: oauth2.AuthStyleInParams}
	f.Fuzz(func(t *testing.T, code int, answer string) {
		if code < 200 || code > 599 || !utf8.ValidString(answer) {
			return
		}
		status.Store(int64(code))
		body.Store(answer)
		tok, err := cc.Token(context.WithValue(context.Background(), oauth2.HTTPClient, srv.Client()))
		if err == nil {
			if tok.AccessToken == "" {
				t.Fatal("accepted an answer without a token")
			}
			return
		}
		msg := wire.TokenError(err).Error()
		if strings.Contains(msg, "fuzz-secret-value") {
			t.Fatalf("secret in error %q", msg)
		}
		var fields struct {
			AccessToken string `json:"access_token"`
			Error       any    `json:"error"`
			Description any    `json:"error_description"`
		}
		if json.Unmarshal([]byte(answer), &fields) != nil || len(fields.AccessToken) < 4 {
			return
		}
		echoed := fmt.Sprint(fields.Error, fields.Description) // the server's own words, shown on purpose
		if strings.Contains(msg, fields.AccessToken) && !strings.Contains(echoed, fields.AccessToken) {
			t.Fatalf("the answer's access token reached the error %q", msg)
		}
	})
}
