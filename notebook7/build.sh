#!/usr/bin/env bash
# build.sh: builds the project's Notebook 7.6 front end (what JUPYTER_UI=notebook7 of `make
# demo` and of the Docker image, and the browser tests, serve with app.py) into build/ (bundle,
# schemas, themes) from package.json + package-lock.json with npm, as jupyterlab/build.sh does
# for JupyterLab. Skipped when build/ matches the sources (build/.sources-sha256, checked by the
# tests too); `npm ci` runs again only when the lockfile changed (node_modules/.e2e-lock-sha256).
# Needs node >= 20.19 and npm (scripts/install-deps.sh provides them).
#
#   notebook7/build.sh [--deps]
#
#   --deps   only install the locked packages (npm ci, when the lockfile changed); a Dockerfile
#            build stage runs this in a layer of its own, cached until the lockfile changes
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
say() { printf 'notebook7/build.sh: %s\n' "$*" >&2; }
DEPS_ONLY=0
case ${1:-} in
--deps) DEPS_ONLY=1 ;;
"") ;;
*) say "error: unknown option $1"; exit 2 ;;
esac

sources=(package.json package-lock.json index.js rspack.config.js) # as testenv.Notebook7Sources
if [[ $DEPS_ONLY == 0 ]]; then
	want=$(cat "${sources[@]}" | sha256sum | cut -d' ' -f1)
	if [[ -f build/.sources-sha256 && $(<build/.sources-sha256) == "$want" && -f build/bundle.js ]]; then
		say "up to date"
		exit 0
	fi
fi
# The pinned Node.js of scripts/node.sh, when it linked one (PATH's was missing or too old).
tools=${NODE_TOOLS_DIR:-../.tools}
[[ -x $tools/bin/node && -x $tools/bin/npm ]] && PATH="$(cd "$tools/bin" && pwd):$PATH"
command -v node >/dev/null && command -v npm >/dev/null || {
	say "error: node (>= 20.19) and npm are needed to build Notebook 7: scripts/install-deps.sh installs them, or use the classic Notebook (JUPYTER_UI=classic)"
	exit 1
}
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)'; then
	say "error: node $(node --version) is too old for rspack 2, which builds Notebook 7: need 20.19 or newer (scripts/install-deps.sh installs one), or use the classic Notebook (JUPYTER_UI=classic)"
	exit 1
fi
start=$SECONDS
lock=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [[ ! -f node_modules/.e2e-lock-sha256 || $(<node_modules/.e2e-lock-sha256) != "$lock" ]]; then
	# --legacy-peer-deps: the @jupyterlab and @jupyter-notebook packages' peer ranges overlap
	# imperfectly; npm 7+ would refuse what their own builds accept.
	npm ci --legacy-peer-deps --no-audit --no-fund --no-update-notifier --loglevel=error
	echo "$lock" >node_modules/.e2e-lock-sha256
	say "npm ci: $((SECONDS - start))s"
fi
[[ $DEPS_ONLY == 1 ]] && exit 0
rm -rf build
npx --no-install rspack build --config rspack.config.js
echo "$want" >build/.sources-sha256
say "built in $((SECONDS - start))s"
