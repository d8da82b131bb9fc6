#!/usr/bin/env bash
# bench.sh (`make bench`): the figures of docs/performance.md, measured here.
#
#   scripts/bench.sh [--update] [--rounds N] [--cells N]
#
# 1. the library's Go benchmarks (carto, internal/cache, display, cartodw);
# 2. `cartoauth token` from a warm cache, built by `make cartoauth` (static), by a plain
#    `go install` (cgo, dynamically linked) and by `make cartoauth` with -tags nosandbox, against
#    a bare Go program that reads a small JSON file and prints one field, and against the same
#    program with an HTTPS client linked (what any Go program that can make an HTTPS request pays):
#    N rounds of paired runs of all five, each round in a random order, against a local
#    `cartoauth sandbox` (Python's carto-auth can only talk to CARTO itself, so it is not timed
#    here). Each program is timed as a plain copy of what the linker wrote: two builds of the
#    same source, as the linker leaves them in the page cache, start up to a tenth apart;
# 3. GoNB cells compiled from new source each run, as a user's new cells are: bare, gonbui
#    only, gonbui + one HTTP request, and the cached login, each with GoNB's autoget (as users
#    write them) and with %noautoget (e2e/bench; needs gonb and goimports on PATH:
#    scripts/install-deps.sh).
# 4. SQL API answers of 199,999 rows and 8 columns (new values each run) decoded by Query, by
#    QueryInto and by a plain json.Decoder, each in its own process, 3 runs: peak RSS and time
#    (e2e/bench/cmd/querybench).
# It prints Markdown; --update also writes it between the bench markers of docs/performance.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=300
CELLS=10
UPDATE=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--update | --update-readme) UPDATE=1; shift ;;
	--rounds) ROUNDS=${2:?--rounds needs a number}; shift 2 ;;
	--cells) CELLS=${2:?--cells needs a number}; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
done
say() { printf 'bench: %s\n' "$*" >&2; }

