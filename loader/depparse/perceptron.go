package depparse

import (
	"math"
	"slices"
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

// table is a frozen, quantized linear model: feature key -> sparse row of
// (class, int16 weight). It is read-only after construction.
type table struct {
	nClasses int
	mask     uint64
	keys     []uint64 // open addressing; 0 marks an empty slot
	vals     []uint32 // offset into rows
	rows     []uint32 // at offset: count, then count entries class<<16|uint16(weight)
	nFeat    int
}

func newTable(nClasses int, keys []uint64, rows [][]uint32) *table {
	size := 1
	for size < 2*len(keys)+1 {
		size <<= 1
	}
	t := &table{nClasses: nClasses, mask: uint64(size - 1), keys: make([]uint64, size), vals: make([]uint32, size), nFeat: len(keys)}
	for i, k := range keys {
		if k == 0 {
			k = 1
		}
		off := uint32(len(t.rows))
		t.rows = append(t.rows, uint32(len(rows[i])))
		t.rows = append(t.rows, rows[i]...)
		j := k & t.mask
		for t.keys[j] != 0 {
			j = (j + 1) & t.mask
		}
		t.keys[j] = k
		t.vals[j] = off
	}
	return t
}

// score adds the weights of the features to scores (len nClasses).
func (t *table) score(feats []uint64, scores []int32) {
	for _, k := range feats {
		if k == 0 {
			k = 1
		}
		j := k & t.mask
		for {
			kk := t.keys[j]
			if kk == k {
				off := t.vals[j]
				n := t.rows[off]
				for _, e := range t.rows[off+1 : off+1+n] {
					scores[e>>16] += int32(int16(uint16(e)))
				}
				break
			}
			if kk == 0 {
				break
			}
			j = (j + 1) & t.mask
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
func (p *perceptron) freeze(minCount int32, minQ int) *table {
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
	return newTable(p.nClasses, outKeys, outRows)
}
