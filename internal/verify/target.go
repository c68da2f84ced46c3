package verify

import (
	"slices"
	"strings"

	"github.com/packager-dev/packager/config"
)

// PickTarget returns the one target whose main packages are p's; when
// several images build the same packages, the one named as p's subject.
// It reports false when none or more than one is left.
func PickTarget(targets []config.Target, p Provenance) (config.Target, bool) {
	want := slices.Sorted(slices.Values(p.Packages))
	var found []config.Target
	for _, t := range targets {
		var mains []string
		for _, b := range t.Binaries {
			if !slices.Contains(mains, b.Main) {
				mains = append(mains, b.Main)
			}
		}
		slices.Sort(mains)
		if slices.Equal(mains, want) {
			found = append(found, t)
		}
	}
	if len(found) > 1 {
		found = slices.DeleteFunc(found, func(t config.Target) bool {
			return p.SubjectName != t.Name && !strings.HasSuffix(p.SubjectName, "/"+t.Name)
		})
	}
	if len(found) != 1 {
		return config.Target{}, false
	}
	return found[0], true
}
