//go:build linux

package ner

import (
	"runtime"
	"syscall"
	"unsafe"
)

// The model's big tables (vocabulary word vectors, feature and phrase tables, word
// infos: about 40 MB) are read at random while tagging. On 4 KB pages nearly every
// read misses the TLB as well as the cache, so on Linux they live in anonymous
// memory outside the Go heap with transparent huge pages requested (the default
// "madvise" setting grants them then). The tables hold no pointers, and each is
// unmapped when the Go object that owns it is collected.

const hugePage = 2 << 20

// region is a mapping of tables; it is unmapped when it becomes unreachable.
type region struct {
	mapped []byte
}

// hugeAlloc returns n zero elements of T, which must hold no pointers, and the
// region they live in (nil when they are on the Go heap). The caller keeps the
// region as long as it uses the slice.
func hugeAlloc[T any](n int) ([]T, *region) {
	var zero T
	size := n * int(unsafe.Sizeof(zero))
	if size < hugePage/2 {
		return make([]T, n), nil
	}
	b, err := syscall.Mmap(-1, 0, (size+2*hugePage-1)&^(hugePage-1), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]T, n), nil
	}
	r := &region{mapped: b}
	runtime.AddCleanup(r, func(b []byte) { syscall.Munmap(b) }, b)
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	aligned := b[int((p+hugePage-1)&^(hugePage-1)-p):]
	const madvHugepage = 14 // MADV_HUGEPAGE; an error only costs the huge pages
	syscall.Madvise(aligned, madvHugepage)
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(aligned))), n), r
}
