# syntax=docker/dockerfile:1
# Docker-run Jupyter: classic Jupyter Notebook with the GoNB kernel, this module and its example
# notebooks. Tools come from scripts/install-deps.sh, the same script as `make demo` and CI.
#
#   docker build -t carto-auth .
#   docker run --rm -it -p 8888:8888 -p 10000:10000 carto-auth
#
# Open the http://127.0.0.1:8888/?token=... line Jupyter prints. Publishing port 10000 makes
# the one-click login work (your browser reaches the kernel's loopback listener at
# http://localhost:10000/callback/, the redirect URI CARTO registered; the listener binds
# 0.0.0.0 in here through CARTO_AUTH_LOOPBACK_HOST). Without -p 10000:10000 the copy-code login
# still works: open the link, log in, paste the code. Keep the login across container runs with
# -v carto-auth-cache:/home/carto/.carto-auth. See cmd/cartoauth/README.md for the sandbox.
FROM golang:1.26-bookworm

ARG NB_USER=carto
ARG NB_UID=1000
ENV DEBIAN_FRONTEND=noninteractive \
    GOTOOLCHAIN=local \
    PYDEVD_DISABLE_FILE_VALIDATION=1

RUN useradd --create-home --uid "${NB_UID}" --shell /bin/bash "${NB_USER}"
WORKDIR /opt/carto-auth

# Tools first (apt Jupyter, goimports, the pinned gonb built from e2e/go.mod), as root, in a
# layer that only changes with the script or the go.mod files.
COPY go.mod go.sum ./
COPY e2e/go.mod e2e/go.sum ./e2e/
COPY scripts/install-deps.sh ./scripts/
RUN scripts/install-deps.sh --bin /usr/local/bin --no-kernel --no-chromium </dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && go clean -cache -modcache

# The module, its notebooks and the CLI.
COPY --chown=${NB_USER}:${NB_USER} . .
RUN go build -trimpath -o /usr/local/bin/cartoauth ./cmd/cartoauth \
 && go clean -cache -modcache

# From here on, the notebook user: its own Go module and build caches, and the GoNB kernel
# registered with --go_work=/opt/carto-auth, so notebooks import this module with no setup cell.
USER ${NB_USER}
ENV HOME=/home/${NB_USER} \
    GOPATH=/home/${NB_USER}/go \
    PATH=/home/${NB_USER}/go/bin:/usr/local/go/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CARTO_AUTH_LOOPBACK_HOST=0.0.0.0
RUN go mod download \
 && go build ./... \
 && scripts/install-deps.sh --kernel "/home/${NB_USER}/.local/share/jupyter" </dev/null

WORKDIR /opt/carto-auth/notebooks
EXPOSE 8888 10000
CMD ["jupyter", "notebook", "--no-browser", "--ip=0.0.0.0", "--port=8888", "--notebook-dir=/opt/carto-auth/notebooks"]
