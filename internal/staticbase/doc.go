// Package staticbase holds the accounts of packager's built-in static base
// image: the one list oci writes into that base's /etc/passwd and
// /etc/group, and config checks a user: name against without reading any
// image. config and oci must not import each other, so the fact they share
// lives here, in a leaf package that imports nothing of packager's.
//
// (A shared vocabulary package is planned; this list can move there.)
package staticbase
