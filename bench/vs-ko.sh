#!/usr/bin/env bash
# bench/vs-ko.sh: packager vs ko on this machine, in one run.
#
# Installs ko, builds packager from this checkout, starts a local registry
# (Debian's docker-registry) behind a counting proxy (bench/countproxy),
# pushes packager's static base for ko to use, then times both tools on
# examples/hello and go-containerregistry's cmd/crane. Prints a Markdown
# table on stdout and writes it, with the machine and tool versions, to
# bench/results/DATE.md. Progress goes to stderr. See bench/README.md.
#
# Environment:
#   N=3            runs per timed scenario (the median is reported)
#   KO_VERSION     ko to install (default v0.19.1)
#   KO_BIN         use this ko instead of installing one
#   KEEP=1         keep the work directory (logs, registry data) afterwards
#   RESULTS_DIR    where the results file goes (default bench/results)
set -euo pipefail
shopt -s inherit_errexit

N="${N:-3}"
KO_VERSION="${KO_VERSION:-v0.19.1}"
KEEP="${KEEP:-0}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS_DIR="${RESULTS_DIR:-$REPO_ROOT/bench/results}"
# shellcheck source=bench/results.sh
. "$REPO_ROOT/bench/results.sh"
CRANE_PKG=github.com/google/go-containerregistry/cmd/crane
PLATFORMS=linux/amd64,linux/arm64
LDFLAGS="-s -w"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/packager-vs-ko.XXXXXX")"
LOG="$WORK/log"
BG_PIDS=()

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

cleanup() {
  local pid
  for pid in "${BG_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$KEEP" = 1 ]; then
    log "kept $WORK (log: $LOG)"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "N=$N: want a positive number of runs"
command -v go >/dev/null || die "go not found"
command -v docker-registry >/dev/null ||
  die "docker-registry not found; run scripts/install-test-deps (Debian package docker-registry)"
command -v curl >/dev/null || die "curl not found"

# ---------------------------------------------------------------------------
# Helpers

# now prints the wall-clock time in seconds with nanoseconds.
now() { date +%s.%N; }

# secs T0 T1 prints T1-T0 in seconds, 3 decimals.
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", b - a }'; }

# median prints the median of its arguments (mean of the middle two for an
# even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
    END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# ratio A B prints A/B with 2 decimals, or "—" when either is not a number.
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) { print "—"; exit }
    printf "%.2f\n", a / b }'
}

# meets R T prints "yes" when ratio R <= T, "no" otherwise, "—" without R.
meets() {
  awk -v r="$1" -v t="$2" 'BEGIN {
    if (r !~ /^[0-9.]+$/) { print "—"; exit }
    print (r + 0 <= t + 0) ? "yes" : "no" }'
}

# mb prints bytes as MB (10^6) with 2 decimals.
mb() { awk -v b="$1" 'BEGIN { if (b !~ /^[0-9]+$/) print b; else printf "%.2f MB\n", b / 1e6 }'; }

# timed CMD...: runs CMD with stdout to $WORK/stdout and stderr appended to
# $LOG, prints the wall-clock seconds it took. On failure it prints the
# command's stderr and returns its status.
timed() {
  local t0 t1 rc=0
  printf '\n$ %s\n' "$*" >>"$LOG"
  t0="$(now)"
  "$@" >"$WORK/stdout" 2>"$WORK/stderr" || rc=$?
  t1="$(now)"
  cat "$WORK/stdout" "$WORK/stderr" >>"$LOG"
  if [ "$rc" -ne 0 ]; then
    log "failed ($rc): $*"
    sed 's/^/  | /' "$WORK/stderr" | tail -n 20 >&2
    return "$rc"
  fi
  secs "$t0" "$t1"
}

# digest_out prints the digest in the last line of the last timed command's
# stdout (REF@sha256:...).
digest_out() { tail -n 1 "$WORK/stdout" | sed -n 's/.*@\(sha256:[0-9a-f]*\)$/\1/p'; }

proxy() { curl -fsS "$@"; }
reset_count() { proxy -X POST "http://$REG/__reset" >/dev/null; }
uploaded() { proxy "http://$REG/__count"; }

