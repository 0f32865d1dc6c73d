package depparse

import "testing"

// TestOnly: pstate.only names the single valid move exactly when there is
// one, on every configuration shape of short sentences.
func TestOnly(t *testing.T) {
	for n := 1; n < 6; n++ {
		for k := 0; k <= n; k++ {
			for b := 0; b <= n; b++ {
				st := pstate{n: n, b: int32(b), stack: make([]int32, k)}
				if st.terminal() {
					continue
				}
				nv, one := 0, -1
				for m := 0; m < nMoves; m++ {
					if st.valid(m) {
						nv++
						one = m
					}
				}
				want := -1
				if nv == 1 {
					want = one
				}
				if got := st.only(); got != want {
					t.Errorf("n=%d stack %d b=%d: only() = %d, want %d", n, k, b, got, want)
				}
			}
		}
	}
}
