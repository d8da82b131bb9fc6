#!/usr/bin/env bash
# demo.sh: the example notebooks in a classic Jupyter Notebook, logged in against a local
# CARTO sandbox (`make demo`) or against real CARTO (`make notebook`). Sets everything up
# itself with scripts/install-deps.sh (apt Jupyter, pinned GoNB, goimports, kernel that
# imports this checkout with no setup cell). Ctrl-C stops everything it started.
#
#   scripts/demo.sh [--no-sandbox] [--smoke]
#
#   --no-sandbox   real CARTO: no sandbox, CARTO_AUTH_SERVER unset, the default token cache
#   --smoke        start everything, check it answers (sandbox /config.yaml and an M2M
#                  token, Jupyter /api/status and the gonb kernel spec), stop it, exit 0.
#                  Also when CI=true or DEMO_SMOKE=1. Uses free ports.
#   -h, --help     this help
#
# Environment: DEMO_DIR (bin, kernel spec, token cache, logs; default
# ~/.cache/carto-auth-demo), BIN_DIR (tools; default $DEMO_DIR/bin), SANDBOX_ADDR (default
# 127.0.0.1:8765), JUPYTER_PORT (default 8888), SKIP_APT=1 (no apt).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEMO_DIR=${DEMO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/carto-auth-demo}
BIN=${BIN_DIR:-$DEMO_DIR/bin}
SANDBOX=1
SMOKE=0
case ${CI:-} in true | 1) SMOKE=1 ;; esac
[[ ${DEMO_SMOKE:-0} == 1 ]] && SMOKE=1

say() { printf 'demo: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
	case $1 in
	--no-sandbox) SANDBOX=0; shift ;;
	--smoke) SMOKE=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

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
"$ROOT/scripts/install-deps.sh" --bin "$BIN" --no-chromium </dev/null
command -v jupyter-notebook >/dev/null || die "jupyter-notebook not found: install the apt package jupyter-notebook (or run without SKIP_APT)"
say "building cartoauth -> $BIN/cartoauth"
(cd "$ROOT" && go build -o "$BIN/cartoauth" ./cmd/cartoauth)

if [[ $SMOKE == 1 ]]; then
	SANDBOX_ADDR=127.0.0.1:0
	JUPYTER_PORT=$(free_port)
fi
SANDBOX_ADDR=${SANDBOX_ADDR:-127.0.0.1:8765}
JUPYTER_PORT=${JUPYTER_PORT:-8888}
JUPYTER_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(24))')

# --- sandbox ------------------------------------------------------------------------------
if [[ $SANDBOX == 1 ]]; then
	creds=$DEMO_DIR/m2m-sandbox.json
	"$BIN/cartoauth" sandbox --addr "$SANDBOX_ADDR" --credentials "$creds" \
		>"$DEMO_DIR/logs/sandbox.out" 2>"$DEMO_DIR/logs/sandbox.err" </dev/null &
	SANDBOX_PID=$!
	PIDS+=("$SANDBOX_PID")
	wait_for "the sandbox" "$SANDBOX_PID" grep -q '^export CARTO_AUTH_SERVER=' "$DEMO_DIR/logs/sandbox.out"
	SANDBOX_URL=$(sed -n 's/^export CARTO_AUTH_SERVER=//p' "$DEMO_DIR/logs/sandbox.out")
	wait_for "the sandbox" "$SANDBOX_PID" http_ok "$SANDBOX_URL/config.yaml"
	# No CARTO_CREDENTIALS_FILE: gonbauth.Login would log the quickstart in by M2M instead of the
	# card. The M2M notebook finds the sandbox's credentials next to it (below).
	export CARTO_AUTH_SERVER=$SANDBOX_URL CARTO_AUTH_CACHE_DIR=$DEMO_DIR/cache
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
jupyter_args=(--no-browser --ip=127.0.0.1 --port="$JUPYTER_PORT" --NotebookApp.port_retries=0
	--NotebookApp.token="$JUPYTER_TOKEN" --notebook-dir="$NOTEBOOKS")
[[ $(id -u) -eq 0 ]] && jupyter_args+=(--allow-root)
jupyter-notebook "${jupyter_args[@]}" >"$DEMO_DIR/logs/jupyter.log" 2>&1 </dev/null &
JUPYTER_PID=$!
PIDS+=("$JUPYTER_PID")
JUPYTER_URL=http://127.0.0.1:$JUPYTER_PORT
wait_for "Jupyter" "$JUPYTER_PID" http_ok "$JUPYTER_URL/api/status?token=$JUPYTER_TOKEN"

if [[ $SMOKE == 1 ]]; then
	http_ok "$JUPYTER_URL/api/kernelspecs/gonb?token=$JUPYTER_TOKEN" || die "Jupyter does not list the gonb kernel"
	if [[ $SANDBOX == 1 ]]; then
		"$BIN/cartoauth" token --m2m "$creds" >/dev/null || die "no M2M token from the sandbox (cartoauth token --m2m $creds failed)"
		[[ $(stat -c %a "$NOTEBOOKS/carto-credentials.json" 2>/dev/null) == 600 ]] || die "the M2M notebook's carto-credentials.json is missing or not 0600"
	fi
	say "smoke: ok (sandbox ${SANDBOX_URL:-none}, Jupyter $JUPYTER_URL, gonb kernel listed)"
	exit 0
fi

cat <<EOF

  Open the notebooks:  $JUPYTER_URL/tree?token=$JUPYTER_TOKEN
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
