#!/usr/bin/env bash
# remote-cache.sh: how much a warm registry cache saves a fresh CI runner.
#
# Builds go-containerregistry's cmd/crane (a real program with ~300 packages
# in this module's graph) three ways, N times each, with the module cache
# warm and everything else empty:
#   cold        plain `go build`, empty GOCACHE: what a fresh runner pays today
#   cold+push   the same with GOCACHEPROG="packager gocacheprog --remote-cache
#               REG/REPO-i" and an empty packager cache: fills the registry
#   fresh+warm  a new empty GOCACHE and packager cache against REG/REPO-i: a
#               fresh runner after another one filled the registry
# and checks that the binaries are byte-identical. Prints a Markdown table
# and writes it with the machine details to bench/results/DATE-remote-cache.md.
#
# Env: N (runs, default 3), KEEP=1 (keep the work dir), RESULTS_DIR.
set -euo pipefail

N="${N:-3}"
KEEP="${KEEP:-0}"
REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
RESULTS_DIR="${RESULTS_DIR:-$REPO_ROOT/bench/results}"
# shellcheck source=bench/results.sh
. "$REPO_ROOT/bench/results.sh"
PKG=github.com/google/go-containerregistry/cmd/crane
WORK="$(mktemp -d "${TMPDIR:-/tmp}/packager-remote-cache.XXXXXX")"
REG_PID=""

log() { printf 'bench: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
cleanup() {
  if [ -n "$REG_PID" ]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "N=$N: want a positive number of runs"
command -v docker-registry >/dev/null || die "docker-registry not found; run scripts/install-test-deps"
command -v curl >/dev/null || die "curl not found"

free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.1f", $2 - $1}'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# build NAME [GOCACHEPROG]: one go build of crane with an empty GOCACHE;
# prints the seconds it took. The binary is $WORK/NAME.bin.
build() {
  local name="$1" prog="${2:-}" t0 t1
  rm -rf "$WORK/gocache-$name"
  t0="$(now)"
  (cd "$REPO_ROOT" && GOCACHE="$WORK/gocache-$name" GOCACHEPROG="$prog" CGO_ENABLED=0 \
    go build -trimpath -o "$WORK/$name.bin" "$PKG") 2>>"$WORK/$name.log" || die "build $name failed: $(tail -n 20 "$WORK/$name.log")"
  t1="$(now)"
  secs "$t0" "$t1"
}

log "building packager"
(cd "$REPO_ROOT" && go build -o "$WORK/packager" ./cmd/packager)
(cd "$REPO_ROOT" && go mod download github.com/google/go-containerregistry)

PORT="$(free_port)" || die "no free port"
mkdir -p "$WORK/registry"
cat >"$WORK/registry/config.yml" <<CFG
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $WORK/registry/data}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$PORT}
CFG
docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
REG_PID=$!
for _ in $(seq 300); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/v2/" 2>/dev/null && break; sleep 0.1; done

COLD=() PUSH=() WARM=() SAME=yes
for i in $(seq "$N"); do
  repo="127.0.0.1:$PORT/bench/gocache-$i"
  log "run $i/$N: cold"
  COLD+=("$(build cold)")
  log "run $i/$N: cold+push (${COLD[-1]}s)"
  rm -rf "$WORK/pcache-push-$i"
  PUSH+=("$(build push "$WORK/packager gocacheprog -v --remote-cache $repo --cache-dir $WORK/pcache-push-$i")")
  log "run $i/$N: fresh runner, warm registry (${PUSH[-1]}s)"
  WARM+=("$(build warm "$WORK/packager gocacheprog -v --remote-cache $repo --cache-dir $WORK/pcache-warm-$i")")
  log "run $i/$N: ${WARM[-1]}s; $(grep -o 'gocache: [0-9]* gets[^"]*' "$WORK/warm.log" | tail -n 1)"
  for b in push warm; do cmp -s "$WORK/cold.bin" "$WORK/$b.bin" || SAME=no; done
done

mc="$(median "${COLD[@]}")" mp="$(median "${PUSH[@]}")" mw="$(median "${WARM[@]}")"
ratio="$(echo "$mw $mc" | awk '{printf "%.2f", $1 / $2}')"
table="| build of crane, empty GOCACHE | median s | runs s |
|---|---|---|
| cold: plain go build | $mc | ${COLD[*]} |
| cold+push: GOCACHEPROG, empty registry repo | $mp | ${PUSH[*]} |
| fresh runner, warm registry | $mw | ${WARM[*]} |
| **fresh+warm ÷ cold** (target ≤ 0.35) | **$ratio** | |
| binaries byte-identical to the cold build | $SAME | |"
echo "$table"

out=$(results_file "$(date +%F)-remote-cache")
{
  echo "# remote Go build cache: $(date -u +%FT%TZ), N=$N"
  echo
  echo "- machine: $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
  echo "- $(go version); registry: Debian docker-registry on 127.0.0.1 (loopback, no network latency)"
  echo "- program: $PKG, -trimpath, CGO_ENABLED=0; module cache warm"
  echo
  echo "$table"
  echo
  echo "Last fresh-runner summary: $(grep -o 'gocache: [0-9]* gets[^"]*' "$WORK/warm.log" | tail -n 1)"
} >"$out"
log "results in $out"
