// Package termprogress draws a build's progress live on a terminal: a line
// per image × platform (compiling, assembling, built with its size and
// time) and one per output (bytes uploaded of the images' size).
// cmd/packager feeds it the pipeline's events (this package does not import
// the pipeline; only cmd does), so nothing deep in the libraries prints; it
// is used when stderr is a terminal, plain log lines otherwise. Rendering is
// github.com/vbauerster/mpb/v8.
package termprogress
