// Package vocab is the vocabulary config, builder and oci share: target
// platforms, exposed ports and stop signals, each parsed and checked by one
// rule. Those three packages never import each other, so whatever all of
// them must agree on lives here, once.
//
// vocab is a leaf: it imports only the standard library.
package vocab
