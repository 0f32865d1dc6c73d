//go:build !amd64 || purego

package depparse

// addDense adds row to acc lane by lane; len(acc) == len(row).
func addDense(acc, row []int32) {
	row = row[:len(acc)]
	for i, v := range row {
		acc[i] += v
	}
}
