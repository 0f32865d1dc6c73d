package depparse

import "testing"

// TestAddDense checks the lane-by-lane sums of addDense (SSE2 on amd64, a Go
// loop elsewhere) against a plain loop, at the widths the tables use.
func TestAddDense(t *testing.T) {
	for _, width := range []int{0, 4, 20, 52, 256} {
		acc := make([]int32, width)
		row := make([]int32, width)
		want := make([]int32, width)
		for i := range acc {
			acc[i] = int32(i*7 - 100)
			row[i] = int32(32767 - i*331)
			want[i] = acc[i] + row[i]
		}
		addDense(acc, row)
		for i := range want {
			if acc[i] != want[i] {
				t.Fatalf("width %d lane %d: got %d, want %d", width, i, acc[i], want[i])
			}
		}
	}
}
