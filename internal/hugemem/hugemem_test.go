package hugemem

import (
	"runtime"
	"testing"
)

// TestAlloc: small and big tables come back zeroed, of the length asked, writable,
// and a big one outlives collections while its region is kept.
func TestAlloc(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 3 << 20} {
		s, r := Alloc[uint64](n)
		if len(s) != n {
			t.Fatalf("Alloc(%d): length %d", n, len(s))
		}
		for i := range s {
			if s[i] != 0 {
				t.Fatalf("Alloc(%d)[%d] = %d, want 0", n, i, s[i])
			}
			s[i] = uint64(i)
		}
		runtime.GC()
		for i := range s {
			if s[i] != uint64(i) {
				t.Fatalf("Alloc(%d)[%d] = %d after a collection, want %d", n, i, s[i], i)
			}
		}
		runtime.KeepAlive(r)
	}
}
