package depparse

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/newsgraph/newsgraph/internal/hugemem"
)

// mix combines a feature template number and up to three values into a
// 64-bit feature key.
func mix(t, a, b, c uint64) uint64 {
	h := t*0x9E3779B97F4A7C15 ^ a
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 31
	h ^= b
	h *= 0x94D049BB133111EB
	h ^= h >> 29
	h ^= c
	h *= 0x9E3779B97F4A7C15
	h ^= h >> 32
	return h
}

// strHash is FNV-1a over a string, finished with a mixer.
func strHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return mix(0, h, 0, 0)
}

// frozen is a finished, quantized linear model in its portable form:
// sorted nonzero feature keys, each with a sparse row of
// class<<16|uint16(int16 weight) entries sorted by class. It is what model
// files store; the parser scores with the faster tables built from it.
type frozen struct {
	nClasses int
	keys     []uint64
	rows     [][]uint32
}

// slotOf maps a feature key to its home slot in a table of size slots and
// to the 32-bit check stored there (never 0, which marks an empty slot).
// The home slot comes from the low 32 bits, the check from the high ones.
func slotOf(k, size uint64) (j, check uint32) {
	return uint32((k & 0xFFFFFFFF) * size >> 32), uint32(k>>32) | 1
}

// tableSize returns the number of slots for n features: a load factor of
// at most one half keeps linear probe runs within a cache line or two.
func tableSize(n int) uint64 { return uint64(2*n + 16) }

// chunk is how many features the tables resolve per batch: the first pass
// over a batch issues all its (independent) memory loads, so that their
// cache misses overlap, before the second pass branches on them.
const chunk = 64

// mslot is one slot of a moveTable: the key check and the weights of the
// unlabeled moves inline, so that a lookup touches one cache line.
type mslot struct {
	k uint16
	w [nMoves]int16
}

// check16 is the 16-bit check of a moveTable key (never 0).
func check16(k uint64) uint16 { return uint16(k>>48) | 1 }

// moveTable is the open-addressing weight table of the transition model.
type moveTable struct {
	size  uint64
	slots []mslot
	mem   *hugemem.Region // where slots live
	nFeat int
}

// newMoveTable builds the table with twice tableSize's slots: a load
// factor of a quarter. Its lookups are the parser's most frequent and 87%
// of them find their key, so a shorter probe run pays for the larger
// table (BenchmarkParse, with heaviestFirst: 12% more tokens per second).
func newMoveTable(f *frozen) *moveTable {
	t := &moveTable{size: 2 * tableSize(len(f.keys)), nFeat: len(f.keys)}
	t.slots, t.mem = hugemem.Alloc[mslot](int(t.size))
	for _, i := range heaviestFirst(f) {
		k := f.keys[i]
		j, _ := slotOf(k, t.size)
		c := check16(k)
		for t.slots[j].k != 0 {
			if j++; uint64(j) == t.size {
				j = 0
			}
		}
		t.slots[j].k = c
		for _, e := range f.rows[i] {
			t.slots[j].w[e>>16] = int16(uint16(e))
		}
	}
	return t
}

// score adds the move weights of feats to s.
func (t *moveTable) score(feats []uint64, s *[nMoves]int32) {
	var js [chunk]uint32
	var ks [chunk]uint16
	slots := t.slots
	for len(feats) > 0 {
		n := min(len(feats), chunk)
		batch := feats[:n]
		for i, k := range batch {
			j, _ := slotOf(k, t.size)
			js[i] = j
			ks[i] = slots[j].k
		}
		for i, k := range batch {
			c := check16(k)
			j, kk := js[i], ks[i]
			for kk != c && kk != 0 {
				if j++; uint64(j) == t.size {
					j = 0
				}
				kk = slots[j].k
			}
			if kk == c {
				w := &slots[j].w
				s[0] += int32(w[0])
				s[1] += int32(w[1])
				s[2] += int32(w[2])
			}
		}
		feats = feats[n:]
	}
}

// sslot is one slot of a sparseTable: the key check, the first two
// entries of the key's row inline (an unused entry is 0: class 0, weight
// 0), and a reference to the rest of the row, if any: off<<8|count for
// count overflow entries at rows[off], or off<<8 (count 0) for a dense row
// at dense[off*width]. Most rows have at most two entries (one perceptron
// update makes two), so most lookups touch a single cache line.
type sslot struct {
	k   uint32
	ref uint32
	e   [2]uint32 // class<<16 | uint16(int16 weight)
}

// denseMin is the length from which a row is kept dense: adding a dense
// row of width int32 four lanes at a time costs less than decoding this
// many sparse entries, and the hot features (biases, tag pairs) have
// long rows.
const denseMin = 8

// maxSparseClasses bounds the classes of a sparseTable, so that a class
// index masked to it needs no bounds check.
const maxSparseClasses = 256

