//go:build !purego

package ner

// add34 adds the 34 float32 at row to those at acc.
//
//go:noescape
func add34(acc, row *[34]float32)

// add17 adds the 17 float32 at row to those at acc.
//
//go:noescape
func add17(acc, row *[17]float32)
