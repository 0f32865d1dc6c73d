//go:build !purego

package depparse

// addDense adds row to acc lane by lane; len(acc) == len(row), a multiple
// of 4 (SSE2, part of every amd64 CPU: the same sums as the Go loop in
// add_other.go).
//
//go:noescape
func addDense(acc, row []int32)
