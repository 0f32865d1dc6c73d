//go:build !purego

package ner

// add34 adds the 34 float32 from row to the 34 from acc.
//
//go:noescape
func add34(acc, row *float32)

// add17 adds the 17 float32 from row to the 17 from acc.
//
//go:noescape
func add17(acc, row *float32)
