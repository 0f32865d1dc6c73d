//go:build !amd64 || purego

package ner

import "unsafe"

// add34 adds the 34 float32 from row to the 34 from acc.
func add34(acc, row *float32) {
	a, r := (*[34]float32)(unsafe.Pointer(acc)), (*[34]float32)(unsafe.Pointer(row))
	for l := range a {
		a[l] += r[l]
	}
}

// add17 adds the 17 float32 from row to the 17 from acc.
func add17(acc, row *float32) {
	a, r := (*[17]float32)(unsafe.Pointer(acc)), (*[17]float32)(unsafe.Pointer(row))
	for l := range a {
		a[l] += r[l]
	}
}
