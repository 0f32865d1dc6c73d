// Package ner is newsgraph's entity tagger: it finds the persons (PER), locations
// (LOC), organisations (ORG) and other names (MISC) in news text.
//
// Work in progress: see the package's final documentation.
package ner
