#!/bin/sh
# Times `docker build` of a Dockerfile against `packager build` of the
# packager.yaml `packager convert` writes from it, on the same machine in the
# same run, and prints a Markdown table: image size, cold and warm build time,
# and whether two builds give the same digest.
#
#   ./bench/convert-vs-docker.sh [CORPUS_FILE]   # default real/several-binaries.Dockerfile
#
# CORPUS_FILE is relative to internal/convert/testdata. Bases are the local
# stand-ins of bench/standins.sh (no pulls); docker build uses the legacy
# builder, the only one this engine has (no buildx). Cold: docker build
# --no-cache, packager with an empty cache dir; both start with a build
# cache that holds the standard library and nothing else. Warm:
# the same build again with nothing changed. Progress goes to stderr.
set -eu
file=${1:-real/several-binaries.Dockerfile}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
id=bench$$
trap 'docker rmi -f packager-bench/docker:$id packager-bench/docker:$id-2 >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
gotag=$(sh "$repo/bench/standins.sh")
(cd "$repo" && go build -o "$work/packager" ./cmd/packager)
ctx=$work/ctx
mkdir -p "$ctx"
cp "$repo/internal/convert/testdata/$file" "$ctx/Dockerfile"
printf 'module example.com/app\n\ngo 1.26\n' >"$ctx/go.mod"
: >"$ctx/go.sum"
(cd "$ctx" && "$work/packager" convert -o packager.yaml 2>/dev/null)
# A main package for every main: the converted file names.
for m in $(grep -o 'main: \./[^ ]*' "$ctx/packager.yaml" | cut -d' ' -f2) $(grep -o '^    main: \.$' "$ctx/packager.yaml" | cut -d' ' -f6); do
	mkdir -p "$ctx/$m"
	printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n' >"$ctx/$m/main.go"
done
sed -i -E "s#^(FROM +(--platform=[^ ]+ +)?)golang:[^ ]+#\1$gotag#" "$ctx/Dockerfile"
sed -i -E 's#^FROM +gcr\.io/distroless/[^ ]*nonroot[^ ]*#FROM packager-standin/distroless-static:nonroot#; s#^FROM +gcr\.io/distroless/[^ ]+#FROM packager-standin/distroless-static:latest#' "$ctx/Dockerfile"

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc | awk '{printf "%.1f", $1}'; }

dbuild() { # tag [docker build flags]
	tag=$1
	shift
	(cd "$ctx" && DOCKER_BUILDKIT=0 docker build -q "$@" -t "packager-bench/docker:$tag" . 2>/dev/null)
}
echo "docker build, cold" >&2
t0=$(now); d1=$(dbuild "$id" --no-cache); t1=$(now)
echo "docker build, warm" >&2
d2=$(dbuild "$id"); t2=$(now)
echo "docker build, cold again (digest stability)" >&2
d3=$(dbuild "$id-2" --no-cache)
dsize=$(docker image inspect -f '{{.Size}}' "packager-bench/docker:$id")

pbuild() { # cachedir gocache
	(cd "$ctx" && PACKAGER_CACHE_DIR=$1 GOCACHE=$2 "$work/packager" build --tarball "$work/img.tar" 2>/dev/null | sed 's/.*@//')
}
# Like the stand-in builder, packager starts with the standard library
# compiled and nothing else.
for gc in "$work/gc1" "$work/gc2"; do
	GOCACHE=$gc CGO_ENABLED=0 go build std
	GOCACHE=$gc CGO_ENABLED=0 go build -trimpath std
done
echo "packager build, cold" >&2
t3=$(now); p1=$(pbuild "$work/pc1" "$work/gc1"); t4=$(now)
echo "packager build, warm" >&2
p2=$(pbuild "$work/pc1" "$work/gc1"); t5=$(now)
echo "packager build, cold again (digest stability)" >&2
p3=$(pbuild "$work/pc2" "$work/gc2")
for d in "$p1" "$p2" "$p3" "$d1" "$d3"; do
	case $d in sha256:*) ;; *) echo "a build failed (digest \"$d\"); rerun with the commands above by hand" >&2; exit 1 ;; esac
done
psize=$(docker load -i "$work/img.tar" | sed -n 's/^Loaded image: //p' | head -1 | xargs docker image inspect -f '{{.Size}}')

short() { echo "$1" | cut -c1-19; }
same() { [ "$1" = "$2" ] && echo "yes ($(short "$1"))" || echo "no ($(short "$1") vs $(short "$2"))"; }
cat <<EOT
$file, $(date -u +%Y-%m-%d), $(uname -m), $(nproc) cores, $(go version | cut -d' ' -f3), Docker engine $(docker version -f '{{.Server.Version}}') (legacy builder)

| | docker build | packager build |
|---|---|---|
| image size (docker image inspect) | $dsize B | $psize B |
| cold build | $(secs "$t0" "$t1") s | $(secs "$t3" "$t4") s |
| warm build, nothing changed | $(secs "$t1" "$t2") s | $(secs "$t4" "$t5") s |
| same digest on two cold builds | $(same "$d1" "$d3") | $(same "$p1" "$p3") |
EOT
