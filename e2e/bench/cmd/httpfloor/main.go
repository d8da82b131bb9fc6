// Command httpfloor is the floor of any Go program that can make an HTTPS request: the floor
// program (read a small JSON file, print a field) with an HTTPS client linked, whose packages'
// start-up every such program pays. A second argument, a URL, is fetched (the benchmark never
// passes one).
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

func main() {
	body, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var v struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.AccessToken == "" {
		fmt.Fprintln(os.Stderr, "no access_token in", os.Args[1])
		os.Exit(1)
	}
	if len(os.Args) > 2 { // never in the benchmark: it links an HTTPS client, as renewing a token needs
		resp, err := http.Get(os.Args[2])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		resp.Body.Close()
	}
	fmt.Println(v.AccessToken)
}