# free_port prints a loopback TCP port nothing listens on.
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# wait_http URL: polls URL until it answers, for up to 30 s.
wait_http() {
  for _ in $(seq 300); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# distinct prints how many different values its arguments hold.
distinct() { printf '%s\n' "$@" | sort -u | wc -l; }

# stable D...: "yes" when all digests D are equal, else "no (K digests)".
stable() {
  if [ "$#" -lt 2 ]; then
    echo "n/a (N=1)"
  elif [ "$(distinct "$@")" -eq 1 ]; then
    echo "yes"
  else
    echo "no ($(distinct "$@") digests)"
  fi
}

# ---------------------------------------------------------------------------
# The tools. Each runs in a subshell in the program's directory.
#
# pk DIR CACHE ARGS...: packager build with PACKAGER_CACHE_DIR=CACHE.
pk() {
  local dir="$1" cache="$2"
  shift 2
  (cd "$dir" && PACKAGER_CACHE_DIR="$cache" exec "$BIN/packager" build "$@")
}

# ko_ DIR REPO ARGS...: ko build -B with KO_DOCKER_REPO=REPO, the pushed
# static base as default base, and the .ko.yaml that asks for -s -w.
ko_() {
  local dir="$1" repo="$2"
  shift 2
  (cd "$dir" && exec env -u KOCACHE KO_DOCKER_REPO="$repo" KO_DEFAULTBASEIMAGE="$BASE" \
    KO_CONFIG_PATH="$WORK/ko/.ko.yaml" "$KO" build -B --sbom=none "$@")
}

# ---------------------------------------------------------------------------
# 1. Tools

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
mkdir -p "$WORK/bin" "$WORK/ko" "$WORK/cache" "$WORK/gobuild"
BIN="$WORK/bin"
cd "$REPO_ROOT"

if [ -n "${KO_BIN:-}" ]; then
  KO="$KO_BIN"
  KO_INSTALL="given as KO_BIN=$KO_BIN"
else
  log "installing ko $KO_VERSION"
  t0="$(now)"
  (cd "$WORK" && GOFLAGS='' GOBIN="$BIN" go install "github.com/google/ko@$KO_VERSION") >>"$LOG" 2>&1 ||
    die "go install github.com/google/ko@$KO_VERSION failed; see $LOG (KEEP=1 keeps it)"
  KO_INSTALL="installed by this run in $(secs "$t0" "$(now)") s"
  KO="$BIN/ko"
fi
log "building packager and the bench helpers"
go build -o "$BIN/packager" ./cmd/packager
go build -o "$BIN/" ./bench/countproxy ./bench/pushbase ./bench/imgsize

# Both tools link stripped, trimmed, static binaries: packager always runs
# go build -trimpath -ldflags="-s -w" with CGO_ENABLED=0; ko adds -trimpath
# and CGO_ENABLED=0 itself and gets -s -w from defaultLdflags.
printf 'defaultLdflags:\n  - -s\n  - -w\n' >"$WORK/ko/.ko.yaml"
: >"$WORK/ko/default.yaml"

# ---------------------------------------------------------------------------
# 2. Registry and counting proxy

REG_PORT="$(free_port)" || die "no free port"
mkdir -p "$WORK/registry"
cat >"$WORK/registry/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REG_PORT
EOF
docker-registry serve "$WORK/registry/config.yml" >"$WORK/registry/log" 2>&1 &
BG_PIDS+=("$!")
wait_http "http://127.0.0.1:$REG_PORT/v2/" || die "docker-registry did not start: $(cat "$WORK/registry/log")"

"$BIN/countproxy" -upstream "http://127.0.0.1:$REG_PORT" -addr-file "$WORK/proxy.addr" 2>>"$LOG" &
BG_PIDS+=("$!")
for _ in $(seq 100); do [ -s "$WORK/proxy.addr" ] && break; sleep 0.05; done
[ -s "$WORK/proxy.addr" ] || die "countproxy did not start"
REG="$(cat "$WORK/proxy.addr")"
wait_http "http://$REG/v2/" || die "countproxy does not reach the registry"
log "registry 127.0.0.1:$REG_PORT, counting proxy $REG"

# ---------------------------------------------------------------------------
# 3. The static base for ko, pinned by digest

BASE="$("$BIN/pushbase" -platforms "$PLATFORMS" "$REG/base/static:latest")"
log "static base for ko: $BASE"

# ---------------------------------------------------------------------------
# 4. Programs: a copy of examples/hello, crane from this module's graph, and
# a copy of crane's main package (for the one-line change; the real one is
# read-only in the module cache).

declare -A DIR PKG
mkdir -p "$WORK/hello"
cp examples/hello/*.go "$WORK/hello/"
printf 'module example.com/hello\n\ngo %s\n' "$(go list -m -f '{{.GoVersion}}')" >"$WORK/hello/go.mod"
grep -q '"Hello from packager"' "$WORK/hello/main.go" || die "examples/hello/main.go changed; update the hello edit"
DIR[hello]="$WORK/hello" PKG[hello]=.
DIR[crane]="$REPO_ROOT" PKG[crane]="$CRANE_PKG"

crane_src="$(go list -f '{{.Dir}}' "$CRANE_PKG")"
mkdir -p "$WORK/crane"
sed 's/^func init() {$/func init() {\n\tos.Setenv("CRANE_BENCH_EDIT", "0")/' "$crane_src/main.go" >"$WORK/crane/main.go"
grep -q CRANE_BENCH_EDIT "$WORK/crane/main.go" || die "crane's main.go has no init(); update the crane edit"
sed 's|^module .*|module example.com/crane|' go.mod >"$WORK/crane/go.mod"
cp go.sum "$WORK/crane/go.sum"
DIR[crane-edit]="$WORK/crane" PKG[crane-edit]=.

# edit PROG TAG: a one-line change to PROG's main package.
edit() {
  case "$1" in
    hello) sed -i "s/\"Hello from packager[^\"]*\"/\"Hello from packager $2\"/" "$WORK/hello/main.go" ;;
    crane-edit) sed -i "s/\"CRANE_BENCH_EDIT\", \"[^\"]*\"/\"CRANE_BENCH_EDIT\", \"$2\"/" "$WORK/crane/main.go" ;;
  esac
}

# Warm Go's build cache for every program and platform, with the flags both
# tools use, so that no timed run pays for compiling dependencies.
log "warming the Go build cache (hello, crane; amd64, arm64)"
for prog in hello crane crane-edit; do
  for arch in amd64 arm64; do
    (cd "${DIR[$prog]}" && CGO_ENABLED=0 GOOS=linux GOARCH="$arch" \
      go build -trimpath -ldflags="$LDFLAGS" -o "$WORK/gobuild/warm-$prog-$arch" "${PKG[$prog]}") >>"$LOG" 2>&1 ||
      die "go build $prog for $arch failed; see $LOG"
  done
done
# One untimed run of each tool, so neither pays for loading itself from disk.
timed pk "${DIR[hello]}" "$WORK/cache/warmup" --repo "$REG/warmup/packager" . >/dev/null
timed ko_ "${DIR[hello]}" "$REG/warmup/ko" --platform linux/amd64 . >/dev/null

declare -A R # results, by key

# ---------------------------------------------------------------------------
# 5a. Cold build+push: packager with an empty cache; each run pushes to a new
# repository so the registry has none of its blobs (ko mounts the base layer
# from base/static, packager uploads its own copy).

for prog in hello crane; do
  pk_t=() ko_t=() pk_d=() ko_d=() pk_b=() ko_b=()
  for i in $(seq "$N"); do
    log "cold $prog $i/$N"
    reset_count
    pk_t+=("$(timed pk "${DIR[$prog]}" "$WORK/cache/cold-$prog-$i" --repo "$REG/cold$i/packager" "${PKG[$prog]}")")
    pk_d+=("$(digest_out)") pk_b+=("$(uploaded)")
    reset_count
    ko_t+=("$(timed ko_ "${DIR[$prog]}" "$REG/cold$i/ko" --platform linux/amd64 "${PKG[$prog]}")")
    ko_d+=("$(digest_out)") ko_b+=("$(uploaded)")
  done
  R[cold-$prog-pk]="$(median "${pk_t[@]}")" R[cold-$prog-ko]="$(median "${ko_t[@]}")"
  R[coldbytes-$prog-pk]="$(median "${pk_b[@]}")" R[coldbytes-$prog-ko]="$(median "${ko_b[@]}")"
  R[stable-$prog-pk]="$(stable "${pk_d[@]}")" R[stable-$prog-ko]="$(stable "${ko_d[@]}")"
  R[raw-cold-$prog]="packager ${pk_t[*]} / ko ${ko_t[*]}"
done

# ---------------------------------------------------------------------------
# 5b. Warm no-change rebuild+push: same cache, same repository, same source
# as a build that just pushed. The proxy counts what each push uploads.

for prog in hello crane; do
  log "warm $prog: priming"
  timed pk "${DIR[$prog]}" "$WORK/cache/warm" --repo "$REG/warm/packager" "${PKG[$prog]}" >/dev/null
  timed ko_ "${DIR[$prog]}" "$REG/warm/ko" --platform linux/amd64 "${PKG[$prog]}" >/dev/null
  pk_t=() ko_t=() pk_sum=0 ko_sum=0
  for i in $(seq "$N"); do
    log "warm no-change $prog $i/$N"
    reset_count
    pk_t+=("$(timed pk "${DIR[$prog]}" "$WORK/cache/warm" --repo "$REG/warm/packager" "${PKG[$prog]}")")
    pk_sum=$((pk_sum + $(uploaded)))
    reset_count
    ko_t+=("$(timed ko_ "${DIR[$prog]}" "$REG/warm/ko" --platform linux/amd64 "${PKG[$prog]}")")
    ko_sum=$((ko_sum + $(uploaded)))
  done
  R[warm-$prog-pk]="$(median "${pk_t[@]}")" R[warm-$prog-ko]="$(median "${ko_t[@]}")"
  R[nochange-$prog-pk]="$pk_sum" R[nochange-$prog-ko]="$ko_sum"
  R[raw-warm-$prog]="packager ${pk_t[*]} / ko ${ko_t[*]}"
done

# Where packager's warm time goes: one verbose run per program, split by
# its log timestamps into start-up (wall time before the first log line and
# after the last), resolve+go build (up to "built"), assembling the image
# (from "built" to the start of publishing) and publishing.
breakdown() { # WALL LOGFILE
  awk -v wall="$1" '
    function ts(s) { sub(/.*T/, "", s); split(s, f, ":"); return f[1] * 3600 + f[2] * 60 + f[3] }
    function dur(d) {
      if (d ~ /ms$/) return substr(d, 1, length(d) - 2) / 1e3
      if (d ~ /µs$/) return substr(d, 1, length(d) - 3) / 1e6
      if (d ~ /s$/) return substr(d, 1, length(d) - 1)
      return 0
    }
    NR == 1 { first = ts($1) }
    / msg=built / { built = ts($1) }
    / msg=published / {
      pub = ts($1)
      for (i = 1; i <= NF; i++) if ($i ~ /^took=/) took = dur(substr($i, 6))
    }
    END {
      printf "wall %.2f s = start-up/exit %.2f + resolve+go build %.2f + assemble %.2f + publish %.2f\n",
        wall, wall - (pub - first), built - first, pub - took - built, took
    }' "$2"
}
for prog in hello crane; do
  t="$(timed pk "${DIR[$prog]}" "$WORK/cache/warm" -v --repo "$REG/warm/packager" "${PKG[$prog]}")"
  cp "$WORK/stderr" "$WORK/verbose-$prog.log"
  R[verbose-$prog]="$(breakdown "$t" "$WORK/verbose-$prog.log")"
done

# ---------------------------------------------------------------------------
# 5c. One-line change rebuild+push: each run changes a string in the main
# package to a value never built before, so go recompiles it and relinks.

for prog in hello crane-edit; do
  log "one-line change $prog: priming"
  timed pk "${DIR[$prog]}" "$WORK/cache/warm" --repo "$REG/edit/packager" "${PKG[$prog]}" >/dev/null
  timed ko_ "${DIR[$prog]}" "$REG/edit/ko" --platform linux/amd64 "${PKG[$prog]}" >/dev/null
  pk_t=() ko_t=()
  for i in $(seq "$N"); do
    log "one-line change $prog $i/$N"
    edit "$prog" "pk$i"
    pk_t+=("$(timed pk "${DIR[$prog]}" "$WORK/cache/warm" --repo "$REG/edit/packager" "${PKG[$prog]}")")
    edit "$prog" "ko$i"
    ko_t+=("$(timed ko_ "${DIR[$prog]}" "$REG/edit/ko" --platform linux/amd64 "${PKG[$prog]}")")
  done
  R[edit-$prog-pk]="$(median "${pk_t[@]}")" R[edit-$prog-ko]="$(median "${ko_t[@]}")"
  R[raw-edit-$prog]="packager ${pk_t[*]} / ko ${ko_t[*]}"
done

# ---------------------------------------------------------------------------
# 5d. Multi-arch (amd64+arm64) cold build+push of one index. When this
# packager refuses several platforms, the fallback is what its docs offer:
# one single-platform push per platform, in parallel, then
# `packager index create`.

# pk_fanin PROG CACHE REPO NAME: the fallback, printing the index reference.
pk_fanin() {
  local prog="$1" cache="$2" repo="$3" name="$4" a r rc=0
  pk "${DIR[$prog]}" "$cache" --repo "$repo" --platform linux/amd64 -t bench-amd64 "${PKG[$prog]}" >"$WORK/fanin-amd64" &
  a=$!
  pk "${DIR[$prog]}" "$cache" --repo "$repo" --platform linux/arm64 -t bench-arm64 "${PKG[$prog]}" >"$WORK/fanin-arm64" &
  r=$!
  wait "$a" || rc=$?
  wait "$r" || rc=$?
  [ "$rc" -eq 0 ] || return "$rc"
  "$BIN/packager" index create "$repo/$name:latest" \
    --from "$(cat "$WORK/fanin-amd64")" --from "$(cat "$WORK/fanin-arm64")"
}

MULTI=native
for prog in hello crane; do
  name="${prog}"
  pk_t=() ko_t=() pk_d=() ko_d=() fb_t=() fb_d=()
  for i in $(seq "$N"); do
    log "multi-arch cold $prog $i/$N"
    if [ "$MULTI" = native ]; then
      if t="$(timed pk "${DIR[$prog]}" "$WORK/cache/multi-$prog-$i" --repo "$REG/multi$i/packager" \
        --platform "$PLATFORMS" "${PKG[$prog]}" 2>/dev/null)"; then
        pk_t+=("$t") pk_d+=("$(digest_out)")
      elif grep -q 'not supported yet' "$WORK/stderr"; then
        MULTI=fallback
        log "this packager builds one platform per run; timing the fan-in fallback instead"
      else
        die "packager multi-arch build failed; see $LOG"
      fi
    fi
    if [ "$MULTI" = fallback ]; then
      fb_t+=("$(timed pk_fanin "$prog" "$WORK/cache/fanin-$prog-$i" "$REG/fanin$i/packager" "$name")")
      fb_d+=("$(digest_out)")
    fi
    ko_t+=("$(timed ko_ "${DIR[$prog]}" "$REG/multi$i/ko" --platform "$PLATFORMS" "${PKG[$prog]}")")
    ko_d+=("$(digest_out)")
  done
  R[multi-$prog-ko]="$(median "${ko_t[@]}")" R[stablemulti-$prog-ko]="$(stable "${ko_d[@]}")"
  if [ "${#pk_t[@]}" -gt 0 ]; then
    R[multi-$prog-pk]="$(median "${pk_t[@]}")" R[stablemulti-$prog-pk]="$(stable "${pk_d[@]}")"
  else
    R[multi-$prog-pk]="not supported" R[stablemulti-$prog-pk]="—"
  fi
  if [ "${#fb_t[@]}" -gt 0 ]; then
    R[fanin-$prog-pk]="$(median "${fb_t[@]}")" R[stablefanin-$prog-pk]="$(stable "${fb_d[@]}")"
  fi
  R[raw-multi-$prog]="packager ${pk_t[*]:-}${fb_t[*]:+fan-in ${fb_t[*]}} / ko ${ko_t[*]}"
done

# ---------------------------------------------------------------------------
# 5e. Compressed size (config + layers, as stored; linux/amd64) and the app
# layer alone, of the images the warm runs pushed. ko with its default
# ldflags (no -s -w) for reference.

for prog in hello crane; do
  read -r size app _ < <("$BIN/imgsize" "$REG/warm/packager/$prog:latest")
  R[size-$prog-pk]="$size" R[app-$prog-pk]="$app"
  read -r size app _ < <("$BIN/imgsize" "$REG/warm/ko/$prog:latest")
  R[size-$prog-ko]="$size" R[app-$prog-ko]="$app"
done
(cd "$REPO_ROOT" && env -u KOCACHE KO_DOCKER_REPO="$REG/kodefault" KO_DEFAULTBASEIMAGE="$BASE" \
  KO_CONFIG_PATH="$WORK/ko/default.yaml" "$KO" build -B --sbom=none --platform linux/amd64 "$CRANE_PKG") >>"$LOG" 2>&1
read -r size app _ < <("$BIN/imgsize" "$REG/kodefault/crane:latest")
R[size-crane-kodefault]="$size" R[app-crane-kodefault]="$app"

# ---------------------------------------------------------------------------
# 5f. The floor: plain go build of crane (linux/amd64), into a new output
# (a full link) and again into the same output (go sees it is up to date
# and skips the link).

gob() {
  (cd "$REPO_ROOT" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 \
    exec go build -trimpath -ldflags="$LDFLAGS" -o "$1" "$CRANE_PKG")
}
new_t=() same_t=()
for i in $(seq "$N"); do
  log "plain go build crane $i/$N"
  new_t+=("$(timed gob "$WORK/gobuild/crane-new-$i")")
done
for i in $(seq "$N"); do
  same_t+=("$(timed gob "$WORK/gobuild/crane-new-1")")
done
R[gob-new]="$(median "${new_t[@]}")" R[gob-same]="$(median "${same_t[@]}")"

# ---------------------------------------------------------------------------
# 6. Report

# row SCENARIO PK KO TARGET: a table row; TARGET is the highest acceptable
# packager/ko ratio, or "" for none.
row() {
  local r met="—" target="—"
  r="$(ratio "$2" "$3")"
  if [ -n "$4" ]; then
    target="≤ $4"
    met="$(meets "$r" "$4")"
  fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(fmt_val "$2")" "$(fmt_val "$3")" "$r" "$target" "$met"
}
# fmt V: seconds get an "s".
fmt_val() { if [[ "$1" =~ ^[0-9]+\.[0-9]+$ ]]; then printf '%.2f s' "$1"; else printf '%s' "$1"; fi; }
# size_row SCENARIO PK KO TARGET: like row, for bytes.
size_row() {
  local r met="—" target="—"
  r="$(ratio "$2" "$3")"
  if [ -n "$4" ]; then
    target="≤ $4"
    met="$(meets "$r" "$4")"
  fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(mb "$2")" "$(mb "$3")" "$r" "$target" "$met"
}
zero_row() {
  local met=no
  [ "$2" = 0 ] && met=yes
  printf '| %s | %s B | %s B | — | packager = 0 | %s |\n' "$1" "$2" "$3" "$met"
}

gob_ratio="$(ratio "${R[warm-crane-pk]}" "${R[gob-same]}")"
fanin_rows=""
for prog in hello crane; do
  if [ -n "${R[fanin-$prog-pk]:-}" ]; then
    fanin_rows+="$(row "$prog: multi-arch cold, packager fan-in (2 single-platform pushes in parallel + index create)" \
      "${R[fanin-$prog-pk]}" "${R[multi-$prog-ko]}" 1.0)"$'\n'
  fi
done

table() {
  cat <<EOF
| scenario | packager | ko | packager/ko | target | met |
|---|---|---|---|---|---|
$(row "hello: cold build+push" "${R[cold-hello-pk]}" "${R[cold-hello-ko]}" "")
$(row "hello: warm no-change rebuild+push" "${R[warm-hello-pk]}" "${R[warm-hello-ko]}" 0.8)
$(row "hello: one-line change rebuild+push" "${R[edit-hello-pk]}" "${R[edit-hello-ko]}" 0.8)
$(row "hello: multi-arch (amd64+arm64) cold" "${R[multi-hello-pk]}" "${R[multi-hello-ko]}" 1.0)
$(row "crane: cold build+push" "${R[cold-crane-pk]}" "${R[cold-crane-ko]}" "")
$(row "crane: warm no-change rebuild+push" "${R[warm-crane-pk]}" "${R[warm-crane-ko]}" 0.6)
| crane: warm no-change ÷ plain go build (up to date, no link) | ${gob_ratio} | — | — | ≤ 1.2 | $(meets "$gob_ratio" 1.2) |
$(row "crane: one-line change (copy of its main package) rebuild+push" "${R[edit-crane-edit-pk]}" "${R[edit-crane-edit-ko]}" 0.8)
$(row "crane: multi-arch (amd64+arm64) cold" "${R[multi-crane-pk]}" "${R[multi-crane-ko]}" 1.0)
${fanin_rows}$(size_row "hello: compressed image size (config+layers, amd64)" "${R[size-hello-pk]}" "${R[size-hello-ko]}" "")
$(size_row "hello: app layer" "${R[app-hello-pk]}" "${R[app-hello-ko]}" "")
$(size_row "crane: compressed image size (config+layers, amd64)" "${R[size-crane-pk]}" "${R[size-crane-ko]}" 0.6)
$(size_row "crane: app layer" "${R[app-crane-pk]}" "${R[app-crane-ko]}" "")
$(size_row "crane: size vs ko with its default ldflags (no -s -w)" "${R[size-crane-pk]}" "${R[size-crane-kodefault]}" "")
$(size_row "crane: bytes uploaded, cold push" "${R[coldbytes-crane-pk]}" "${R[coldbytes-crane-ko]}" "")
$(zero_row "hello: bytes uploaded, no-change push (sum of $N)" "${R[nochange-hello-pk]}" "${R[nochange-hello-ko]}")
$(zero_row "crane: bytes uploaded, no-change push (sum of $N)" "${R[nochange-crane-pk]}" "${R[nochange-crane-ko]}")
| hello: digest stable across clean builds ($N) | ${R[stable-hello-pk]} | ${R[stable-hello-ko]} | — | yes | — |
| crane: digest stable across clean builds ($N) | ${R[stable-crane-pk]} | ${R[stable-crane-ko]} | — | yes | — |
| crane: multi-arch index digest stable ($N) | ${R[stablemulti-crane-pk]}${R[stablefanin-crane-pk]:+ (fan-in: ${R[stablefanin-crane-pk]})} | ${R[stablemulti-crane-ko]} | — | yes | — |

Floor, plain \`CGO_ENABLED=0 go build -trimpath -ldflags="-s -w"\` of crane (linux/amd64):
new output path (full link) $(fmt_val "${R[gob-new]}"); same output again (up to date, link skipped) $(fmt_val "${R[gob-same]}").
EOF
}

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
if commit="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null)"; then
  git -C "$REPO_ROOT" diff --quiet HEAD -- ':!bench' || commit+="+dirty"
else
  commit="unknown (not a git checkout)"
fi

report() {
  cat <<EOF
# packager vs ko, $(date -u +%Y-%m-%dT%H:%MZ)

- machine: $(uname -m), ${cpu:-unknown CPU}, $(nproc) cores; load average (1/5/15 min) at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
- $(go version)
- packager: $commit (built from this checkout; \`go build -trimpath -ldflags="-s -w"\`, CGO_ENABLED=0)
- ko: $("$KO" version 2>/dev/null || echo "$KO_VERSION") ($KO_INSTALL; -trimpath and CGO_ENABLED=0 by default, \`defaultLdflags: [-s, -w]\` via KO_CONFIG_PATH; \`-B --sbom=none\`)
- registry: $(docker-registry --version 2>/dev/null | head -n 1) on 127.0.0.1, behind bench/countproxy
- base: packager's built-in \`static\`; ko \`KO_DEFAULTBASEIMAGE\` = the same image pushed by bench/pushbase
- runs: median of N=$N; times are wall clock of the whole command, including process start
- caches: the Go build cache is warm for both tools and all platforms (warmed before timing). "cold" = empty
  PACKAGER_CACHE_DIR for packager, and for ko (which has no cache of its own; KOCACHE unset) just a new
  repository; each cold run pushes to a new repository, so every blob is uploaded (ko mounts the base layer
  from base/static, packager uploads its own copy).

$(table)

Where packager's time goes on a warm no-change push (\`packager build -v\`):
- hello: ${R[verbose-hello]}
- crane: ${R[verbose-crane]}

Raw runs (seconds):
- cold hello: ${R[raw-cold-hello]}
- cold crane: ${R[raw-cold-crane]}
- warm hello: ${R[raw-warm-hello]}
- warm crane: ${R[raw-warm-crane]}
- one-line change hello: ${R[raw-edit-hello]}
- one-line change crane copy: ${R[raw-edit-crane-edit]}
- multi-arch hello: ${R[raw-multi-hello]}
- multi-arch crane: ${R[raw-multi-crane]}
- plain go build crane, new output: ${new_t[*]}; same output: ${same_t[*]}
EOF
  if [ "$MULTI" = fallback ]; then
    printf '\nThis packager refused %s ("not supported yet"); the multi-arch rows\n' "\`--platform $PLATFORMS\`"
    printf 'for packager are the fan-in fallback. Rerun on a packager that builds indexes.\n'
  fi
}

out=$(results_file "$(date -u +%Y-%m-%d)")
report >"$out"
table
log "wrote $out"
