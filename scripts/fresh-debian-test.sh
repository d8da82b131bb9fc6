#!/usr/bin/env bash
# fresh-debian-test.sh (part of make docker-test): the README's first command as a new user on a
# plain Debian meets it. In a podman container of the Dockerfile's base, golang:1.26-bookworm
# (Debian 12 with Go 1.26 and nothing of Node.js), given the project as `git archive HEAD` (no
# node_modules, no JupyterLab build, no tools folder):
#   1. asserts that no Node.js >= 20.19 is there, nor anything built;
#   2. runs `make demo-smoke`, whose scripts/install-deps.sh installs the pinned Node.js
#      (scripts/node.sh) and builds JupyterLab with it, and checks it said so;
#   3. starts JupyterLab and checks that it serves the bundle built in step 2, byte for byte;
#   4. installs Debian's Node.js 18 (apt nodejs, first on PATH) and runs the OpenID provider's
#      tests (`make e2e E2E_PKGS=./provider`, Chromium left out), which must use the pinned
#      Node.js rather than Debian's; what Debian's 18 itself makes of the provider is shown.
# Each step's time is printed, and the whole run's.
#
# Needs root and podman (scripts/docker-test.sh sets it up and calls this; alone, it writes the
# same podman settings); makes the base image with scripts/podman-base.sh when podman lacks it.
# Downloads and caches (apt's .debs, Go's module and build caches, npm's cache) are kept
# between runs in $CACHE_DIR/fresh-debian unless FRESH_CACHE=0; nothing of the checkout is
# (no tools folder, node_modules or build). Logs in
# e2e/artifacts/fresh-debian/. Environment: REF (default HEAD), CACHE_DIR (default
# /var/cache/carto-auth-podman), CONTAINERS_CONF, FRESH_CACHE, FRESH_TIMEOUT (default 40m).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REF=${REF:-HEAD}
export CACHE_DIR=${CACHE_DIR:-/var/cache/carto-auth-podman}
IMAGE=docker.io/library/golang:1.26-bookworm
ART=$ROOT/e2e/artifacts/fresh-debian
NAME=carto-auth-fresh-$$
FRESH_CACHE=${FRESH_CACHE:-1}
FRESH_TIMEOUT=${FRESH_TIMEOUT:-40m}
begin=$SECONDS

say() { printf 'fresh-debian: %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

TMP=
CHILD=
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ -n $CHILD ]]; then
		kill -TERM "$CHILD" 2>/dev/null || true
		wait "$CHILD" 2>/dev/null || true
	fi
	podman rm -f -i -t 5 "$NAME" >/dev/null 2>&1 || true
	[[ -n $TMP ]] && rm -rf "$TMP"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ $(id -u) -eq 0 ]] || die "run as root (rootful podman, debootstrap)"
