package config

// keyDoc documents one key of packager.yaml. It is the single table behind the
// "expected ..., e.g." messages and the descriptions in the JSON Schema, so the
// two never disagree. A key means the same wherever it appears (main: in an
// image and in a binaries: entry), so one entry per key name is enough.
type keyDoc struct {
	desc    string // one or two sentences for editors (JSON Schema description)
	example string // the key written correctly, for error messages
	item    string // for lists of mappings: one entry written correctly
}

var keyDocs = map[string]keyDoc{
	// Top level.
	"repo":         {desc: "Registry repository images are pushed to; each image goes to <repo>/<name>.", example: `repo: ghcr.io/you/project`},
	"platforms":    {desc: "Platforms to build, os/arch[/variant], or [all] alone for every platform the base has. Default [linux/amd64]. Per image, replaces the top-level list.", example: `platforms: [linux/amd64, linux/arm64]`},
	"base":         {desc: "The image the binary is added to: static (default), scratch, oci:DIR[:TAG] or an image reference.", example: `base: static`},
	"remote_cache": {desc: "Registry repository holding a Go build cache shared by every runner (GOCACHEPROG); --remote-cache and $PACKAGER_REMOTE_CACHE win.", example: `remote_cache: ghcr.io/you/gocache`},
	"defaults":     {desc: "Settings applied to every image; an image's own value wins.", example: `defaults: {tags: [latest]}`},
	"images":       {desc: "The images to build.", example: `images: [{main: ./cmd/app}]`, item: `- main: ./cmd/app`},

	// Per image.
	"name":     {desc: "Image name, the last part of its repository. Default: derived from the (first) main package.", example: `name: hello`},
	"main":     {desc: "The main package: relative to dir (./cmd/app, .) or a full import path.", example: `main: ./cmd/app`},
	"binaries": {desc: "Several main packages in one image, instead of main:. The first is the entrypoint and names the image.", example: `binaries: [{main: ./cmd/server}, {main: ./cmd/migrate}]`, item: `- main: ./cmd/server`},
	"dir":      {desc: "Directory go build runs in, relative to this file's directory. Default: this file's directory.", example: `dir: .`},
	"path":     {desc: "Absolute path of the binary in the image. Default /usr/local/bin/<name>.", example: `path: /usr/local/bin/hello`},

	// Settings, per image or under defaults:.
	"tags":        {desc: "Tags to publish. Default [latest]. May contain templates such as {{.Git.Tag}}.", example: `tags: [latest, v1]`},
	"user":        {desc: "User the container runs as: uid, uid:gid, name or name:group. Default 65532:65532; root only when written.", example: `user: "65532:65532"`},
	"entrypoint":  {desc: "The image's ENTRYPOINT. Default [<path>]; [] means none.", example: `entrypoint: ["/usr/local/bin/hello", "serve"]`},
	"args":        {desc: "The image's CMD: arguments after the entrypoint.", example: `args: ["--port", "8080"]`},
	"env":         {desc: "Container environment. Merged with defaults key by key. Values may contain templates.", example: `env: {TZ: UTC}`},
	"build_env":   {desc: "Extra environment for go build (GOFLAGS, GOEXPERIMENT, ...). Merged with defaults key by key.", example: `build_env: {GOFLAGS: -mod=vendor}`},
	"ldflags":     {desc: "Linker flags after packager's own -s -w. Defaults first, then the image's. May contain templates.", example: `ldflags: ["-X main.version=1.0"]`},
	"flags":       {desc: "Extra go build flags. Defaults first, then the image's.", example: `flags: ["-tags=netgo"]`},
	"cgo":         {desc: "Build with CGO_ENABLED=1; needs a base with a C library.", example: `cgo: true`},
	"ports":       {desc: "Exposed ports, PORT or PORT/PROTO with proto tcp, udp or sctp; normalised to 8080/tcp.", example: `ports: ["8080/tcp", "53/udp"]`},
	"workdir":     {desc: "Working directory of the container: an absolute, clean path.", example: `workdir: /srv`},
	"volumes":     {desc: "Volume mount points: absolute paths.", example: `volumes: [/data]`},
	"stopsignal":  {desc: "Signal that stops the container: a Linux signal name such as SIGTERM, or a number 1-64.", example: `stopsignal: SIGTERM`},
	"healthcheck": {desc: "How to check the container is healthy. Replaces the default's healthcheck as a whole.", example: `healthcheck: {test: [/usr/local/bin/app, -healthcheck], interval: 10s}`},
	"labels":      {desc: "Labels in the image config. Merged with defaults key by key. Values may contain templates.", example: `labels: {org.opencontainers.image.source: https://github.com/you/project}`},
	"annotations": {desc: "Annotations on the image manifest. Merged with defaults key by key.", example: `annotations: {org.opencontainers.image.licenses: MIT}`},
	"files":       {desc: "Files or directories to add to the image; src must stay inside the module.", example: `files: [{src: static/, dst: /srv/static}]`, item: `- {src: static/, dst: /srv/static}`},
	"ca_certs":    {desc: "Extra PEM files of CA certificates to trust, relative to this file's directory.", example: `ca_certs: [certs/private-ca.pem]`},
	"tzdata":      {desc: "Add the time zone database (/usr/share/zoneinfo) to the image.", example: `tzdata: true`},

	// Inside healthcheck:.
	"test":         {desc: "The check command. Starts with CMD, CMD-SHELL or NONE; otherwise CMD is assumed.", example: `test: [/usr/local/bin/app, -healthcheck]`},
	"interval":     {desc: "Time between checks, e.g. 10s. More than 0.", example: `interval: 10s`},
	"timeout":      {desc: "How long one check may take, e.g. 3s. More than 0.", example: `timeout: 3s`},
	"start_period": {desc: "Grace period after start during which failures do not count, e.g. 5s. More than 0.", example: `start_period: 5s`},
	"retries":      {desc: "Consecutive failures that make the container unhealthy; 0 or more.", example: `retries: 3`},

	// Inside a files: entry.
	"src":  {desc: "The file or directory to copy, relative to this file's directory. Must exist and stay inside the module, also through symlinks.", example: `src: static/`},
	"dst":  {desc: "Where it goes in the image: an absolute path without '..'.", example: `dst: /srv/static`},
	"mode": {desc: "Octal permission bits up to 07777, e.g. 0644. Default: the source's bits less group/other write (never wider than on disk, no setuid).", example: `mode: 0644`},
	"uid":  {desc: "Owner uid, 0 to 2147483647. Default 0.", example: `uid: 65532`},
	"gid":  {desc: "Owner gid, 0 to 2147483647. Default 0.", example: `gid: 65532`},
}
