// Command floor is the floor the cartoauth CLI is measured against: a bare Go program that
// reads a small JSON file and prints one field, as `cartoauth token` does from a warm cache.
package main

import (
	"encoding/json"
	"fmt"
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
	fmt.Println(v.AccessToken)
}
