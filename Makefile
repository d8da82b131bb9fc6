# Makefile: `make test` is what CI runs (.ci/run). Tools: scripts/install-deps.sh.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: test fmt-check vet unit fuzz e2e e2e-deps

## test: formatting, vet, every test of both modules (root, then e2e), each fuzz target
## briefly, and a smoke run of `make demo`. It installs what the end-to-end tests need
## (e2e-deps) and fails, never skips, when a part is missing.
test: fmt-check vet unit fuzz e2e demo-smoke

fmt-check:
	@files=$$(find . -name '*.go' -not -path './.git/*' -not -path '*/artifacts/*' -not -path '*/node_modules/*' -print0 | xargs -0 gofmt -l); \
	if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi

vet:
	go vet ./...
	cd e2e && go vet ./...

unit:
	go test -race -count=1 ./...

FUZZTIME ?= 3s
FUZZ_TARGETS := FuzzParsePaste FuzzParseCredentials FuzzParseEntry FuzzTokenResponse

## fuzz: run each fuzz target of gonbauth for FUZZTIME (make fuzz FUZZTIME=10m for longer).
fuzz:
	for f in $(FUZZ_TARGETS); do go test -run '^$$' -fuzz "^$$f\$$" -fuzztime $(FUZZTIME) ./gonbauth; done

# E2E_BIN: where install-deps.sh puts gonb and goimports; on PATH for the tests.
E2E_BIN ?= $(or $(shell go env GOBIN),$(shell go env GOPATH)/bin)

## e2e-deps: install what is missing for the end-to-end tests (apt Jupyter, JupyterHub,
## jupyter console, Chromium, tmux; gonb and goimports into E2E_BIN; the JupyterLab build).
## Parts already there are skipped in about a second; apt needs root or sudo.
e2e-deps:
	scripts/install-deps.sh --e2e --no-kernel --bin "$(E2E_BIN)" </dev/null

## e2e: the end-to-end tests; E2E_STRICT=1 makes a missing part fail instead of skip.
e2e: e2e-deps
	cd e2e && PATH="$(E2E_BIN):$$PATH" E2E_STRICT=1 go test -count=1 -timeout 30m ./...

# ---------------------------------------------------------------------------------------------
# Other targets (demo, notebook, fuzz, ...) go below this line; keep `test` above as CI's entry.
# ---------------------------------------------------------------------------------------------

.PHONY: demo notebook demo-smoke cartoauth

## demo: the example notebooks in Jupyter, logged in against a local CARTO sandbox. Installs
## what is missing (scripts/install-deps.sh), prints the URL to open; Ctrl-C stops it all.
demo:
	scripts/demo.sh

## notebook: the same against real CARTO (no sandbox, default token cache).
notebook:
	scripts/demo.sh --no-sandbox

## demo-smoke: start the demo on free ports, check it answers, stop it (for tests and CI).
demo-smoke:
	DEMO_SMOKE=1 scripts/demo.sh

## cartoauth: install the CLI with go install (into $(go env GOBIN), else $(go env GOPATH)/bin).
cartoauth:
	go install ./cmd/cartoauth
