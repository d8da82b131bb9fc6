#!/usr/bin/env bash
# demo.sh: the example notebooks in JupyterLab (the project's build, jupyterlab/) or, with
# --classic, the classic Jupyter Notebook, or with --notebook7, Notebook 7 (the project's build,
# notebook7/), logged in against a local CARTO sandbox (`make demo`)
# or against real CARTO (`make notebook`). Sets everything up itself with
# scripts/install-deps.sh (apt Jupyter, pinned GoNB, goimports, kernel that imports this
# checkout with no setup cell, the JupyterLab build). Ctrl-C stops everything it started.
#
#   scripts/demo.sh [--no-sandbox] [--classic | --notebook7] [--smoke]
#
#   --no-sandbox   real CARTO: no sandbox, CARTO_AUTH_SERVER unset, the default token cache
#   --classic      the classic Notebook 6.4 instead of JupyterLab (also JUPYTER_UI=classic);
#                  needs no node/npm
#   --notebook7    Notebook 7.6 instead of JupyterLab (also JUPYTER_UI=notebook7): its file
#                  browser at /tree, each notebook in a tab of its own
#   --smoke        start everything, check it answers (sandbox /config.yaml and an M2M
#                  token, Jupyter /api/status, the gonb kernel spec, the UI's page), stop it,
#                  exit 0. Also when CI=true or DEMO_SMOKE=1. Uses free ports and its own token.
#   -h, --help     this help
#
# As `jupyter lab` does, Jupyter makes a token and the demo prints the URL with it; with a
# password set (`jupyterlab/jupyter-lab password`) it asks for that instead; JUPYTER_TOKEN sets
# the token. Environment: JUPYTER_UI (lab, the default, classic or notebook7), DEMO_DIR (bin, kernel
# spec, token cache, logs; default ~/.cache/carto-auth-demo), BIN_DIR (tools; default
# $DEMO_DIR/bin), SANDBOX_ADDR (default 127.0.0.1:8765), JUPYTER_PORT (default 8888),
# SKIP_APT=1 (no apt).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEMO_DIR=${DEMO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/carto-auth-demo}
BIN=${BIN_DIR:-$DEMO_DIR/bin}
SANDBOX=1
SMOKE=0
UI=${JUPYTER_UI:-lab}
case ${CI:-} in true | 1) SMOKE=1 ;; esac
[[ ${DEMO_SMOKE:-0} == 1 ]] && SMOKE=1

say() { printf 'demo: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
	case $1 in
	--no-sandbox) SANDBOX=0; shift ;;
	--smoke) SMOKE=1; shift ;;
	--classic) UI=classic; shift ;;
	--notebook7) UI=notebook7; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done

case $UI in
lab | classic | notebook7) ;;
*) die "JUPYTER_UI=$UI: want lab (JupyterLab, the default), classic (the classic Notebook) or notebook7 (Notebook 7)" ;;
esac

# free_port prints a port in 20000-31999 (below Linux's ephemeral range, where a client's own
# connect can take a port before the server binds it) that nothing listens on now.
free_port() {
	python3 - <<-'EOF'
	import random, socket
	for _ in range(200):
	    p = random.randrange(20000, 32000)
	    with socket.socket() as s:
	        try:
	            s.bind(("127.0.0.1", p))
	        except OSError:
	            continue
	    print(p)
	    break
	else:
	    raise SystemExit("no free port in 20000-31999")
	EOF
}

# http_ok URL: true when URL answers 200 within 2 s.
http_ok() {
	python3 - "$1" <<-'EOF' 2>/dev/null
	import sys, urllib.request
	sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200 else 1)
	EOF
}

# wait_for WHAT PID CHECK...: runs CHECK until it succeeds, for up to 30 s, while PID lives.
wait_for() {
	local what=$1 pid=$2 i
	shift 2
	for ((i = 0; i < 60; i++)); do
		"$@" && return 0
		kill -0 "$pid" 2>/dev/null || die "$what exited early; see its log in $DEMO_DIR/logs"
		sleep 0.5
	done
	die "$what did not answer within 30 s; see its log in $DEMO_DIR/logs"
}

