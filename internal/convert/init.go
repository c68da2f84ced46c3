package convert

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Main is one main package for Init: Rel is its directory relative to where
// packager.yaml goes ("." or "cmd/api"), ImportPath its import path.
type Main struct {
	Rel, ImportPath string
}

// Init writes a packager.yaml with one image per main package, with the
// keys a first-time user most often sets shown as comments.
func Init(mains []Main) ([]byte, error) {
	if len(mains) == 0 {
		return nil, errors.New("no main package (package main with func main) under this directory; run packager init at the top of a module that has one")
	}
	f := file{header: []string{
		"Written by `packager init`: one image per main package of the module.",
		"Every key is explained in docs/config.md. Common ones:",
		"  repo: ghcr.io/you             # push to <repo>/<name>; without it images go to dist/oci",
		"  platforms: [linux/amd64, linux/arm64]",
		"  defaults:",
		"    ldflags: [\"-X main.version={{.Version}}\"]",
		"    tags: [latest, '{{.Git.Tag | default \"dev\"}}']",
		"Per image: ports, env, args, user, files, healthcheck, labels, base.",
	}}
	names := map[string]int{}
	for _, m := range mains {
		main := "."
		if m.Rel != "." && m.Rel != "" {
			main = "./" + filepath.ToSlash(m.Rel)
		}
		img := &image{main: main}
		name := imageName(pkgName(m.ImportPath, ""))
		if names[name]++; names[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, names[name])
		}
		img.name = name
		img.notes.add("name", m.ImportPath)
		f.images = append(f.images, img)
	}
	return f.render()
}

// WriteFile writes data to path through a temporary file in the same
// directory, so an interrupted write leaves no half file. Unless force is
// set, an existing path is an error and is left as it is.
func WriteFile(path string, data []byte, force bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	err = errors.Join(err, tmp.Sync(), tmp.Close())
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if force {
		err = os.Rename(tmp.Name(), path)
	} else {
		// A hard link fails when path exists, so a file created meanwhile
		// is not overwritten either.
		err = os.Link(tmp.Name(), path)
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s exists; pass --force to overwrite it", path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// RelMain is Rel for a package in dir relative to root, or an error when it
// is outside root.
func RelMain(root, dir string) (string, error) {
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is outside %s", dir, root)
	}
	return rel, nil
}
