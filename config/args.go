package config

import (
	"path/filepath"
	"strings"
)

// PackageArgs makes directory-style package arguments ("./cmd/app", "..",
// an absolute path), which the user wrote relative to workDir, relative to
// configDir, packager.yaml's directory, where Targets reads them and its
// images' main: values. Import paths are left as they are.
func PackageArgs(args []string, workDir, configDir string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a != "." && !strings.HasPrefix(a, "./") && !strings.HasPrefix(a, "../") && !filepath.IsAbs(a) {
			continue // an import path
		}
		if !filepath.IsAbs(a) {
			a = filepath.Join(workDir, a)
		}
		if rel, err := filepath.Rel(configDir, a); err == nil {
			out[i] = "./" + filepath.ToSlash(rel)
			if rel == "." {
				out[i] = "."
			}
		}
	}
	return out
}

// ArgsFromConfigDir is the inverse of PackageArgs: it makes packages
// written relative to configDir (as packager.yaml and the provenance record
// them) into arguments relative to workDir, as PackageArgs takes them.
// Import paths are left as they are.
func ArgsFromConfigDir(pkgs []string, workDir, configDir string) []string {
	out := make([]string, len(pkgs))
	for i, pkg := range pkgs {
		out[i] = pkg
		if pkg != "." && !strings.HasPrefix(pkg, "./") && !strings.HasPrefix(pkg, "../") {
			continue // an import path
		}
		if rel, err := filepath.Rel(workDir, filepath.Join(configDir, pkg)); err == nil {
			out[i] = "./" + filepath.ToSlash(rel)
		}
	}
	return out
}
