//go:build nosandbox

package main

import (
	"context"
	"errors"
)

// runSandbox is "cartoauth sandbox" in a build without it (-tags nosandbox), which starts
// faster: the stand-in's server code is not linked.
func runSandbox(context.Context, *env, []string) error {
	return failure(errors.New("sandbox: this cartoauth was built without the sandbox (-tags nosandbox)"),
		"install one with it: go install github.com/carto-go/carto-auth/cmd/cartoauth@latest")
}
