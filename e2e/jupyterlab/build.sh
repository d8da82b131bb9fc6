#!/usr/bin/env bash
# build.sh: builds the JupyterLab 4.6 front end of the end-to-end tests into build/ (bundle,
# schemas, themes) from package.json + package-lock.json with npm. Skipped when build/ matches
# the sources (build/.sources-sha256, checked by the tests too). Needs node >= 20.19 and npm
# (scripts/install-deps.sh --e2e installs them). Takes ~30 s with a warm npm cache.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
say() { printf 'jupyterlab/build.sh: %s\n' "$*" >&2; }

sources=(package.json package-lock.json index.js rspack.config.js) # as testenv.LabSources
want=$(cat "${sources[@]}" | sha256sum | cut -d' ' -f1)
if [[ -f build/.sources-sha256 && $(<build/.sources-sha256) == "$want" && -f build/bundle.js ]]; then
	say "up to date"
	exit 0
fi
command -v node >/dev/null && command -v npm >/dev/null || {
	say "error: node and npm are needed: scripts/install-deps.sh --e2e (or apt-get install nodejs npm)"
	exit 1
}
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)'; then
	say "error: node $(node --version) is too old for rspack 2: need 20.19 or newer"
	exit 1
fi
start=$SECONDS
lock=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)
if [[ ! -f node_modules/.e2e-lock-sha256 || $(<node_modules/.e2e-lock-sha256) != "$lock" ]]; then
	# --legacy-peer-deps: the @jupyterlab packages' peer ranges overlap imperfectly; npm 7+
	# would refuse what JupyterLab's own build accepts.
	npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error
	echo "$lock" >node_modules/.e2e-lock-sha256
	say "npm ci: $((SECONDS - start))s"
fi
rm -rf build
npx --no-install rspack build --config rspack.config.js
echo "$want" >build/.sources-sha256
say "built in $((SECONDS - start))s"
