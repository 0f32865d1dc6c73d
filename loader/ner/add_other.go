//go:build !amd64 || purego

package ner

// add34 adds row to acc.
func add34(acc, row *[34]float32) {
	for l := range acc {
		acc[l] += row[l]
	}
}

// add17 adds row to acc.
func add17(acc, row *[17]float32) {
	for l := range acc {
		acc[l] += row[l]
	}
}
