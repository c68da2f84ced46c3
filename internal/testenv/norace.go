//go:build !race

package testenv

// RaceEnabled reports that the tests run under the race detector, which
// makes them slower and multiplies their memory.
const RaceEnabled = false
