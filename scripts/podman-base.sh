#!/usr/bin/env bash
# podman-base.sh: makes a local stand-in for the Dockerfile's base image, for machines that
# reach Debian's apt mirror but no container registry, imported into podman under the name the
# Dockerfile uses, so that `podman build --pull=never` uses it:
#   docker.io/library/golang:1.26-bookworm  Debian bookworm from debootstrap with this machine's
#                                           Go (1.26) in /usr/local/go, no Node.js
# Every stage of the Dockerfile starts from it: the front-end build stages bring their own
# pinned Node.js (scripts/node.sh), so nothing of this machine's Node.js goes in. It trusts the
# CA certificates this machine trusts beyond Debian's (a TLS-inspecting proxy's, say).
#
#   scripts/podman-base.sh [--force]
#
#   --force      make it even if podman already has that image
#
# Needs root, podman, debootstrap and Go 1.26 on PATH. The debootstrap root is kept as a tarball
# in $CACHE_DIR (default /var/cache/carto-auth-podman) and reused: ~45 s the first time, ~25 s
# after. Environment: CACHE_DIR, APT_MIRROR (default http://deb.debian.org/debian), and
# CONTAINERS_CONF like any podman call.
set -euo pipefail

GO_IMAGE=docker.io/library/golang:1.26-bookworm
CACHE_DIR=${CACHE_DIR:-/var/cache/carto-auth-podman}
APT_MIRROR=${APT_MIRROR:-http://deb.debian.org/debian}
PACKAGES=ca-certificates,curl,wget,git,netbase,procps,gcc,g++,libc6-dev,make,pkg-config
MINBASE=$CACHE_DIR/bookworm-minbase.tar
FORCE=0

say() { printf 'podman-base: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
	case $1 in
	--force) FORCE=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown option $1 (see --help)" ;;
	esac
done

[[ $(id -u) -eq 0 ]] || die "needs root (debootstrap, chroot)"
for tool in podman debootstrap python3; do
	command -v "$tool" >/dev/null || die "$tool not found (apt-get install podman runc debootstrap)"
done
if [[ $FORCE == 0 ]] && podman image exists "$GO_IMAGE"; then
	say "$GO_IMAGE present"
	exit 0
fi
command -v go >/dev/null || die "go not found: the golang image takes this machine's Go 1.26"
goversion=$(go env GOVERSION)
[[ $goversion == go1.26* ]] || die "this machine's Go is $goversion; the image needs Go 1.26"

mkdir -p "$CACHE_DIR"
ROOT=
trap '[[ -n $ROOT ]] && rm -rf "$ROOT"' EXIT
start=$SECONDS

# new_root makes $ROOT: Debian bookworm (minbase, from the cached tarball), its apt sources,
# and every certificate this machine trusts that Debian's bundle lacks, as local CA files.
new_root() {
	ROOT=$(mktemp -d /var/tmp/podman-base.XXXXXX)
	if [[ -s $MINBASE ]]; then
		say "Debian bookworm from the cached $MINBASE"
		tar -C "$ROOT" --numeric-owner -xf "$MINBASE"
	else
		say "debootstrap bookworm from $APT_MIRROR (~45 s)"
		debootstrap --variant=minbase --include="$PACKAGES" bookworm "$ROOT" "$APT_MIRROR" \
			>"$CACHE_DIR/debootstrap.log" 2>&1 || die "debootstrap failed; see $CACHE_DIR/debootstrap.log"
		tar -C "$ROOT" --numeric-owner -cf "$MINBASE.tmp" . && mv "$MINBASE.tmp" "$MINBASE"
	fi
	cat >"$ROOT/etc/apt/sources.list" <<-EOF
		deb $APT_MIRROR bookworm main
		deb $APT_MIRROR bookworm-updates main
		deb ${APT_MIRROR%/debian}/debian-security bookworm-security main
	EOF
	python3 - /etc/ssl/certs/ca-certificates.crt "$ROOT/etc/ssl/certs/ca-certificates.crt" \
		"$ROOT/usr/local/share/ca-certificates" <<-'EOF'
		import re, sys
		pem = lambda p: re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", open(p).read(), re.S)
		have = set(pem(sys.argv[2]))
		extra = [c for c in dict.fromkeys(pem(sys.argv[1])) if c not in have]
		for i, c in enumerate(extra):
		    open(f"{sys.argv[3]}/host-extra-{i}.crt", "w").write(c + "\n")
		print(f"podman-base: {len(extra)} extra CA certificate(s)", file=sys.stderr)
	EOF
	chroot "$ROOT" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the new root"
}

# import_root IMAGE CHANGES...: imports $ROOT into podman as IMAGE, then removes it.
import_root() {
	local image=$1 changes=() c
	shift
	for c in "$@"; do changes+=(--change "$c"); done
	say "importing as $image"
	tar -C "$ROOT" --numeric-owner -c . | podman import --quiet "${changes[@]}" - "$image" >/dev/null
	rm -rf "$ROOT"
	ROOT=
}

new_root
say "adding $goversion from $(go env GOROOT)"
cp -a "$(go env GOROOT)" "$ROOT/usr/local/go"
mkdir -p "$ROOT/go/src" "$ROOT/go/bin"
chmod 1777 "$ROOT/go" "$ROOT/go/src" "$ROOT/go/bin"
import_root "$GO_IMAGE" \
	'ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	'ENV GOPATH=/go' 'ENV GOTOOLCHAIN=local' 'WORKDIR /go' 'CMD ["bash"]'
say "done in $((SECONDS - start)) s"
