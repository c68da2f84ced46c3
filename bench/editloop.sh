#!/usr/bin/env bash
# bench/editloop.sh: the edit loop. After a one-line change to a program
# that links go-containerregistry (a copy of crane's main package), times
#   1. plain `go build -o OUT` of the change (recompiles main, relinks), and
#   2. `packager build --repo REGISTRY/...` of the change (the same compile
#      and link, then the new layer compressed and pushed to a local
#      docker-registry on loopback),
#   3. the floor: the go build of (1), then the binary's layer made the way
#      packager makes it (bench/layerfloor: tar, gzip, digests; no upload),
# alternately, RUNS times each (default 7), each run with a change never
# built before. Prints the medians and their ratio; the goal from issue 12
# is packager <= 1.25 x go build.
#   BASELINE=BIN  also time another packager binary (an older build)
#   NOATT=1       also time this packager with --sbom none --provenance=false
#                 (what the default SBOM and provenance cost)
#   ZSTD=1        also time this packager with --compression zstd
#   LINK_RATE=B   push through bench/countproxy limited to B bytes/s (e.g.
#                 12500000 for 100 Mbit/s) and LINK_LATENCY (e.g. 5ms) per
#                 request: a registry across a network, not on loopback
#   KEEP=1        keep the work dir
#   RESULTS_DIR   where the results file goes (default bench/results)
set -euo pipefail

RUNS=${RUNS:-7}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RESULTS_DIR=${RESULTS_DIR:-$ROOT/bench/results}
# shellcheck source=bench/results.sh
. "$ROOT/bench/results.sh"
WORK=$(mktemp -d)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
	[ -n "${KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
CRANE_PKG=github.com/google/go-containerregistry/cmd/crane
export CGO_ENABLED=0 GOOS=linux GOARCH=amd64

command -v docker-registry >/dev/null || { echo "docker-registry not found; run scripts/install-test-deps" >&2; exit 1; }
(cd "$ROOT" && go build -o "$WORK/packager" ./cmd/packager && go build -o "$WORK/layerfloor" ./bench/layerfloor)
commit=$(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD -- . ':!bench/results' ':!docs' || echo +dirty)

port=$((20000 + RANDOM % 40000))
mkdir -p "$WORK/registry"
cat >"$WORK/registry/config.yml" <<EOF
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/registry/data}}
http: {addr: 127.0.0.1:$port}
EOF
docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 300); do curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" 2>/dev/null && break; sleep 0.1; done
REG=127.0.0.1:$port
LINK="loopback"
if [ -n "${LINK_RATE:-}" ]; then
	(cd "$ROOT" && go build -o "$WORK/countproxy" ./bench/countproxy)
	"$WORK/countproxy" -upstream "http://$REG" -addr-file "$WORK/proxy.addr" -rate "$LINK_RATE" -latency "${LINK_LATENCY:-0s}" 2>>"$WORK/registry/log" &
	PIDS+=("$!")
	for _ in $(seq 100); do [ -s "$WORK/proxy.addr" ] && break; sleep 0.1; done
	REG=$(cat "$WORK/proxy.addr")
	LINK="bench/countproxy: $LINK_RATE bytes/s shared by uploads, ${LINK_LATENCY:-0s} per request"
fi

# A copy of crane's main package with one line to edit, in a module with
# this repository's go.mod and go.sum (the same dependency versions).
src=$(cd "$ROOT" && go list -f '{{.Dir}}' "$CRANE_PKG")
mod="$WORK/crane"
mkdir -p "$mod"
sed 's/^func init() {$/func init() {\n\tos.Setenv("CRANE_BENCH_EDIT", "0")/' "$src/main.go" >"$mod/main.go"
grep -q CRANE_BENCH_EDIT "$mod/main.go" || { echo "crane's main.go has no init(); update the edit" >&2; exit 1; }
sed 's|^module .*|module example.com/crane|' "$ROOT/go.mod" >"$mod/go.mod"
cp "$ROOT/go.sum" "$mod/go.sum"
edit() { sed -i "s/\"CRANE_BENCH_EDIT\", \"[^\"]*\"/\"CRANE_BENCH_EDIT\", \"$1\"/" "$mod/main.go"; }