PIDS=()
# stop ends the processes this script started, by PID: Jupyter with SIGTERM (it shuts its
# kernels down), the sandbox with SIGINT; SIGKILL for any still running after 10 s.
stop() {
	local pid i
	trap - INT TERM EXIT
	for pid in "${PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null || continue
		if [[ $pid == "${SANDBOX_PID:-}" ]]; then kill -INT "$pid" 2>/dev/null || true; else kill -TERM "$pid" 2>/dev/null || true; fi
	done
	for pid in "${PIDS[@]}"; do
		for ((i = 0; i < 20; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	[[ ${#PIDS[@]} -gt 0 ]] && say "stopped"
	return 0
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

# --- set up -----------------------------------------------------------------------------
mkdir -p "$DEMO_DIR/logs" "$DEMO_DIR/cache"
export JUPYTER_DATA_DIR=$DEMO_DIR/jupyter PYDEVD_DISABLE_FILE_VALIDATION=1 PATH="$BIN:$PATH"
deps=(--bin "$BIN" --no-chromium)
[[ $SANDBOX == 1 ]] && deps+=(--map-libs)
[[ $UI == classic ]] && deps+=(--no-lab-build)
[[ $UI == notebook7 ]] && deps+=(--no-lab-build --notebook7)
"$ROOT/scripts/install-deps.sh" "${deps[@]}" </dev/null
if [[ $UI == classic ]]; then
	command -v jupyter-notebook >/dev/null || die "jupyter-notebook not found: install the apt package jupyter-notebook (or run without SKIP_APT)"
else
	/usr/bin/python3 -c 'import jupyter_server, jupyterlab_server' 2>/dev/null ||
		die "the server of $([[ $UI == lab ]] && echo JupyterLab || echo 'Notebook 7') is missing: install the apt packages python3-jupyter-server python3-jupyterlab-server (or run without SKIP_APT)"
fi
say "building cartoauth -> $BIN/cartoauth"
(cd "$ROOT" && go build -o "$BIN/cartoauth" ./cmd/cartoauth)

if [[ $SMOKE == 1 ]]; then
	SANDBOX_ADDR=127.0.0.1:$(free_port)
	JUPYTER_PORT=$(free_port)
fi
SANDBOX_ADDR=${SANDBOX_ADDR:-127.0.0.1:8765}
JUPYTER_PORT=${JUPYTER_PORT:-8888}

# --- sandbox ------------------------------------------------------------------------------
if [[ $SANDBOX == 1 ]]; then
	creds=$DEMO_DIR/m2m-sandbox.json
	# --map-libs: the sandbox serves the maps' libraries from the lockfile's install (no CDN).
	"$BIN/cartoauth" sandbox --addr "$SANDBOX_ADDR" --credentials "$creds" --map-libs "$ROOT/cartomap/js/node_modules" \
		>"$DEMO_DIR/logs/sandbox.out" 2>"$DEMO_DIR/logs/sandbox.err" </dev/null &
	SANDBOX_PID=$!
	PIDS+=("$SANDBOX_PID")
	wait_for "the sandbox" "$SANDBOX_PID" grep -q '^export CARTO_AUTH_SERVER=' "$DEMO_DIR/logs/sandbox.out"
	SANDBOX_URL=$(sed -n 's/^export CARTO_AUTH_SERVER=//p' "$DEMO_DIR/logs/sandbox.out")
	wait_for "the sandbox" "$SANDBOX_PID" http_ok "$SANDBOX_URL/config.yaml"
	# No CARTO_CREDENTIALS_FILE: gonbauth.Login would log the quickstart in by M2M instead of the
	# card. The M2M notebook finds the sandbox's credentials next to it (below).
	export CARTO_AUTH_SERVER=$SANDBOX_URL CARTO_AUTH_CACHE_DIR=$DEMO_DIR/cache CARTOMAP_LIBRARY_URL=$SANDBOX_URL/cartomap-libs/
else
	unset CARTO_AUTH_SERVER CARTO_AUTH_CACHE_DIR CARTO_CREDENTIALS_FILE CARTO_CREDENTIALS
fi

# --- Jupyter ------------------------------------------------------------------------------
# Jupyter serves a copy of the example notebooks, so runs never write outputs or checkpoints
# into the checkout; an existing copy (with the user's edits) is kept.
NOTEBOOKS=$DEMO_DIR/notebooks
mkdir -p "$NOTEBOOKS"
cp -n "$ROOT"/notebooks/*.ipynb "$NOTEBOOKS"/
if [[ $SANDBOX == 1 ]]; then
	install -m 600 "$creds" "$NOTEBOOKS/carto-credentials.json"
fi
jupyter_args=(--no-browser --ip=127.0.0.1 --port="$JUPYTER_PORT")
if [[ $SMOKE == 1 ]]; then
	# Its own token, whatever the user's Jupyter config says (a password, say).
	SMOKE_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
fi
[[ $(id -u) -eq 0 ]] && jupyter_args+=(--allow-root)
if [[ $UI == lab ]]; then
	jupyter_args+=(--ServerApp.port_retries=0 --ServerApp.root_dir="$NOTEBOOKS")
	[[ -n ${SMOKE_TOKEN:-} ]] && jupyter_args+=(--ServerApp.token="$SMOKE_TOKEN" --ServerApp.password=)
	jupyter=("$ROOT/jupyterlab/jupyter-lab") server_file=jpserver home=/lab
elif [[ $UI == notebook7 ]]; then
	jupyter_args+=(--ServerApp.port_retries=0 --ServerApp.root_dir="$NOTEBOOKS")
	[[ -n ${SMOKE_TOKEN:-} ]] && jupyter_args+=(--ServerApp.token="$SMOKE_TOKEN" --ServerApp.password=)
	jupyter=("$ROOT/notebook7/jupyter-notebook7") server_file=jpserver home=/tree
else
	jupyter_args+=(--NotebookApp.port_retries=0 --notebook-dir="$NOTEBOOKS")
	[[ -n ${SMOKE_TOKEN:-} ]] && jupyter_args+=(--NotebookApp.token="$SMOKE_TOKEN" --NotebookApp.password=)
	jupyter=(jupyter-notebook) server_file=nbserver home=/tree
fi
"${jupyter[@]}" "${jupyter_args[@]}" >"$DEMO_DIR/logs/jupyter.log" 2>&1 </dev/null &
JUPYTER_PID=$!
PIDS+=("$JUPYTER_PID")
JUPYTER_URL=http://127.0.0.1:$JUPYTER_PORT

# Jupyter writes what it serves with (token, whether a password is set) into its runtime dir
# once it listens.
info=${JUPYTER_RUNTIME_DIR:-$JUPYTER_DATA_DIR/runtime}/$server_file-$JUPYTER_PID.json
wait_for "Jupyter" "$JUPYTER_PID" test -s "$info"
read -r JUPYTER_TOKEN JUPYTER_PASSWORD < <(python3 -c 'import json, sys; i = json.load(open(sys.argv[1]))
print(i.get("token") or "-", "yes" if i.get("password") else "no")' "$info")
[[ $JUPYTER_TOKEN == - ]] && JUPYTER_TOKEN=
if [[ -n $JUPYTER_TOKEN ]]; then
	wait_for "Jupyter" "$JUPYTER_PID" http_ok "$JUPYTER_URL/api/status?token=$JUPYTER_TOKEN"
	OPEN_URL=$JUPYTER_URL$home?token=$JUPYTER_TOKEN
else
	wait_for "Jupyter" "$JUPYTER_PID" http_ok "$JUPYTER_URL/login"
	OPEN_URL="$JUPYTER_URL$home  (log in with your Jupyter password)"
	[[ $JUPYTER_PASSWORD == yes ]] || OPEN_URL="$JUPYTER_URL$home  (Jupyter has no token and no password: anyone on this machine can open it)"
fi

if [[ $SMOKE == 1 ]]; then
	http_ok "$JUPYTER_URL/api/kernelspecs/gonb?token=$JUPYTER_TOKEN" || die "Jupyter does not list the gonb kernel"
	page=$(python3 - "$JUPYTER_URL$home?token=$JUPYTER_TOKEN" <<-'EOF'
	import sys, urllib.request
	print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())
	EOF
	) || die "Jupyter's page $home does not answer"
	if [[ $UI == lab || $UI == notebook7 ]]; then
		# The page loads the build's bundle, and the server has it.
		bundle=$(grep -o 'src="[^"]*/bundle.js"' <<<"$page" | sed 's/^src="//; s/"$//') || die "the $UI page loads no bundle.js"
		http_ok "$JUPYTER_URL$bundle" || die "the $UI page's $bundle does not answer"
		if [[ $UI == notebook7 ]]; then
			# Notebook 7's own tree page, not JupyterLab's.
			grep -q '"notebookPage": "tree"' <<<"$page" || die "Notebook 7's page $home is not its tree page"
			grep -q '"appName": "Jupyter Notebook"' <<<"$page" || die "the page $home is not Notebook 7's application"
		fi
	else
		grep -q 'notebook_list' <<<"$page" || die "the classic Notebook's page $home has no notebook list"
	fi
	if [[ $SANDBOX == 1 ]]; then
		"$BIN/cartoauth" token --m2m "$creds" >/dev/null || die "no M2M token from the sandbox (cartoauth token --m2m $creds failed)"
		[[ $(stat -c %a "$NOTEBOOKS/carto-credentials.json" 2>/dev/null) == 600 ]] || die "the M2M notebook's carto-credentials.json is missing or not 0600"
		# The maps' first library, as internal/maplibs/libs.go pins it, from the sandbox.
		lib=$(sed -n 's/.*{Name: "\(deck\.gl\)", Version: "\([^"]*\)", Path: "\([^"]*\)".*/\1@\2\/\3/p' "$ROOT/internal/maplibs/libs.go")
		[[ -n $lib ]] && http_ok "$CARTOMAP_LIBRARY_URL$lib" || die "the sandbox does not serve the map library $CARTOMAP_LIBRARY_URL$lib"
	fi
	case $UI in lab) name=JupyterLab ;; notebook7) name="Notebook 7" ;; *) name="classic Notebook" ;; esac
	say "smoke: ok (sandbox ${SANDBOX_URL:-none}, $name $JUPYTER_URL$home, gonb kernel listed)"
	exit 0
fi

cat <<EOF

  Open the notebooks:  $OPEN_URL
EOF
if [[ $SANDBOX == 1 ]]; then
	cat <<EOF
  CARTO sandbox:       $SANDBOX_URL  (a local stand-in; nothing leaves this machine)
  Log in as:           $(sed -n 's/^# log in as: *//p' "$DEMO_DIR/logs/sandbox.out")
  M2M credentials:     $creds
EOF
else
	echo "  Logging in to real CARTO (app.carto.com); tokens cached in ~/.carto-auth"
fi
cat <<EOF
  Logs:                $DEMO_DIR/logs
  Ctrl-C stops everything.

EOF
wait -n "${PIDS[@]}" || true
say "a process exited; see $DEMO_DIR/logs"
