#!/usr/bin/env bash
# bench/fanout.sh: many images x platforms from one packager.yaml.
#
# Makes a module with N small HTTP programs (default 20), then measures on
# this machine, in one run:
#   1. the sum of plain `go build -o NEW` times, one program and platform at
#      a time (every one links: the floor of work to do);
#   2. one `packager build` of all N images x 2 platforms into an OCI layout,
#      with an empty packager cache (so every image links and compresses).
# The Go build cache is warmed first for both. Prints the ratio of (2) to
# (1) divided by the core count: 1.0 means packager keeps every core busy
# with go build and adds nothing.
set -euo pipefail

N=${N:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
PLATFORMS=(linux/amd64 linux/arm64)
CORES=$(nproc)
LDFLAGS="-s -w"

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc -l; }

go build -o "$WORK/packager" "$ROOT/cmd/packager"

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
# Warm the Go build cache for every package and platform.
for p in "${PLATFORMS[@]}"; do
	GOOS=${p%/*} GOARCH=${p#*/} CGO_ENABLED=0 go build -trimpath -ldflags="$LDFLAGS" ./... >/dev/null
done

echo "plain go build, one at a time ($N programs x ${#PLATFORMS[@]} platforms)..." >&2
sum=0
for p in "${PLATFORMS[@]}"; do
	for i in $(seq -w 1 "$N"); do
		out="$WORK/plain/$p/svc$i"
		mkdir -p "$(dirname "$out")"
		t0=$(now)
		GOOS=${p%/*} GOARCH=${p#*/} CGO_ENABLED=0 go build -trimpath -ldflags="$LDFLAGS" -o "$out" "./cmd/svc$i"
		sum=$(echo "$sum + $(elapsed "$t0" "$(now)")" | bc -l)
	done
done

echo "plain go build, $CORES at a time (xargs -P)..." >&2
t0=$(now)
for p in "${PLATFORMS[@]}"; do
	for i in $(seq -w 1 "$N"); do
		echo "$p $i"
	done
done | xargs -P "$CORES" -n 2 sh -c 'GOOS=${0%/*} GOARCH=${0#*/} CGO_ENABLED=0 go build -trimpath -ldflags="'"$LDFLAGS"'" -o "'"$WORK"'/par/$0/svc$1" "./cmd/svc$1"'
parallel=$(elapsed "$t0" "$(now)")

echo "packager build, all at once..." >&2
t0=$(now)
PACKAGER_CACHE_DIR="$WORK/cache" "$WORK/packager" build --oci-layout "$WORK/oci" >"$WORK/refs" 2>"$WORK/log"
total=$(elapsed "$t0" "$(now)")
images=$(wc -l <"$WORK/refs")

floor=$(echo "$sum / $CORES" | bc -l)
printf '| what | seconds |\n|---|---|\n'
printf '| sum of %d plain go builds (one at a time) | %.2f |\n' $((N * ${#PLATFORMS[@]})) "$sum"
printf '| that sum / %d cores | %.2f |\n' "$CORES" "$floor"
printf '| packager build: %d images x %d platforms (%d indexes) | %.2f |\n' "$N" "${#PLATFORMS[@]}" "$images" "$total"
printf '| the same go builds, %d at a time (xargs -P %d) | %.2f |\n' "$CORES" "$CORES" "$parallel"
printf '| packager / (sum / cores) | %.2f |\n' "$(echo "$total / $floor" | bc -l)"
printf '| packager / parallel go builds | %.2f |\n' "$(echo "$total / $parallel" | bc -l)"
