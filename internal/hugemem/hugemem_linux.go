//go:build linux

package hugemem

import (
	"runtime"
	"syscall"
	"unsafe"
)

const hugePage = 2 << 20

// Region is a mapping of tables; it is unmapped when it becomes unreachable.
type Region struct {
	mapped []byte
}

// Alloc returns n zero elements of T, which must hold no pointers, and the region
// they live in (nil when they are on the Go heap: small tables, or when the mapping
// fails).
func Alloc[T any](n int) ([]T, *Region) {
	var zero T
	size := n * int(unsafe.Sizeof(zero))
	if size < hugePage/2 {
		return make([]T, n), nil
	}
	b, err := syscall.Mmap(-1, 0, (size+2*hugePage-1)&^(hugePage-1), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]T, n), nil
	}
	r := &Region{mapped: b}
	runtime.AddCleanup(r, func(b []byte) { syscall.Munmap(b) }, b)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	aligned := b[int((p+hugePage-1)&^(hugePage-1)-p):]
	const madvHugepage = 14 // MADV_HUGEPAGE; an error only costs the huge pages
	syscall.Madvise(aligned, madvHugepage)
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(aligned))), n), r
}
