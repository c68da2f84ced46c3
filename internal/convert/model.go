package convert

// file is the packager.yaml being written, in the order keys are written.
type file struct {
	header    []string // comment lines at the top
	repo      string
	base      string
	defaults  *image // only its settings are written
	platforms []string
	notes     notes // top-level keys: "platforms"
	images    []*image
}

// image is one entry of images:, built up while walking the final stage.
type image struct {
	name, main, dir, base, path string
	binaries                    []binary // set when there is more than one
	platforms                   []string

	user              *string
	entrypoint, args  []string
	hasEntry, hasArgs bool
	env, buildEnv     ordered
	labels            ordered
	ldflags, flags    []string
	cgo               *bool
	ports, volumes    []string
	workdir, stopsig  string
	health            *health
	files             []fileEntry
	caCerts           []string
	tzdata            bool

	notes notes // per key: comment lines written above it
}

type binary struct{ main, path string }

type health struct {
	test                           []string
	interval, timeout, startPeriod string
	retries                        *int
}

type fileEntry struct {
	src, dst, mode string
	uid, gid       *int
}

// ordered is a map that remembers the order keys were first set in, so the
// output follows the Dockerfile.
type ordered struct {
	keys []string
	vals map[string]string
}

func (o *ordered) set(k, v string) {
	if o.vals == nil {
		o.vals = map[string]string{}
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// notes are comment lines per key.
type notes map[string][]string

func (n *notes) add(key, line string) {
	if *n == nil {
		*n = notes{}
	}
	for _, l := range (*n)[key] {
		if l == line {
			return
		}
	}
	(*n)[key] = append((*n)[key], line)
}
