# Makefile: `make test` is what CI runs (.ci/run). Tools: scripts/install-deps.sh.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

.PHONY: test fmt-check vet cross unit fuzz fuzz-yaml e2e e2e-deps

## test: formatting, vet, cross-builds, every test of the modules (the root, cartodw, then
## e2e), each fuzz target briefly, and a smoke run of `make demo`. It installs what the end-to-end tests need
## (e2e-deps) and fails, never skips, when a part is missing.
test: fmt-check vet cross e2e-deps unit fuzz e2e demo-smoke

fmt-check:
	@files=$$(find . -name '*.go' -not -path './.git/*' -not -path '*/artifacts/*' -not -path '*/node_modules/*' -print0 | xargs -0 gofmt -l); \
	if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi

# MODULES are the library's modules: the root and cartodw (BigQuery, a module of its own).
MODULES := . cartodw

vet:
	for m in $(MODULES); do (cd $$m && go vet ./...) || exit 1; done
	go vet -tags nosandbox ./cmd/cartoauth
	cd e2e && go vet -tags dockertest ./...

## cross: vet and build every package and its tests for Windows and macOS (they cannot run here).
CROSS_TARGETS := windows/amd64 darwin/arm64
cross:
	for m in $(MODULES); do for t in $(CROSS_TARGETS); do \
		(cd $$m && GOOS=$${t%/*} GOARCH=$${t#*/} go vet ./... && \
		for p in $$(go list ./...); do GOOS=$${t%/*} GOARCH=$${t#*/} go test -c -o /dev/null $$p || exit 1; done) || exit 1; \
	done; done

unit:
	for m in $(MODULES); do (cd $$m && go test -race -count=1 ./...) || exit 1; done

FUZZTIME ?= 3s
# FUZZ_TARGETS are package:target pairs; a package under e2e/ is in the e2e module.
# e2e/yamlref:FuzzYAMLValueAgainstYAMLv3 compares the config.yaml reader with a full YAML parser:
# a finding is a case the reader does not follow yet, not a regression, so `make test` runs its
# corpus (with the e2e tests) rather than fuzzing it for 3 s; `make fuzz-yaml` fuzzes it.
FUZZ_TARGETS := internal/flow:FuzzParsePaste carto:FuzzParseCredentials carto:FuzzCredentialsEnvError carto:FuzzQueryAnswer internal/cache:FuzzParseEntry internal/cache:FuzzIdentityKey carto:FuzzTokenResponse internal/wire:FuzzYAMLValue carto:FuzzCartoCLIFile carto:FuzzAPITokenEnvError

## fuzz-yaml: compare the config.yaml reader with a full YAML parser for FUZZTIME (default 3s;
## FUZZTIME=10m for longer); findings land in e2e/yamlref/testdata/fuzz.
fuzz-yaml:
	$(MAKE) fuzz FUZZ_TARGETS=e2e/yamlref:FuzzYAMLValueAgainstYAMLv3