// sparseTable is the open-addressing weight table of a many-class model
// (tagger, labeler): a key's row lists only its nonzero class weights, or
// all of them when it has many.
type sparseTable struct {
	nClasses int
	width    int // nClasses rounded up to a multiple of 4: the lanes of a dense row
	size     uint64
	slots    []sslot
	rows     []uint32           // overflow entries, class<<16 | uint16(int16 weight)
	dense    []int32            // dense rows, width weights each
	mem      [3]*hugemem.Region // where slots, rows and dense rows live
	nFeat    int
}

// span is how many score entries from an instance's offset the table may
// write: callers of score and scoreAt leave this much room after the last
// instance's offset (the entries past nClasses only ever get zeros added).
func (t *sparseTable) span() int { return maxSparseClasses }

func newSparseTable(f *frozen) (*sparseTable, error) {
	if f.nClasses > maxSparseClasses {
		return nil, fmt.Errorf("%d classes: at most %d", f.nClasses, maxSparseClasses)
	}
	t := &sparseTable{nClasses: f.nClasses, width: (f.nClasses + 3) &^ 3, size: tableSize(len(f.keys)), nFeat: len(f.keys)}
	t.slots, t.mem[0] = hugemem.Alloc[sslot](int(t.size))
	dense := make([]int32, t.width) // row 0 is unused: a ref of 0 means no rest of the row
	for _, i := range heaviestFirst(f) {
		k, row := f.keys[i], f.rows[i]
		if len(row) == 0 {
			continue
		}
		if len(t.rows)+len(row) >= 1<<24 || len(dense)/t.width >= 1<<24 {
			return nil, errors.New("table too large")
		}
		j, c := slotOf(k, t.size)
		for t.slots[j].k != 0 {
			if j++; uint64(j) == t.size {
				j = 0
			}
		}
		sl := sslot{k: c}
		switch {
		case len(row) >= denseMin:
			sl.ref = uint32(len(dense)/t.width) << 8
			d := len(dense)
			dense = append(dense, make([]int32, t.width)...)
			for _, e := range row {
				dense[d+int(e>>16)] = int32(int16(uint16(e)))
			}
		default:
			n := copy(sl.e[:], row)
			if rest := row[n:]; len(rest) > 0 {
				sl.ref = uint32(len(t.rows))<<8 | uint32(len(rest))
				t.rows = append(t.rows, rest...)
			}
		}
		t.slots[j] = sl
	}
	rows, mem := hugemem.Alloc[uint32](len(t.rows))
	copy(rows, t.rows)
	t.rows, t.mem[1] = rows, mem
	t.dense, t.mem[2] = hugemem.Alloc[int32](len(dense))
	copy(t.dense, dense)
	return t, nil
}

// score adds the class weights of feats to scores (at least span entries).
func (t *sparseTable) score(feats []uint64, scores []int32) {
	t.scoreAt(feats, nil, scores)
}

// scoreAt is score for many instances at once: the weights of feats[i] go
// to scores[at[i]+class]; a nil at scores one instance. scores has span
// entries from every offset.
func (t *sparseTable) scoreAt(feats []uint64, at []int32, scores []int32) {
	var js, ks [chunk]uint32
	slots := t.slots
	w := t.width
	for len(feats) > 0 {
		n := min(len(feats), chunk)
		batch := feats[:n]
		for i, k := range batch {
			j, _ := slotOf(k, t.size)
			js[i] = j
			ks[i] = slots[j].k
		}
		for i, k := range batch {
			_, c := slotOf(k, t.size)
			j, kk := js[i], ks[i]
			for kk != c && kk != 0 {
				if j++; uint64(j) == t.size {
					j = 0
				}
				kk = slots[j].k
			}
			js[i] = 0
			if kk == c {
				js[i] = j + 1
				// Load the first word of the rest of the row now, so that the
				// cache misses of the batch's overflow rows overlap.
				if ref := slots[j].ref; ref&0xFF != 0 {
					ks[i] = t.rows[ref>>8]
				} else if ref != 0 {
					ks[i] = uint32(t.dense[int(ref>>8)*w])
				}
			}
		}
		for i := range batch {
			if js[i] == 0 {
				continue
			}
			sl := &slots[js[i]-1]
			off := 0
			if at != nil {
				off = int(at[i])
			}
			s := (*[maxSparseClasses]int32)(scores[off:])
			ref := sl.ref
			if ref != 0 && ref&0xFF == 0 {
				d := int(ref>>8) * w
				addDense(s[:w:w], t.dense[d:d+w:d+w])
				continue
			}
			e0, e1 := sl.e[0], sl.e[1]
			s[e0>>16&(maxSparseClasses-1)] += int32(int16(uint16(e0)))
			s[e1>>16&(maxSparseClasses-1)] += int32(int16(uint16(e1)))
			if ref != 0 {
				e := ks[i]
				s[e>>16&(maxSparseClasses-1)] += int32(int16(uint16(e)))
				o := ref >> 8
				for _, e := range t.rows[o+1 : o+ref&0xFF] {
					s[e>>16&(maxSparseClasses-1)] += int32(int16(uint16(e)))
				}
			}
		}
		feats = feats[n:]
		if at != nil {
			at = at[n:]
		}
	}
}

