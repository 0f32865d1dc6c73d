//go:build !linux

package hugemem

// Region would own tables outside the Go heap (see hugemem_linux.go).
type Region struct{}

// Alloc returns n zero elements of T on the Go heap.
func Alloc[T any](n int) ([]T, *Region) { return make([]T, n), nil }