## fuzz: run each fuzz target for FUZZTIME (make fuzz FUZZTIME=10m for longer). A run the fuzzing
## engine itself ends with "context deadline exceeded" while stopping its workers, with no failing
## input, is run once more; any other failure stops it.
fuzz:
	for pf in $(FUZZ_TARGETS); do pkg=$${pf%:*}; mod=.; \
		case $$pkg in e2e/*) mod=e2e; pkg=$${pkg#e2e/};; esac; \
		for try in 1 2; do \
			out=$$(cd $$mod && go test -run '^$$' -fuzz "^$${pf#*:}\$$" -fuzztime $(FUZZTIME) ./$$pkg 2>&1) && { echo "$$out"; break; }; \
			echo "$$out"; \
			if [ $$try = 1 ] && grep -q 'context deadline exceeded' <<<"$$out" && ! grep -q 'Failing input written' <<<"$$out"; then \
				echo "fuzz: $${pf#*:}: the fuzzing engine timed out stopping its workers (no failing input): once more"; continue; fi; \
			exit 1; \
		done; done

# E2E_BIN: where install-deps.sh puts gonb and goimports; on PATH for the tests.
E2E_BIN ?= $(or $(shell go env GOBIN),$(shell go env GOPATH)/bin)
# NODE_TOOLS_DIR: the tools folder of the pinned Node.js (scripts/node.sh), shared by the demo,
# the tests and CI. When PATH has no Node.js >= 20.19 with npm, install-deps.sh links the pinned
# one as NODE_TOOLS_DIR/bin/{node,npm,npx}, first on the tests' PATH (the OpenID provider runs
# on it); otherwise that folder has no node and PATH's is used.
export NODE_TOOLS_DIR ?= $(CURDIR)/.tools
TEST_PATH = $(NODE_TOOLS_DIR)/bin:$(E2E_BIN):$$PATH
# E2E_PKGS: the e2e module's packages `make e2e` tests.
E2E_PKGS ?= ./...
# E2E_DEPS_FLAGS: more options for install-deps.sh in e2e-deps (--no-chromium, say).
E2E_DEPS_FLAGS ?=

## e2e-deps: install what is missing for the end-to-end tests (apt Jupyter, JupyterLab's server,
## JupyterHub, jupyter console, Chromium, tmux; gonb and goimports into E2E_BIN; the JupyterLab
## and Notebook 7 builds).
## Parts already there are skipped in about a second; apt needs root or sudo.
e2e-deps:
	scripts/install-deps.sh --e2e --no-kernel --bin "$(E2E_BIN)" $(E2E_DEPS_FLAGS) </dev/null

## e2e: the end-to-end tests; E2E_STRICT=1 makes a missing part fail instead of skip.
e2e: e2e-deps
	cd e2e && PATH="$(TEST_PATH)" E2E_STRICT=1 go test -count=1 -timeout 30m $(E2E_PKGS)

# ---------------------------------------------------------------------------------------------
# Other targets (demo, notebook, fuzz, ...) go below this line; keep `test` above as CI's entry.
# ---------------------------------------------------------------------------------------------

.PHONY: demo notebook demo-smoke cartoauth bench docker-test soak

## demo: the example notebooks in JupyterLab, logged in against a local CARTO sandbox. Installs
## what is missing (scripts/install-deps.sh, the JupyterLab build included), prints the URL to
## open; Ctrl-C stops it all. JUPYTER_UI=classic make demo: the classic Notebook instead;
## JUPYTER_UI=notebook7 make demo: Notebook 7 (the project's build, notebook7/).
demo:
	scripts/demo.sh

## notebook: the same against real CARTO (no sandbox, default token cache).
notebook:
	scripts/demo.sh --no-sandbox

## demo-smoke: start the demo on free ports, check it answers, stop it (for tests and CI); in
## JupyterLab, then with the classic switch, then with Notebook 7's.
demo-smoke:
	DEMO_SMOKE=1 JUPYTER_UI=lab scripts/demo.sh
	DEMO_SMOKE=1 JUPYTER_UI=classic scripts/demo.sh
	DEMO_SMOKE=1 JUPYTER_UI=notebook7 scripts/demo.sh

## soak: the fault soak against the real OpenID provider (e2e/provider TestSoak) for SOAK
## (default 10m; `make test` runs it for 40s): workers sharing one cache, SIGKILLs, 5xx answers,
## slow answers and dropped connections. It prints its figures.
SOAK ?= 10m
SOAK_TIMEOUT ?= 2h
soak: e2e-deps
	cd e2e && PATH="$(TEST_PATH)" E2E_STRICT=1 SOAK=$(SOAK) go test -count=1 -timeout $(SOAK_TIMEOUT) -run '^TestSoak$$' -v ./provider

## docker-test: build the Dockerfile with podman, run the README's containers and log in
## through them from Chromium (scripts/docker-test.sh; root); then `make demo-smoke` and the
## OpenID provider's tests in a plain Debian container given `git archive HEAD`
## (scripts/fresh-debian-test.sh). CI runs it after `make test`.
docker-test:
	scripts/docker-test.sh

## cartoauth: install the CLI with go install (into $(go env GOBIN), else $(go env GOPATH)/bin),
## statically linked: it starts faster.
cartoauth:
	CGO_ENABLED=0 go install -trimpath ./cmd/cartoauth

## bench: the performance figures of docs/performance.md, measured here (BENCH_FLAGS=--update
## rewrites them; see scripts/bench.sh --help).
bench:
	scripts/bench.sh $(BENCH_FLAGS)
