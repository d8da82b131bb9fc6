// Command soakworker is one process of the soak (../soak_test.go): it shares the token cache
// named by CARTO_AUTH_CACHE_DIR with the other workers, calls AccessToken in a loop against
// CARTO_AUTH_SERVER (the fault proxy), checks every new token at the API (the provider's,
// given by -api, not through the proxy), and prints one JSON line per call. It never prints a
// token. It runs until killed.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// Call is one AccessToken call, as printed.
type Call struct {
	// At is when the call returned (Unix milliseconds).
	At int64 `json:"at"`
	// Millis is how long it took.
	Millis int64 `json:"ms"`
	// OK: a token came back. Valid: the API accepted it, and its expiry (as the API reports
	// it) was after the call returned.
	OK    bool `json:"ok"`
	Valid bool `json:"valid,omitempty"`
	// Checked is when the API answered about the token (Unix milliseconds).
	Checked int64 `json:"checked,omitempty"`
	// API is the API's answer to a token it refused; Expiry is when gonbauth says that token
	// expires (Unix milliseconds).
	API    int   `json:"api,omitempty"`
	Expiry int64 `json:"expiry,omitempty"`
	// LogIn: the error asks for a new login (carto.ErrInteractionRequired).
	LogIn bool   `json:"login,omitempty"`
	Err   string `json:"err,omitempty"`
}

func main() {
	api := flag.String("api", "", "the API base URL whose /v3/whoami checks a token")
	bound := flag.Duration("bound", 45*time.Second, "the longest a call may take")
	flag.Parse()
	enc := json.NewEncoder(os.Stdout)
	var a *carto.Auth
	for {
		ctx, cancel := context.WithTimeout(context.Background(), *bound)
		start := time.Now()
		var tok string
		var err error
		if a == nil {
			a, err = carto.FromOAuth(ctx, &carto.OAuthOptions{DisableInteraction: true})
		}
		if err == nil {
			tok, err = a.AccessToken(ctx)
		}
		c := Call{At: time.Now().UnixMilli(), Millis: time.Since(start).Milliseconds(), OK: err == nil}
		cancel()
		if err != nil {
			c.Err, c.LogIn = err.Error(), errors.Is(err, carto.ErrInteractionRequired)
		} else {
			exp, status := whoami(*api, tok)
			c.Checked = time.Now().UnixMilli()
			if c.Valid = exp*1000 > c.At; !c.Valid {
				c.API, c.Expiry = status, a.Info().Expiry.UnixMilli()
			}
		}
		enc.Encode(c)
		time.Sleep(time.Duration(50+rand.IntN(250)) * time.Millisecond)
	}
}

// whoami returns the token's expiry as the API reports it, or 0 when it refuses the token,
// and the API's status.
func whoami(api, tok string) (int64, int) {
	req, _ := http.NewRequest(http.MethodGet, api+"/v3/whoami", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soakworker: the API:", err)
		return 0, 0
	}
	defer resp.Body.Close()
	var w struct {
		Exp int64 `json:"exp"`
	}
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&w) != nil {
		return 0, resp.StatusCode
	}
	return w.Exp, resp.StatusCode
}
