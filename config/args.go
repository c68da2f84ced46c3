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
		if !dirArg(a) {
			continue
		}
		if !filepath.IsAbs(a) {
			a = filepath.Join(workDir, a)
		}
		if rel, ok := relArg(configDir, a); ok {
			out[i] = rel
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
		if !dirArg(pkg) || filepath.IsAbs(pkg) {
			continue
		}
		if rel, ok := relArg(workDir, filepath.Join(configDir, pkg)); ok {
			out[i] = rel
		}
	}
	return out
}

// dirArg reports whether a package argument names a directory (".", "..",
// "./x", "../x" or an absolute path), as go reads it, not an import path.
func dirArg(a string) bool {
	return a == "." || a == ".." || strings.HasPrefix(a, "./") || strings.HasPrefix(a, "../") || filepath.IsAbs(a)
}

// relArg writes dir relative to base as go takes a directory argument:
// ".", "./x", ".." or "../x".
func relArg(base, dir string) (string, bool) {
	rel, err := filepath.Rel(base, dir)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") {
		return rel, true
	}
	return "./" + rel, true
}
