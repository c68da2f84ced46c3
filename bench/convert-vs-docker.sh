#!/bin/sh
# Times `docker build` of Dockerfiles against `packager build` of the
# packager.yaml `packager convert` writes from each, on the same machine in
# the same run, and prints a Markdown table, one row per file: image size,
# cold and warm build time, and whether two cold builds give the same digest.
#
#   ./bench/convert-vs-docker.sh [CORPUS_FILE...]
#
# CORPUS_FILE is relative to internal/convert/testdata; the default is every
# file TestConvertSideBySide (cmd/packager/e2e_convert_test.go) builds, with
# the build args it gives. Bases are the local stand-ins of bench/standins.sh
# (no pulls); docker build uses the legacy builder, the only one this engine
# has (no buildx). Cold: docker build --no-cache, packager with an empty cache
# dir; both start with a Go build cache that holds the standard library and
# nothing else. Warm: the same build again with nothing changed. Progress
# goes to stderr.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
id=bench$$
trap 'docker rmi -f packager-bench/docker:$id packager-bench/docker:$id-2 >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
gotag=$(sh "$repo/bench/standins.sh")
(cd "$repo" && go build -o "$work/packager" ./cmd/packager)
# Like the stand-in builder, packager starts with the standard library
# compiled and nothing else: one such cache, copied for every cold build.
GOCACHE=$work/gc CGO_ENABLED=0 go build std
GOCACHE=$work/gc CGO_ENABLED=0 go build -trimpath std

# corpus prints "FILE ARG=VAL..." per line of TestConvertSideBySide's table.
corpus() {
	grep -o '{file: "[^"]*"[^}]*}*' "$repo/cmd/packager/e2e_convert_test.go" |
		sed -E 's/\{file: "([^"]*)".*/\1/; t; d' |
		while read -r f; do
			args=$(grep -F "{file: \"$f\"" "$repo/cmd/packager/e2e_convert_test.go" |
				grep -o 'args: map\[string\]string{[^}]*}' | grep -o '"[^"]*": "[^"]*"' | sed -E 's/"([^"]*)": "([^"]*)"/\1=\2/' | tr '\n' ' ')
			echo "$f $args"
		done
}

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc | awk '{printf "%.1f", $1}'; }
short() { echo "$1" | cut -c8-19; }
same() { [ "$1" = "$2" ] && echo "yes" || echo "no ($(short "$1") vs $(short "$2"))"; }
size() { awk -v b="$1" 'BEGIN{printf "%.2f MB", b/1e6}'; }

# context FILE: a build context in $ctx with the Dockerfile (stand-in
# bases), its conversion, and every main package and file it names.
context() {
	ctx=$work/ctx
	rm -rf "$ctx"
	mkdir -p "$ctx"
	cp "$repo/internal/convert/testdata/$1" "$ctx/Dockerfile"
	printf 'module example.com/app\n\ngo 1.26\n' >"$ctx/go.mod"
	: >"$ctx/go.sum"
	(cd "$ctx" && "$work/packager" convert -o packager.yaml 2>/dev/null)
	for m in $(grep -oE 'main: [^ ]+' "$ctx/packager.yaml" | cut -d' ' -f2 | sed 's#^example.com/app/#./#'); do
		mkdir -p "$ctx/$m"
		printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n' >"$ctx/$m/main.go"
	done
	for s in $(grep -oE '\{src: [^,]+' "$ctx/packager.yaml" | cut -d' ' -f2); do
		case $s in
		*/) mkdir -p "$ctx/$s" && echo hi >"$ctx/$s/index.html" ;;
		*) mkdir -p "$(dirname "$ctx/$s")" && echo "$s" >"$ctx/$s" ;;
		esac
	done
	sed -i -E "s#^(FROM +(--platform=[^ ]+ +)?)golang:[^ ]+#\1$gotag#I" "$ctx/Dockerfile"
	sed -i -E 's#^FROM +gcr\.io/distroless/[^ ]*nonroot[^ ]*#FROM packager-standin/distroless-static:nonroot#I; s#^FROM +gcr\.io/distroless/[^ ]+#FROM packager-standin/distroless-static:latest#I' "$ctx/Dockerfile"
}

dbuild() { # tag [docker build flags]
	tag=$1
	shift
	(cd "$ctx" && DOCKER_BUILDKIT=0 docker build -q $buildargs "$@" -t "packager-bench/docker:$tag" . 2>/dev/null)
}
pbuild() { # cachedir gocache
	(cd "$ctx" && env $envargs PACKAGER_CACHE_DIR="$1" GOCACHE="$2" "$work/packager" build --tarball "$work/img.tar" 2>/dev/null | sed 's/.*@//')
}

# one FILE [ARG=VAL...] prints the table row of FILE.
one() {
	file=$1
	shift
	buildargs="" envargs=""
	for a in "$@"; do
		buildargs="$buildargs --build-arg $a"
		envargs="$envargs $a"
	done
	context "$file"
	echo "$file: docker build, cold, warm, cold again" >&2
	t0=$(now); d1=$(dbuild "$id" --no-cache); t1=$(now)
	d2=$(dbuild "$id"); t2=$(now)
	d3=$(dbuild "$id-2" --no-cache)
	dsize=$(docker image inspect -f '{{.Size}}' "packager-bench/docker:$id")
	echo "$file: packager build, cold, warm, cold again" >&2
	rm -rf "$work/gc1" "$work/gc2" "$work/pc1" "$work/pc2"
	cp -a "$work/gc" "$work/gc1"
	cp -a "$work/gc" "$work/gc2"
	t3=$(now); p1=$(pbuild "$work/pc1" "$work/gc1"); t4=$(now)
	p2=$(pbuild "$work/pc1" "$work/gc1"); t5=$(now)
	p3=$(pbuild "$work/pc2" "$work/gc2")
	for d in "$p1" "$p2" "$p3" "$d1" "$d2" "$d3"; do
		case $d in sha256:*) ;; *) echo "$file: a build failed (digest \"$d\")" >&2; echo "| $file | failed | | | | | | | |"; return ;; esac
	done
	psize=$(docker load -i "$work/img.tar" | sed -n 's/^Loaded image: //p' | head -1 | xargs docker image inspect -f '{{.Size}}')
	echo "| $file | $(size "$dsize") | $(size "$psize") | $(secs "$t0" "$t1") s | $(secs "$t3" "$t4") s | $(secs "$t1" "$t2") s | $(secs "$t4" "$t5") s | $(same "$d1" "$d3") | $(same "$p1" "$p3") |"
}

echo "$(date -u +%Y-%m-%d), $(uname -m), $(nproc) cores, $(go version | cut -d' ' -f3), Docker engine $(docker version -f '{{.Server.Version}}') (legacy builder)"
echo
echo "| file | size, docker | size, packager | cold, docker | cold, packager | warm, docker | warm, packager | same digest twice, docker | same digest twice, packager |"
echo "|---|---|---|---|---|---|---|---|---|"
if [ $# -gt 0 ]; then
	for f in "$@"; do one "$f"; done
else
	corpus >"$work/corpus"
	while read -r line; do
		# shellcheck disable=SC2086 # FILE and its ARG=VAL words
		one $line </dev/null
	done <"$work/corpus"
fi
