package pipeline

import (
	"strings"

	"github.com/packager-dev/packager/config"
	"github.com/packager-dev/packager/internal/gomod"
)

// Naming says where in the repo an image is pushed, as ko's flags do.
type Naming int

const (
	// NameByImage pushes to REPO/NAME: the image's name, which for an image
	// without name: is the last element of its import path (ko's -B).
	NameByImage Naming = iota
	// NameBare pushes to REPO itself (ko's --bare); one image per repo.
	NameBare
	// NamePreserveImportPath pushes to REPO/IMPORT/PATH, lowercased (ko's -P).
	NamePreserveImportPath
)

// repository is where t is published. Without a repo it is the image's
// name alone: layouts and tarballs need no registry.
func (n Naming) repository(t config.Target) string {
	if t.Repo == "" {
		return t.Name
	}
	repo := strings.TrimSuffix(t.Repo, "/")
	switch n {
	case NameBare:
		return repo
	case NamePreserveImportPath:
		if ip, ok := gomod.ImportPath(t.Dir, t.Main); ok {
			return repo + "/" + strings.ToLower(ip)
		}
	}
	return repo + "/" + t.Name
}
