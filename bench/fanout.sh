#!/usr/bin/env bash
# bench/fanout.sh: many images x platforms from one packager.yaml.
#
# Makes a module with N small HTTP programs (default 20) and one
# packager.yaml listing them all for linux/amd64 and linux/arm64, warms the
# Go build cache, then, RUNS times side by side (default 3):
#   1. the 2N plain `go build -o NEW` commands, `nproc` at a time (xargs -P),
#      each into a new path (every one links);
#   2. one `packager build` of all N images x 2 platforms into an OCI layout,
#      with an empty packager cache (every binary links and compresses);
#   3. the floor of (2)'s approach: one `go build -o NEWDIR/ ./cmd/...` per
#      platform, both platforms at once (what packager runs, without the
#      images), and that plus every binary's layer made the way packager
#      makes it (bench/layerfloor, nproc at a time).
# Reports wall clock and CPU time (user+sys, children included) of each and
# the ratios to (1) per run. The goal from issue 12 is packager <= 0.7 x (1).
#   SERIAL=1      also time the 2N go builds one at a time (slow)
#   BASELINE=BIN  also time another packager binary (an older build), same way
#   ZSTD=1        also time this packager with --compression zstd
#   KEEP=1        keep the work dir (packager's log is in it)
#   RESULTS_DIR   where the results file goes (default bench/results)
set -euo pipefail

N=${N:-20}
RUNS=${RUNS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RESULTS_DIR=${RESULTS_DIR:-$ROOT/bench/results}
# shellcheck source=bench/results.sh
. "$ROOT/bench/results.sh"
WORK=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
PLATFORMS=(linux/amd64 linux/arm64)
CORES=$(nproc)
LDFLAGS="-s -w"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# timed CMD...: prints "WALL CPU" in seconds; CMD's output goes to the log.
timed() {
	local TIMEFORMAT='%R %U %S'
	{ time "$@" >>"$WORK/log" 2>&1; } 2>&1 | awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }'
}

(cd "$ROOT" && go build -o "$WORK/packager" ./cmd/packager && go build -o "$WORK/layerfloor" ./bench/layerfloor)
commit=$(cd "$ROOT" && git rev-parse --short HEAD)$(cd "$ROOT" && git diff --quiet HEAD -- . ':!bench/results' ':!docs' || echo +dirty)

mod="$WORK/fanout"
mkdir -p "$mod"
printf 'module example.com/fanout\n\ngo 1.26\n' >"$mod/go.mod"
{
	printf 'platforms: [%s]\n' "$(IFS=,; echo "${PLATFORMS[*]}")"
	printf 'images:\n'
} >"$mod/packager.yaml"
for i in $(seq -w 1 "$N"); do
	mkdir -p "$mod/cmd/svc$i"
	cat >"$mod/cmd/svc$i/main.go" <<GO
package main

import (
	"fmt"
	"net/http"
)

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "svc$i") })
	_ = http.ListenAndServe(":8080", nil)
}
GO
	printf '  - main: ./cmd/svc%s\n' "$i" >>"$mod/packager.yaml"
done

cd "$mod"
echo "warming the Go build cache..." >&2
for p in "${PLATFORMS[@]}"; do
	GOOS=${p%/*} GOARCH=${p#*/} CGO_ENABLED=0 go build -trimpath -ldflags="$LDFLAGS" ./... >/dev/null
done

jobs_list() {
	for p in "${PLATFORMS[@]}"; do
		for i in $(seq -w 1 "$N"); do echo "$p $i"; done
	done
}
parallel_builds() { # OUTDIR PARALLELISM
	jobs_list | xargs -P "$2" -n 2 sh -c 'GOOS=${0%/*} GOARCH=${0#*/} CGO_ENABLED=0 go build -trimpath -ldflags="'"$LDFLAGS"'" -o "'"$1"'/$0/svc$1" "./cmd/svc$1"'
}
grouped_builds() { # OUTDIR
	local pids=() p rc=0
	for p in "${PLATFORMS[@]}"; do
		GOOS=${p%/*} GOARCH=${p#*/} CGO_ENABLED=0 go build -trimpath -ldflags="$LDFLAGS" -o "$1/$p/" ./cmd/... &
		pids+=("$!")
	done
	for p in "${pids[@]}"; do wait "$p" || rc=1; done
	return "$rc"
}
grouped_layers() { # OUTDIR
	grouped_builds "$1" && find "$1" -type f -print0 | xargs -0 -P "$CORES" -n 1 "$WORK/layerfloor"
}
packager_build() { # RUN
	PACKAGER_CACHE_DIR="$WORK/cache$1" "$WORK/packager" build --oci-layout "$WORK/oci$1"
}

div() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }
rows=()
for r in $(seq 1 "$RUNS"); do
	echo "run $r/$RUNS: go builds $CORES at a time..." >&2
	read -r gw gc < <(timed parallel_builds "$WORK/par$r" "$CORES")
	echo "run $r/$RUNS: packager build..." >&2
	read -r pw pc < <(timed packager_build "$r")
	echo "run $r/$RUNS: grouped go builds..." >&2
	read -r fw fc < <(timed grouped_builds "$WORK/grp$r")
	echo "run $r/$RUNS: grouped go builds and layers..." >&2
	read -r lw lc < <(timed grouped_layers "$WORK/lay$r")
	base="—"
	if [ -n "${BASELINE:-}" ]; then
		echo "run $r/$RUNS: baseline packager build..." >&2
		read -r base _ < <(timed env PACKAGER_CACHE_DIR="$WORK/bcache$r" "$BASELINE" build --oci-layout "$WORK/boci$r")
		rm -rf "$WORK/bcache$r" "$WORK/boci$r"
	fi
	zw="—" zr="—"
	if [ -n "${ZSTD:-}" ]; then
		echo "run $r/$RUNS: packager build --compression zstd..." >&2
		read -r zw _ < <(timed env PACKAGER_CACHE_DIR="$WORK/zcache$r" "$WORK/packager" build --compression zstd --oci-layout "$WORK/zoci$r")
		zr=$(div "$zw" "$gw")
		rm -rf "$WORK/zcache$r" "$WORK/zoci$r"
	fi
	serial="—"
	if [ -n "${SERIAL:-}" ]; then
		echo "run $r/$RUNS: go builds one at a time..." >&2
		read -r serial _ < <(timed parallel_builds "$WORK/ser$r" 1)
	fi
	images=$(find "$WORK/oci$r/blobs" -type f | wc -l)
	rows+=("| $r | $serial | $base | $gw | $gc | $pw | $pc | $(div "$pw" "$gw") | $(div "$pc" "$gc") | $fw | $fc | $(div "$fw" "$gw") | $(div "$fc" "$gc") | $lw | $lc | $(div "$lw" "$gw") | $(div "$lc" "$gc") | $zw | $zr |")
	rm -rf "$WORK/par$r" "$WORK/ser$r" "$WORK/cache$r" "$WORK/grp$r" "$WORK/lay$r"
done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
report=$(
	cat <<EOF
# fanout: $N images x ${#PLATFORMS[@]} platforms, $(date -u +%Y-%m-%dT%H:%MZ)

- machine: $(uname -m), ${cpu:-unknown CPU}, $CORES cores, shared with other jobs; load average (1/5/15 min) at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)
- $(go version); packager $commit
- command: \`N=$N RUNS=$RUNS ${SERIAL:+SERIAL=1 }${ZSTD:+ZSTD=1 }./bench/fanout.sh\`
- go builds: \`CGO_ENABLED=0 go build -trimpath -ldflags="$LDFLAGS" -o NEW ./cmd/svcNN\` per program and platform, $CORES at a time (xargs -P $CORES); warm Go build cache
- packager: \`packager build --oci-layout DIR\` with an empty PACKAGER_CACHE_DIR, default -j ($CORES); last run wrote $images blobs
- baseline: ${BASELINE:-none} (\`BASELINE=BIN\`: an older packager, timed the same way)
- floor: \`go build -trimpath -ldflags="$LDFLAGS" -o NEWDIR/ ./cmd/...\` once per platform, both at once: the go builds packager runs, without making images; floor + layers: then \`bench/layerfloor BIN\` for each of the $((2 * N)) binaries, $CORES at a time (tar, gzip level 6, digests; nothing written)
- CPU = user + sys of the command and its children

| run | go builds one at a time, wall (s) | baseline packager, wall (s) | go builds $CORES at a time, wall (s) | CPU (s) | packager, wall (s) | CPU (s) | packager ÷ go builds, wall | CPU | floor: grouped go builds, wall (s) | CPU (s) | floor ÷ go builds, wall | CPU | floor + layers, wall (s) | CPU (s) | floor + layers ÷ go builds, wall | CPU | packager --compression zstd, wall (s) | ÷ go builds |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")
EOF
)
echo "$report"
out=$(results_file "fanout-$(date -u +%Y-%m-%d)")
echo "$report" >"$out"
echo "wrote $out" >&2
