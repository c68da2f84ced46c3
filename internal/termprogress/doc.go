// Package termprogress draws a build's progress live on a terminal: a line
// per image × platform (compiling, assembling, built with its size and
// time) and one per output (bytes uploaded of the images' size). It
// listens to the pipeline's events, so nothing deep in the libraries
// prints; cmd/packager uses it when stderr is a terminal and plain log
// lines otherwise. Rendering is github.com/vbauerster/mpb/v8.
package termprogress
