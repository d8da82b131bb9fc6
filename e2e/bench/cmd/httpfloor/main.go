// Command httpfloor is the floor of any Go program that can make an HTTPS request: the floor
// program (read a small JSON file, print a field) with net/http linked, whose packages' start-up
// every such program pays.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

// client links net/http (and with it crypto/tls and x509), as a program that may renew a token
// does; it is never used.
var client = http.DefaultClient

func main() {
	body, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var v struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.AccessToken == "" || client == nil {
		fmt.Fprintln(os.Stderr, "no access_token in", os.Args[1])
		os.Exit(1)
	}
	fmt.Println(v.AccessToken)
}
