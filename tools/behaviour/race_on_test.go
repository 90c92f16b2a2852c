//go:build race

package behaviour

// raceDetector is true in the -race pass of the behaviour tests.
const raceDetector = true