WORK=$(mktemp -d)
SANDBOX_PID=
cleanup() {
	[[ -n $SANDBOX_PID ]] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

say "building cartoauth (as make cartoauth does, and as go install does), the floor program and the timer"
(cd "$ROOT" && CGO_ENABLED=0 go build -trimpath -o "$WORK/cartoauth" ./cmd/cartoauth)
(cd "$ROOT" && CGO_ENABLED=1 go build -o "$WORK/cartoauth-cgo" ./cmd/cartoauth)
(cd "$ROOT" && CGO_ENABLED=0 go build -trimpath -tags nosandbox -o "$WORK/cartoauth-nosandbox" ./cmd/cartoauth)
(cd "$ROOT/e2e" && go build -o "$WORK/floor" ./bench/cmd/floor && CGO_ENABLED=0 go build -trimpath -o "$WORK/httpfloor" ./bench/cmd/httpfloor &&
	go build -o "$WORK/clibench" ./bench/cmd/clibench && go build -o "$WORK/querybench" ./bench/cmd/querybench)
# The linker writes a program through a memory mapping, which leaves it in the page cache in
# pieces that differ from one build to the next: two builds of the same source then start up
# to a tenth apart. A plain copy, written the ordinary way, lays out every program alike, so
# that the programs differ only in what they are.
for prog in cartoauth cartoauth-cgo cartoauth-nosandbox floor httpfloor; do
	cp "$WORK/$prog" "$WORK/$prog.copy" && mv "$WORK/$prog.copy" "$WORK/$prog"
done

say "starting a sandbox"
export CARTO_AUTH_CACHE_DIR=$WORK/cache
"$WORK/cartoauth" sandbox --addr 127.0.0.1:0 --credentials "$WORK/m2m.json" >"$WORK/sandbox.out" 2>"$WORK/sandbox.err" &
SANDBOX_PID=$!
for _ in $(seq 100); do
	grep -q '^export CARTO_AUTH_SERVER=' "$WORK/sandbox.out" 2>/dev/null && break
	kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$WORK/sandbox.err" >&2; exit 1; }
	sleep 0.1
done
SERVER=$(sed -n 's/^export CARTO_AUTH_SERVER=//p' "$WORK/sandbox.out")
[[ -n $SERVER ]] || { say "the sandbox did not start in 10 s"; cat "$WORK/sandbox.err" >&2; exit 1; }
export CARTO_AUTH_SERVER=$SERVER
"$WORK/cartoauth" token --m2m "$WORK/m2m.json" >/dev/null # warm the cache
ENTRY=$(ls "$CARTO_AUTH_CACHE_DIR"/gonbauth-m2m-*.json)

say "timing the CLI ($ROUNDS rounds)"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
CLI=$("$WORK/clibench" -n "$ROUNDS" -vs 1,2 \
	"bare Go: read JSON, print a field=$WORK/floor $ENTRY" \
	"the same, with an HTTPS client linked=$WORK/httpfloor $ENTRY" \
	"cartoauth token, make cartoauth (static)=$WORK/cartoauth token --m2m $WORK/m2m.json" \
	"cartoauth token, go install (cgo, dynamic)=$WORK/cartoauth-cgo token --m2m $WORK/m2m.json" \
	"cartoauth token, make cartoauth -tags nosandbox=$WORK/cartoauth-nosandbox token --m2m $WORK/m2m.json")

say "decoding large SQL API answers (querybench)"
QUERY_PID=
mkdir -p "$WORK/query"
"$WORK/querybench" serve -rows 199999 -dir "$WORK/query" >"$WORK/querybench.out" 2>&1 &
QUERY_PID=$!
for _ in $(seq 200); do
	grep -q '^api=' "$WORK/querybench.out" 2>/dev/null && break
	sleep 0.1
done
QAPI=$(sed -n 's/^api=\([^ ]*\).*/\1/p' "$WORK/querybench.out")
QAUTH=$(sed -n 's/.* auth=\([^ ]*\).*/\1/p' "$WORK/querybench.out")
[[ -n $QAPI ]] || { say "querybench serve did not start"; cat "$WORK/querybench.out" >&2; exit 1; }
QUERYRUNS=$(for mode in baseline query into; do for _ in 1 2 3; do
	"$WORK/querybench" decode -mode "$mode" -api "$QAPI" -auth "$QAUTH" -creds "$WORK/query/m2m.json"
done; done)
kill "$QUERY_PID" 2>/dev/null && wait "$QUERY_PID" 2>/dev/null || true

say "running the Go benchmarks"
GOBENCH=$( (cd "$ROOT" && go test -run '^$' -bench . -benchtime 20000x ./carto ./internal/cache ./display && cd cartodw && go test -run '^$' -bench . -benchtime 20000x ./...) | grep '^Benchmark')

say "timing GoNB cells ($CELLS runs each, new source every run)"
CELLBENCH=$(cd "$ROOT/e2e" && go test -run '^$' -bench Cell -benchtime "${CELLS}x" -timeout 30m ./bench | grep '^Benchmark')

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
REPORT=$(
	cat <<MD
Measured by \`make bench\` (scripts/bench.sh) on $(date -u +%F): $(nproc) cores (${cpu:-unknown CPU}),
$(go version | cut -d' ' -f3-), $(uname -sr); load average $LOAD when the CLI was timed.

**The CLI**, whole process, median of paired runs (each round in a random order) against a
local sandbox:

$CLI

**A GoNB cell**, new source each run (a re-run of the same source skips the link and is not
a cell's cost), mean of $CELLS runs in a real GoNB kernel, as users write it (GoNB runs \`go
get\` for its imports first) and with \`%noautoget\`; the last column compares each cell with
GonbuiHTTP, a cell that shows HTML and makes one HTTP request, as any cell calling CARTO does:

$(awk '{sub(/^BenchmarkCell/, "", $1); sub(/-[0-9]+$/, "", $1); t[$1]=$3/1e9; if ($1 !~ /NoAutoget$/) order[++n]=$1}
END {print "| cell | with autoget | with %noautoget | vs. GonbuiHTTP, with autoget |"; print "|---|---|---|---|";
for (i=1;i<=n;i++) {c=order[i]; printf "| %s | %.2f s | %.2f s | %.2f× |\n", c, t[c], t[c "NoAutoget"], t[c]/t["GonbuiHTTP"]}}' <<<"$CELLBENCH")

**Decoding a SQL API answer** of 199,999 rows and 8 columns (INT64 as numbers and strings,
STRING, FLOAT64, TIMESTAMP, GEOGRAPHY; 40 MB of JSON, new values each run), each decoder in a
process of its own (e2e/bench/cmd/querybench), median of 3 runs; the plain way is
\`json.NewDecoder(body)\` with \`UseNumber\` into \`struct{Rows []map[string]any}\`:

$(awk '{for (i=1;i<=NF;i++) {split($i, kv, "="); v[kv[1]]=kv[2]} m=v["mode"]; n[m]++; ms[m, n[m]]=v["ms"]; rss[m, n[m]]=v["peak_rss_mb"]}
function med(a, m,   x, y, z, t) {x=a[m,1]+0; y=a[m,2]+0; z=a[m,3]+0; if (x>y) {t=x; x=y; y=t} if (y>z) {t=y; y=z; z=t} if (x>y) {t=x; x=y; y=t} return y}
END {print "| decoder | peak RSS | vs. plain | time | runs (peak RSS, MB) |"; print "|---|---|---|---|---|";
split("baseline query into", order, " "); name["baseline"]="plain json.Decoder"; name["query"]="Auth.Query"; name["into"]="QueryInto";
for (i=1;i<=3;i++) {m=order[i]; printf "| %s | %.0f MB | %.2f× | %.2f s | %s, %s, %s |\n", name[m], med(rss, m), med(rss, m)/med(rss, "baseline"), med(ms, m)/1000, rss[m,1], rss[m,2], rss[m,3]}}' <<<"$QUERYRUNS")

**The library** (\`go test -bench . -benchtime 20000x\`):

| benchmark | time | bytes | allocations |
|---|---|---|---|
$(awk '{sub(/-[0-9]+$/, "", $1); printf "| %s | %s %s | %s | %s |\n", $1, $3, $4, $5, $7}' <<<"$GOBENCH")
MD
)
printf '%s\n' "$REPORT"
if [[ $UPDATE == 1 ]]; then
	REPORT="$REPORT" python3 - "$ROOT/docs/performance.md" <<'PY'
import os, re, sys
path = sys.argv[1]
text = open(path).read()
new = "<!-- bench:start -->\n" + os.environ["REPORT"].strip() + "\n<!-- bench:end -->"
text, n = re.subn(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda m: new, text, flags=re.S)
if n != 1:
    sys.exit(path + " has no bench markers")
open(path, "w").write(text)
PY
	say "docs/performance.md updated"
fi
