package cartotest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

// A whole interactive login against the stand-in with plain net/http: authorize with PKCE,
// let Login play the browser, exchange the code, then call a CARTO API with the token.
func Example() {
	s := cartotest.NewServer(cartotest.Config{})
	defer s.Close()

	verifier := strings.Repeat("v", 43) // use a random one (oauth2.GenerateVerifier) in real code
	sum := sha256.Sum256([]byte(verifier))
	authURL := s.AuthorizeURL() + "?" + url.Values{
		"client_id": {cartotest.ClientID}, "response_type": {"code"},
		"audience": {cartotest.Audience}, "redirect_uri": {cartotest.LoopbackRedirectURI},
		"code_challenge_method": {"S256"}, "state": {"xyz"},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
	}.Encode()
	loc, err := s.Login(authURL)
	if err != nil {
		fmt.Println(err)
		return
	}
	resp, err := http.PostForm(s.TokenURL(), url.Values{
		"grant_type": {"authorization_code"}, "client_id": {cartotest.ClientID},
		"audience": {cartotest.Audience}, "code": {loc.Query().Get("code")},
		"redirect_uri": {cartotest.LoopbackRedirectURI}, "code_verifier": {verifier},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("state:", loc.Query().Get("state"))
	fmt.Println("expires in:", tok.ExpiresIn)
	fmt.Println("token valid:", s.ValidAccessToken(tok.AccessToken))
	fmt.Println("token requests:", s.Count(cartotest.EndpointTokenCode))
	// Output:
	// state: xyz
	// expires in: 86400
	// token valid: true
	// token requests: 1
}

// Injecting a fault: the next refresh answers 503 with Retry-After.
func ExampleServer_Inject() {
	s := cartotest.NewServer(cartotest.Config{})
	defer s.Close()
	s.Inject(cartotest.EndpointTokenRT, cartotest.Fault{Status: 503, RetryAfter: 2 * time.Second})
	resp, err := http.PostForm(s.TokenURL(), url.Values{"grant_type": {"refresh_token"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"))
	// Output: 503 2
}
