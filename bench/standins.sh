#!/bin/sh
# Creates, without any pull, the local images docker build needs for the
# side-by-side comparison of packager convert (cmd/packager/e2e_convert_test.go,
# bench/convert-vs-docker.sh):
#   packager-standin/golang:GOVERSION  the host's /usr/local/go on a minimal
#       rootfs (/bin/sh, mkdir and their libraries, CA certificates, zoneinfo,
#       and an `apk` that does nothing, since golang:*-alpine builders run
#       `apk add ca-certificates tzdata`, which this image already has)
#   packager-standin/distroless-static:nonroot and :latest  an empty rootfs
#       with distroless static's config (PATH, SSL_CERT_FILE; :nonroot also
#       USER 65532 and WORKDIR /home/nonroot)
#   Its build cache holds the standard library (CGO_ENABLED=0, with and
#   without -trimpath), as a CI runner's cache would.
# Prints the golang tag. Images that exist are kept (the tags name their
# content), so concurrent runs agree.
set -eu
govers=$(/usr/local/go/bin/go env GOVERSION)
gotag=packager-standin/golang:$govers-warm
path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if ! docker image inspect "$gotag" >/dev/null 2>&1; then
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root/bin" "$root/sbin" "$root/tmp" "$root/root" "$root/go" "$root/etc/ssl/certs" "$root/usr/share"
	chmod 1777 "$root/tmp"
	for b in sh mkdir; do
		cp -L "$(command -v $b)" "$root/bin/$b"
		for lib in $(ldd "$(command -v $b)" | grep -o '/[^ ]*'); do
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
	printf '#!/bin/sh\nexit 0\n' >"$root/sbin/apk"
	chmod 755 "$root/sbin/apk"
	cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
	cp -rL /usr/share/zoneinfo "$root/usr/share/"
	# A warm build cache for the standard library, as a CI runner's would
	# be: otherwise every docker build spends minutes compiling it.
	mkdir -p "$root/root/.cache"
	GOCACHE="$root/root/.cache/go-build" CGO_ENABLED=0 GOFLAGS= /usr/local/go/bin/go build std
	GOCACHE="$root/root/.cache/go-build" CGO_ENABLED=0 GOFLAGS= /usr/local/go/bin/go build -trimpath std
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
	printf 'root:x:0:\n' >"$root/etc/group"
	tar -cf - -C "$root" . -C / --exclude=usr/local/go/test --exclude=usr/local/go/doc \
		--exclude=usr/local/go/api --exclude=usr/local/go/misc usr/local/go |
		docker import \
			--change "ENV PATH=/go/bin:/usr/local/go/bin:$path" \
			--change "ENV GOPATH=/go" --change "ENV HOME=/root" \
			--change "ENV GOTOOLCHAIN=local" --change "ENV GOPROXY=off" --change "ENV GOFLAGS=-mod=mod" \
			--change "WORKDIR /go" - "$gotag" >/dev/null
fi
for variant in nonroot latest; do
	tag=packager-standin/distroless-static:$variant
	docker image inspect "$tag" >/dev/null 2>&1 && continue
	dir=$(mktemp -d)
	mkdir -p "$dir/etc" "$dir/home/nonroot"
	printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$dir/etc/passwd"
	set -- --change "ENV PATH=$path" --change "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"
	if [ "$variant" = nonroot ]; then
		set -- "$@" --change "USER 65532" --change "WORKDIR /home/nonroot"
	fi
	tar -cf - -C "$dir" . | docker import "$@" - "$tag" >/dev/null
	rm -rf "$dir"
done
echo "$gotag"