// perceptron is a trainable averaged perceptron with sparse rows. Rows are
// created on the first update of a feature; averaging is lazy per row.
type perceptron struct {
	nClasses int
	index    map[uint64]int32
	rows     []prow
	now      int64 // number of training instances seen
}

type pentry struct {
	cls uint16
	w   int32
	tot int64
}

type prow struct {
	ts   int64 // instance clock when tot was last brought up to date
	seen int32
	e    []pentry
}

func newPerceptron(nClasses int) *perceptron {
	return &perceptron{nClasses: nClasses, index: make(map[uint64]int32)}
}

// scoreInto writes the current (non-averaged) scores.
func (p *perceptron) scoreInto(feats []uint64, scores []int64) {
	clear(scores)
	for _, f := range feats {
		ix, ok := p.index[f]
		if !ok {
			continue
		}
		for _, e := range p.rows[ix].e {
			scores[e.cls] += int64(e.w)
		}
	}
}

// tick advances the instance clock and counts the occurrence of feats;
// call once per training instance, before update.
func (p *perceptron) tick(feats []uint64) {
	p.now++
	for _, f := range feats {
		if ix, ok := p.index[f]; ok {
			p.rows[ix].seen++
		}
	}
}

func (r *prow) catchUp(now int64) {
	if d := now - r.ts; d != 0 {
		for k := range r.e {
			r.e[k].tot += d * int64(r.e[k].w)
		}
		r.ts = now
	}
}

func (r *prow) add(c uint16, d int32) {
	for k := range r.e {
		if r.e[k].cls == c {
			r.e[k].w += d
			return
		}
	}
	r.e = append(r.e, pentry{cls: c, w: d})
}

// update moves weight from class guess to class truth on feats.
func (p *perceptron) update(feats []uint64, truth, guess int) {
	if truth == guess {
		return
	}
	for _, f := range feats {
		ix, ok := p.index[f]
		if !ok {
			ix = int32(len(p.rows))
			p.index[f] = ix
			p.rows = append(p.rows, prow{ts: p.now, seen: 1})
		}
		r := &p.rows[ix]
		r.catchUp(p.now)
		r.add(uint16(truth), 1)
		r.add(uint16(guess), -1)
	}
}

// freeze averages the weights, drops features seen fewer than minCount
// times, quantizes to int16 and builds a table. Weights whose quantized
// magnitude is below minQ are dropped.
func (p *perceptron) freeze(minCount int32, minQ int) *frozen {
	keys := make([]uint64, 0, len(p.index))
	for k, ix := range p.index {
		if p.rows[ix].seen >= minCount {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	now := float64(max(p.now, 1))
	avg := func(r *prow, e pentry) float64 {
		return (float64(e.tot) + float64(p.now-r.ts)*float64(e.w)) / now
	}
	maxAbs := 0.0
	for _, k := range keys {
		r := &p.rows[p.index[k]]
		for _, e := range r.e {
			maxAbs = max(maxAbs, math.Abs(avg(r, e)))
		}
	}
	scale := 32767 / max(maxAbs, 1e-9)
	var outKeys []uint64
	var outRows [][]uint32
	for _, k := range keys {
		r := &p.rows[p.index[k]]
		var row []uint32
		for _, e := range r.e {
			q := math.Round(avg(r, e) * scale)
			if q == 0 || math.Abs(q) < float64(minQ) {
				continue
			}
			row = append(row, uint32(e.cls)<<16|uint32(uint16(int16(q))))
		}
		if len(row) == 0 {
			continue
		}
		slices.Sort(row)
		outKeys = append(outKeys, k)
		outRows = append(outRows, row)
	}
	return &frozen{nClasses: p.nClasses, keys: outKeys, rows: outRows}
}

// heaviestFirst returns the indices of f's features by decreasing sum of
// absolute weights, ties in key order: the order in which to insert them
// into a table. Training updates frequent features most, so their weights
// are the largest; inserted first, they take their home slots and are
// found in one probe, and the rarer features probe past them. On EWT dev
// this halves the moveTable's extra probes.
func heaviestFirst(f *frozen) []int {
	order := make([]int, len(f.keys))
	norm := make([]int, len(f.keys))
	for i := range order {
		order[i] = i
		for _, e := range f.rows[i] {
			w := int(int16(uint16(e)))
			norm[i] += max(w, -w)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return norm[b] - norm[a] })
	return order
}