command -v podman >/dev/null || die "podman not found (apt-get install podman runc debootstrap; make docker-test installs them)"
mkdir -p "$CACHE_DIR" "$ART"
rm -f "$ART"/*.log
if [[ -z ${CONTAINERS_CONF:-} ]]; then
	# As scripts/docker-test.sh: runc and cgroupfs (Debian's crun refuses hybrid cgroups),
	# rlimits this VM cannot raise.
	export CONTAINERS_CONF=$CACHE_DIR/containers.conf
	[[ -s $CONTAINERS_CONF ]] || cat >"$CONTAINERS_CONF" <<-EOF
		[containers]
		default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
		[engine]
		runtime = "runc"
		cgroup_manager = "cgroupfs"
		events_logger = "file"
	EOF
fi
"$ROOT/scripts/podman-base.sh"

TMP=$(mktemp -d /var/tmp/carto-auth-fresh.XXXXXX)
git -C "$ROOT" archive --format=tar -o "$TMP/project.tar" "$REF" || die "git archive $REF"
say "the project as git archive $REF ($(git -C "$ROOT" rev-parse --short "$REF")), $(($(stat -c %s "$TMP/project.tar") / 1024)) KiB"
mounts=(-v "$TMP/project.tar:/project.tar:ro" -v "$ART:/art")
if [[ $FRESH_CACHE == 1 ]]; then
	C=$CACHE_DIR/fresh-debian
	mkdir -p "$C/apt/partial" "$C/gomod" "$C/gobuild" "$C/npm"
	mounts+=(-v "$C/apt:/var/cache/apt/archives" -v "$C/gomod:/go/pkg/mod" -v "$C/gobuild:/root/.cache/go-build"
		-v "$C/npm:/root/.npm")
fi

# What runs in the container, as root (as a user with sudo would: apt needs it).
read -r -d '' INNER <<'EOF' || true
set -euo pipefail
say() { printf 'fresh-debian (container): %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
step() { say "$1: $2 s"; echo "$1 $2" >>/art/times; }
: >/art/times
new_enough() { # VERSION: true for v20.19 and newer
	local v=${1#v} a b
	a=${v%%.*} b=${v#*.} b=${b%%.*}
	[[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]] && ((a > 20 || (a == 20 && b >= 19)))
}
mkdir -p /src/carto-auth && cd /src/carto-auth && tar -xf /project.tar

say "1. nothing of Node.js >= 20.19 here, nothing built"
found=
for n in $(type -ap node nodejs) $(find / -xdev \( -name node -o -name nodejs \) -type f -perm -u+x 2>/dev/null); do
	v=$("$n" --version 2>/dev/null || echo '?')
	found+=" $n($v)"
	! new_enough "$v" || die "a Node.js >= 20.19 is here already: $n $v"
done
say "Node.js here: ${found:-none}; Debian offers $(apt-cache policy nodejs 2>/dev/null | sed -n 's/ *Candidate: //p' || true)"
for d in jupyterlab/node_modules jupyterlab/build e2e/oidc/node_modules .tools; do
	[[ ! -e $d ]] || die "$d is in the archive"
done

say "2. make demo-smoke (log: e2e/artifacts/fresh-debian/demo-smoke.log)"
t0=$SECONDS
make demo-smoke >/art/demo-smoke.log 2>&1 || { tail -n 40 /art/demo-smoke.log >&2; die "make demo-smoke"; }
step demo-smoke $((SECONDS - t0))
line=$(grep -m1 '^install-deps: node: using ' /art/demo-smoke.log) || die "install-deps did not say which Node.js it used"
say "it said: $line"
[[ $line == *"pinned (no node on PATH)"* && $line == *"/src/carto-auth/.tools/node-v22."* ]] ||
	die "install-deps did not use the pinned Node.js in .tools"
grep -q '^jupyterlab/build.sh: built in' /art/demo-smoke.log || die "JupyterLab was not built by make demo-smoke"
grep -q '^demo: smoke: ok .*JupyterLab' /art/demo-smoke.log || die "the JupyterLab smoke check did not pass"
grep -q '^demo: smoke: ok .*classic Notebook' /art/demo-smoke.log || die "the classic Notebook smoke check did not pass"
sed -n 's/^install-deps: node: .*installed in \([0-9]*\) s$/\1/p' /art/demo-smoke.log | head -n 1 | { read -r s && step node-install "$s"; } || true

say "3. JupyterLab serves the bundle built here"
want=$(cat jupyterlab/{package.json,package-lock.json,index.js,rspack.config.js} | sha256sum | cut -d' ' -f1)
[[ $(<jupyterlab/build/.sources-sha256) == "$want" ]] || die "jupyterlab/build does not match its sources"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
jupyterlab/jupyter-lab --allow-root --no-browser --ip=127.0.0.1 --port="$port" --ServerApp.port_retries=0 \
	--ServerApp.token="$token" --ServerApp.root_dir=/src/carto-auth/notebooks >/art/jupyterlab.log 2>&1 </dev/null &
lab=$!
url=http://127.0.0.1:$port
for ((i = 0; i < 60; i++)); do
	curl -sf -o /dev/null -H "Authorization: token $token" "$url/api/status" && break
	kill -0 "$lab" 2>/dev/null || die "JupyterLab exited (e2e/artifacts/fresh-debian/jupyterlab.log)"
	sleep 0.5
done
page=$(curl -sf -H "Authorization: token $token" "$url/lab") || die "JupyterLab's /lab does not answer"
bundle=$(grep -o 'src="[^"]*/bundle.js"' <<<"$page" | sed 's/^src="//; s/"$//') || die "JupyterLab's page loads no bundle.js"
curl -sf -o /tmp/served-bundle.js "$url$bundle" || die "JupyterLab's $bundle does not answer"
cmp -s /tmp/served-bundle.js jupyterlab/build/bundle.js || die "JupyterLab's $bundle is not jupyterlab/build/bundle.js"
kill -TERM "$lab"; wait "$lab" || true
say "JupyterLab's page loads $bundle: jupyterlab/build/bundle.js as built here ($(stat -c %s jupyterlab/build/bundle.js) bytes)"

say "4. Debian's Node.js first on PATH, then the OpenID provider's tests (log: e2e/artifacts/fresh-debian/provider.log)"
apt-get install -y -qq --no-install-recommends nodejs >/dev/null 2>&1 || die "apt-get install nodejs"
export PATH=/usr/bin:$PATH
v=$(node --version)
[[ $(command -v node) == /usr/bin/node ]] && ! new_enough "$v" || die "node on PATH is $(command -v node) $v, not Debian's older one"
say "node on PATH: /usr/bin/node $v (Debian's)"
t0=$SECONDS
make e2e E2E_PKGS=./provider E2E_DEPS_FLAGS=--no-chromium >/art/provider.log 2>&1 || { tail -n 60 /art/provider.log >&2; die "make e2e E2E_PKGS=./provider"; }
step provider $((SECONDS - t0))
line=$(grep -m1 '^install-deps: node: using ' /art/provider.log) || die "install-deps did not say which Node.js it used"
say "it said: $line"
[[ $line == *"pinned (/usr/bin/node is $v, older than 20.19)"* ]] || die "install-deps did not choose the pinned Node.js over Debian's $v"
grep -E '^(ok|FAIL|---)' /art/provider.log | tail -n 5 >&2
# What Debian's Node.js itself makes of the provider (not a check: shown for the record).
out=$(cd e2e/oidc && timeout 20 /usr/bin/node server.mjs --port "$port" 2>&1 | grep -v '^\s*$' | head -n 3 | paste -sd '|' | sed 's/|/ | /g') || true
say "Debian's node $v on e2e/oidc/server.mjs: ${out:-no output}"
EOF

say "podman run $IMAGE (as a new user: Debian 12 + Go 1.26; logs: $ART)"
t0=$SECONDS
# SYS_ADMIN: the provider's full-disk test mounts a tmpfs.
timeout "$FRESH_TIMEOUT" podman run --rm --name "$NAME" --cap-add SYS_ADMIN "${mounts[@]}" \
	-e DEBIAN_FRONTEND=noninteractive -e HOME=/root "$IMAGE" bash -c "$INNER" &
CHILD=$!
rc=0
wait "$CHILD" || rc=$?
CHILD=
((rc == 0)) || die "the container's checks (exit $rc; logs: $ART)"
times=$(awk '{ printf "%s%s %s s", sep, $1, $2; sep = ", " }' "$ART/times")
say "passed in $((SECONDS - begin)) s (container $((SECONDS - t0)) s: $times)"
