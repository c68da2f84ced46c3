// Package config reads packager.yaml and turns it, together with CLI
// overrides, into fully-resolved build targets.
//
// It is pure apart from one check: it reads the one file Load is given (Find
// and LoadNearest first look for it from a directory up to the module root),
// and Targets looks whether the paths under files: (src) and ca_certs: exist,
// where they lead through symlinks and where the module's go.mod is;
// nothing else (no environment, no go command, no network), and it never prints. Problems come
// back as *Error values joined with errors.Join, each with file:line:col, the
// field, and what to write instead, so a user can fix every mistake in one pass.
//
// Use it in two steps: Load (or Parse, or Empty for flag-only builds) checks
// syntax and shape; File.Targets applies Overrides and defaults and validates
// the values.
//
// Package arguments are written relative to the working directory, and
// packager.yaml's are relative to its own directory: PackageArgs maps the
// first to the second, ArgsFromConfigDir back.
//
// # The file format
//
//	repo: 127.0.0.1:5000/team     # optional; images go to <repo>/<name>
//	platforms: [linux/amd64, linux/arm64]  # default [linux/amd64]; [all] alone: every platform (see "Platforms")
//	base: static                  # default static; see "Bases" below
//	defaults:                     # settings applied to every image (see "Settings")
//	  ldflags: ["-X main.version=1.2"]
//	  env: {TZ: UTC}
//	images:
//	  - name: hello               # optional; derived from main (see "Names")
//	    main: ./examples/hello    # required (or binaries:): "./dir" relative to dir, ".", or a full import path
//	    binaries:                 # instead of main: several main packages in one image; the first
//	      - main: ./cmd/server    # is the entrypoint and names the image
//	        path: /usr/local/bin/server   # default /usr/local/bin/<name derived from main>
//	    platforms: [linux/arm64]  # optional; replaces the top-level platforms for this image
//	    dir: .                    # optional; where go runs, relative to this file's directory (the default)
//	    base: scratch             # optional; overrides the top-level base
//	    path: /usr/local/bin/hello  # optional; where the binary goes, default /usr/local/bin/<name>;
//	                              # absolute and clean, not "/"
//	    # settings, also allowed under defaults:
//	    tags: [latest, v1]        # default [latest]
//	    user: "65532:65532"       # default "65532:65532"; uid, uid:gid, name or name:group.
//	                              # root only when written: user: root (or "0", "0:0")
//	    entrypoint: ["/usr/local/bin/hello", "serve"]  # default [<path>]; [] means none
//	    args: ["--port", "8080"]  # the image's CMD
//	    env: {GREETING: hi}       # runtime environment; keys match [A-Za-z_][A-Za-z0-9_]*
//	    build_env: {GOEXPERIMENT: ""}  # extra environment for go build (GOFLAGS, GOEXPERIMENT, ...)
//	    ldflags: ["-X main.version=1.2"]  # appended after packager's own "-s -w -buildid="
//	    flags: ["-tags=netgo"]    # extra go build flags
//	    cgo: false                # opt in to CGO_ENABLED=1; needs a registry or oci: base (one with libc)
//	    ports: ["8080/tcp", 53/udp]   # PORT[/tcp|udp|sctp], normalised to "8080/tcp"
//	    workdir: /srv             # absolute, clean
//	    volumes: [/data]          # absolute, clean
//	    stopsignal: SIGTERM       # a Linux signal name or a number 1-64
//	    healthcheck:              # test required; CMD is prepended unless it starts with CMD, CMD-SHELL or NONE
//	      {test: [/usr/local/bin/hello, -healthcheck], interval: 10s, timeout: 3s, start_period: 5s, retries: 3}
//	    labels: {team: core}      # image config labels
//	    annotations: {org.opencontainers.image.licenses: MIT}  # manifest annotations
//	    files:                    # src relative to this file's directory, must exist and stay inside the
//	                              # module (symlinks resolved); dst absolute, no "..", not over a binary
//	      - {src: static/, dst: /srv/static, mode: 0644, uid: 65532, gid: 65532}
//	    ca_certs: [certs/private-ca.pem]  # extra CA certificates, relative to this file's directory
//	    tzdata: true              # add /usr/share/zoneinfo
//
// Unknown keys, duplicate keys and values of the wrong kind are errors, with a
// did-you-mean for near misses. So is a NUL character in any value. Load reads
// at most MaxFileSize (4 MiB); LoadContext also stops when its context ends. A key written with no value ("tags:") counts as
// not set. An empty file, or one without images:, is valid; Targets then builds
// only the packages named on the command line.
//
// # Merging defaults into an image
//
//   - ldflags, flags: defaults first, then the image's (appended).
//   - env, build_env, labels, annotations: maps merged; the image's value
//     wins for the same key.
//   - tags, user, entrypoint, args, cgo, ports, workdir, volumes, stopsignal,
//     files, ca_certs, tzdata: the image's value replaces the default when
//     the image sets it (lists as a whole).
//   - healthcheck: replaced as a whole, never field by field.
//   - base: the image's, else the top-level one, else "static".
//
// CLI overrides (see Overrides) win over all of these: --repo, --platform,
// --base and --tag replace the file's values for every image.
//
// # Bases
//
//   - static: packager's own minimal base for static Go binaries.
//   - scratch: an empty image.
//   - oci:DIR or oci:DIR:TAG: an image in an OCI layout directory; DIR is relative
//     to this file's directory and is made absolute in Target.Base.
//   - any image reference: gcr.io/distroless/static:nonroot, or pinned by digest.
//
// A bare word close to static or scratch ("statik") is reported as a typo
// rather than taken as a Docker Hub image.
//
// # Platforms
//
// Known platforms: linux/386, linux/amd64, linux/amd64/v2, linux/amd64/v3,
// linux/amd64/v4, linux/arm (= linux/arm/v7), linux/arm/v6, linux/arm/v7,
// linux/arm64, linux/arm64/v8 (= linux/arm64), linux/ppc64le, linux/riscv64,
// linux/s390x. A platform may not be listed twice in the file ("linux/arm" and
// "linux/arm/v7" are one); repeats in --platform are dropped.
//
// platforms: [all] (alone) means every platform: for the built-in bases it is
// linux/386, linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64,
// linux/ppc64le, linux/riscv64, linux/s390x; for any other base
// Target.AllPlatforms is set and Platforms left empty, and the caller asks the
// base which platforms it has.
//
// # Templates
//
// Values of tags, ldflags, env and labels may contain Go templates
// ("{{.Git.Tag}}"). config does not render them and skips format checks on
// them (a templated tag is not checked as a tag); the caller renders them at
// build time. File.Templates lists them for a syntax check, and Target.At
// gives the position of each value a later stage may fail on.
//
// # Names
//
// An image without name: is named after its package: for a directory package,
// the last element of dir joined with main ("." in /src/api gives "api"); for an
// import path, its last element, skipping a major-version suffix
// ("example.com/tool/v2" gives "tool"). The result is lowercased and characters
// a repository component cannot contain become "-". Names must be unique, since
// each image is pushed to <repo>/<name>.
package config