# timed CMD...: prints the wall clock in seconds.
timed() {
	local TIMEFORMAT='%R'
	{ time "$@" >>"$WORK/log" 2>&1; } 2>&1
}
gobuild() { go build -trimpath -ldflags="-s -w" -o "$WORK/crane.bin" .; }
floor() { gobuild && "$WORK/layerfloor" -path /usr/local/bin/crane "$WORK/crane.bin"; }
pk() { PACKAGER_CACHE_DIR="$WORK/cache-$1" "$2" build --repo "$REG/edit-$1" "${@:3}" .; }

cd "$mod"
echo "warming the Go build cache and both caches..." >&2
gobuild
pk new "$WORK/packager" >/dev/null
[ -z "${BASELINE:-}" ] || pk base "$BASELINE" >/dev/null
[ -z "${NOATT:-}" ] || pk noatt "$WORK/packager" --sbom none --provenance=false >/dev/null
[ -z "${ZSTD:-}" ] || pk zstd "$WORK/packager" --compression zstd >/dev/null

g=() p=() b=() n=() f=() z=()
for r in $(seq 1 "$RUNS"); do
	echo "run $r/$RUNS" >&2
	edit "go$r"
	g+=("$(timed gobuild)")
	edit "pk$r"
	p+=("$(timed pk new "$WORK/packager")")
	edit "fl$r"
	f+=("$(timed floor)")
	if [ -n "${BASELINE:-}" ]; then
		edit "base$r"
		b+=("$(timed pk base "$BASELINE")")
	fi
	if [ -n "${NOATT:-}" ]; then
		edit "noatt$r"
		n+=("$(timed pk noatt "$WORK/packager" --sbom none --provenance=false)")
	fi
	if [ -n "${ZSTD:-}" ]; then
		edit "zstd$r"
		z+=("$(timed pk zstd "$WORK/packager" --compression zstd)")
	fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mg=$(median "${g[@]}") mp=$(median "${p[@]}") mf=$(median "${f[@]}")
mb=—
[ -z "${BASELINE:-}" ] || mb=$(median "${b[@]}")
mn=—
[ -z "${NOATT:-}" ] || mn=$(median "${n[@]}")
mz=—
[ -z "${ZSTD:-}" ] || mz=$(median "${z[@]}")
ratio() { [ "$2" = — ] && echo — || echo "$2 / $1" | bc -l | xargs printf '%.2f'; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
report=$(
	cat <<EOF
# edit loop: one-line change to a copy of crane, $(date -u +%Y-%m-%dT%H:%MZ)

- machine: $(uname -m), ${cpu:-unknown CPU}, $(nproc) cores, shared with other jobs; load average (1/5/15 min) at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)
- $(go version); packager $commit; registry $(docker-registry --version 2>/dev/null | head -n 1) on 127.0.0.1; link: $LINK
- command: \`RUNS=$RUNS ${BASELINE:+BASELINE=BIN }${NOATT:+NOATT=1 }${ZSTD:+ZSTD=1 }${LINK_RATE:+LINK_RATE=$LINK_RATE LINK_LATENCY=${LINK_LATENCY:-0s} }./bench/editloop.sh\`; baseline: ${BASELINE:-none}
- go build: \`CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -ldflags="-s -w" -o OUT .\` (same OUT each run: only main recompiles, the binary relinks)
- packager: \`packager build --repo REGISTRY/edit .\` with a warm cache (the previous run's); the new layer is compressed and uploaded
- floor: the go build above, then \`bench/layerfloor OUT\` (the binary's layer made as packager makes it: tar, gzip level 6 on up to 4 cores, digests; nothing uploaded)
- runs alternate (go build, packager, floor, baseline, no attestations, zstd), each after a change never built before; medians of $RUNS

| | go build | packager | floor: go build + layer | baseline packager | packager, no SBOM or provenance | packager --compression zstd |
|---|---|---|---|---|---|---|
| median (s) | $mg | $mp | $mf | $mb | $mn | $mz |
| ÷ go build | 1.00 | $(ratio "$mg" "$mp") | $(ratio "$mg" "$mf") | $(ratio "$mg" "$mb") | $(ratio "$mg" "$mn") | $(ratio "$mg" "$mz") |

Raw runs (s): go build ${g[*]} / packager ${p[*]} / floor ${f[*]}${BASELINE:+ / baseline ${b[*]}}${NOATT:+ / no attestations ${n[*]}}${ZSTD:+ / zstd ${z[*]}}
EOF
)
echo "$report"
out=$(results_file "editloop-$(date -u +%Y-%m-%d)")
echo "$report" >"$out"
echo "wrote $out" >&2
