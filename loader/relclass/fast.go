package relclass

import (
	"math"
	"slices"
	"strings"
	"sync"
)

// The fast path of Classify: the same features as pairFeatures, hashed as they are
// produced instead of joined into strings first, and the weights in an open-addressing
// table instead of a map. It gives exactly the hashes and the scores of the plain path
// (TestFastFeaturesSame), without allocating per pair.

// Scored is a relation with the classifier's margin: the score of its type minus the
// best other score (another allowed type or "no relation").
type Scored struct {
	Relation
	Margin float32
}

// Scratch holds the buffers of ClassifyScored; reuse one per goroutine to classify
// without allocating. The zero value is ready.
type Scratch struct {
	// MaxGap, if positive, is the most tokens between two entities that
	// ClassifyScored relates: pairs further apart are not classified.
	MaxGap int

	norm   []string  // normalised words of the sentence
	feats  []uint64  // features of one pair
	scores []float32 // one per class
	geo    []string  // per entity: its place key, once computed
	geoOK  []bool
	typ    []int8 // per entity: its type index
	out    []Scored
}

// Release drops the scratch's references to the last sentence's words.
func (s *Scratch) Release() {
	clear(s.norm)
	clear(s.geo)
}

// index is a model's weights laid out for look-ups.
type index struct {
	nc      int
	shift   uint
	keys    []uint64
	rows    []int32 // -1: empty slot
	w       []float32
	allowed [nTypes][nTypes][]int
}

const nTypes = 4

var typeNames = [nTypes]string{"Peop", "Loc", "Org", "Other"}
var typeUpper = [nTypes]string{"PEOP", "LOC", "ORG", "OTHER"}

func typeIndex(t string) int8 {
	for i, n := range typeNames {
		if n == t {
			return int8(i)
		}
	}
	return -1
}

type modelIndex struct {
	once sync.Once
	ix   *index
}

var indexes sync.Map // *Model → *modelIndex

func (m *Model) index() *index {
	v, _ := indexes.LoadOrStore(m, &modelIndex{})
	mi := v.(*modelIndex)
	mi.once.Do(func() { mi.ix = buildIndex(m) })
	return mi.ix
}

func buildIndex(m *Model) *index {
	ix := &index{nc: len(m.Classes)}
	size, shift := 1, uint(64)
	for size < 2*len(m.W)+1 {
		size <<= 1
		shift--
	}
	ix.shift = shift
	ix.keys = make([]uint64, size)
	ix.rows = make([]int32, size)
	for i := range ix.rows {
		ix.rows[i] = -1
	}
	ix.w = make([]float32, 0, len(m.W)*ix.nc)
	// rows in feature order, so that the layout does not depend on map order
	feats := make([]uint64, 0, len(m.W))
	for f := range m.W {
		feats = append(feats, f)
	}
	slices.Sort(feats)
	for r, f := range feats {
		ix.w = append(ix.w, m.W[f]...)
		for len(ix.w) < (r+1)*ix.nc {
			ix.w = append(ix.w, 0)
		}
		s := slot(f, shift)
		for ix.rows[s] >= 0 {
			s = (s + 1) & (size - 1)
		}
		ix.keys[s], ix.rows[s] = f, int32(r)
	}
	for h := range nTypes {
		for t := range nTypes {
			ix.allowed[h][t] = m.Allowed[typeNames[h]+"|"+typeNames[t]]
		}
	}
	return ix
}

func slot(f uint64, shift uint) int { return int((f * 0x9e3779b97f4a7c15) >> shift) }

func (ix *index) row(f uint64) []float32 {
	mask := len(ix.keys) - 1
	for s := slot(f, ix.shift); ; s = (s + 1) & mask {
		r := ix.rows[s]
		if r < 0 {
			return nil
		}
		if ix.keys[s] == f {
			return ix.w[int(r)*ix.nc : int(r+1)*ix.nc]
		}
	}
}

// ClassifyScored is Classify with the margin of every relation, using s's buffers: the
// result is valid until the next call with the same Scratch.
func (m *Model) ClassifyScored(tokens []string, entities []Entity, s *Scratch) []Scored {
	ix := m.index()
	s.out = s.out[:0]
	if len(entities) < 2 {
		return s.out
	}
	s.norm = s.norm[:0]
	for _, w := range tokens {
		s.norm = append(s.norm, normWord(w))
	}
	s.typ = s.typ[:0]
	for _, e := range entities {
		s.typ = append(s.typ, typeIndex(e.Type))
	}
	s.geo = append(s.geo[:0], make([]string, len(entities))...)
	s.geoOK = append(s.geoOK[:0], make([]bool, len(entities))...)
	if cap(s.scores) < ix.nc {
		s.scores = make([]float32, ix.nc)
	}
	scores := s.scores[:ix.nc]
	for i := range entities {
		for j := range entities {
			if i == j {
				continue
			}
			var allowed []int
			if th, tt := s.typ[i], s.typ[j]; th >= 0 && tt >= 0 {
				allowed = ix.allowed[th][tt]
			} else {
				allowed = m.Allowed[entities[i].Type+"|"+entities[j].Type]
			}
			if len(allowed) == 0 {
				continue
			}
			if s.MaxGap > 0 && max(entities[i].Start, entities[j].Start)-min(entities[i].End, entities[j].End) > s.MaxGap {
				continue
			}
			s.feats = s.pairFeatures(s.feats[:0], tokens, entities, i, j)
			clear(scores)
			for _, f := range s.feats {
				for c, x := range ix.row(f) {
					scores[c] += x
				}
			}
			best, bestScore := 0, scores[0]+m.NoneBias
			second := float32(math.Inf(-1))
			for _, c := range allowed {
				sc := scores[c]
				if c < len(m.ClassBias) {
					sc += m.ClassBias[c]
				}
				if sc > bestScore {
					best, second, bestScore = c, bestScore, sc
				} else if sc > second {
					second = sc
				}
			}
			if best != 0 {
				s.out = append(s.out, Scored{Relation{Head: i, Tail: j, Type: m.Classes[best]}, bestScore - second})
			}
		}
	}
	return s.out
}

// ---- streaming feature hashes ----

type fh uint64

func newFH(s string) fh { return fh(fnvOffset).str(s) }

func (h fh) str(s string) fh {
	for i := 0; i < len(s); i++ {
		h = (h ^ fh(s[i])) * fnvPrime
	}
	return h
}

// sep hashes the separator strings.Join puts between parts.
func (h fh) sep() fh { return (h ^ 0x1f) * fnvPrime }

// part hashes a separator and s.
func (h fh) part(s string) fh { return h.sep().str(s) }

var smallBuckets = [...]string{"0", "1", "2", "3"}

func bucket(n int) string {
	if n >= 0 && n <= 3 {
		return smallBuckets[n]
	}
	return distBucket(n)
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (s *Scratch) word(i int) string {
	if i < 0 {
		return "<s>"
	}
	if i >= len(s.norm) {
		return "</s>"
	}
	return s.norm[i]
}

// words hashes the normalised words lo to hi joined by spaces.
func (s *Scratch) words(h fh, lo, hi int) fh {
	for k := lo; k < hi; k++ {
		if k > lo {
			h = h.str(" ")
		}
		h = h.str(s.word(k))
	}
	return h
}

func (s *Scratch) upperType(ents []Entity, k int) string {
	if t := s.typ[k]; t >= 0 {
		return typeUpper[t]
	}
	return strings.ToUpper(ents[k].Type)
}

func (s *Scratch) geoKeyOf(tokens []string, ents []Entity, k int) string {
	if !s.geoOK[k] {
		s.geo[k] = geoKey(strings.Join(tokens[ents[k].Start:ents[k].End], " "))
		s.geoOK[k] = true
	}
	return s.geo[k]
}

var cues = [...]string{",", "of", "in", "'s", "(", "said", "killed", "president", "who", "at", "from", "and", "the", "based", "headquartered"}

// pairFeatures appends the features pairFeatures (the plain one) gives for the pair,
// in the same order.
// prefixNames are the names of the features that start with the pair's types; the
// tables hold their hashes up to the types (prefixTP) and the direction (prefixTPD).
var prefixNames = [...]string{"adjacent", "bb", "bf", "bfl", "bl", "bs", "bwt", "closest", "closest2", "closestH", "crowd", "cue", "dist", "ebt", "firstH", "geoin", "geoout", "ha1", "hfw", "hh", "hpost", "hpre", "hth", "htx", "nent", "post1", "post2", "pre1", "pre2", "skel", "ta1", "tfw", "th", "tp", "tpd", "tpost", "tpre", "ttx"}

// indices into prefixNames
const (
	fAdjacent = iota
	fBb
	fBf
	fBfl
	fBl
	fBs
	fBwt
	fClosest
	fClosest2
	fClosestH
	fCrowd
	fCue
	fDist
	fEbt
	fFirstH
	fGeoin
	fGeoout
	fHa1
	fHfw
	fHh
	fHpost
	fHpre
	fHth
	fHtx
	fNent
	fPost1
	fPost2
	fPre1
	fPre2
	fSkel
	fTa1
	fTfw
	fTh
	fTp
	fTpd
	fTpost
	fTpre
	fTtx
)

var (
	prefixTP  [len(prefixNames)][nTypes][nTypes]fh
	prefixTPD [len(prefixNames)][nTypes][nTypes][2]fh
)

func init() {
	for n, name := range prefixNames {
		for h := range nTypes {
			for t := range nTypes {
				p := newFH(name).sep().str(typeNames[h]).str("|").str(typeNames[t])
				prefixTP[n][h][t] = p
				prefixTPD[n][h][t][0] = p.str("|").str("ht")
				prefixTPD[n][h][t][1] = p.str("|").str("th")
			}
		}
	}
}

func (s *Scratch) pairFeatures(buf []uint64, tokens []string, ents []Entity, h, t int) []uint64 {
	eh, et := ents[h], ents[t]
	dir := "ht"
	a, b := eh, et
	if et.Start < eh.Start {
		dir = "th"
		a, b = et, eh
	}
	// prefixes: "name\x1f" + tp (+ "|" + dir), from the table when the types are known
	hType, tType := s.typ[h], s.typ[t]
	d := 0
	if dir == "th" {
		d = 1
	}
	tp := func(name int) fh {
		if hType >= 0 && tType >= 0 {
			return prefixTP[name][hType][tType]
		}
		return newFH(prefixNames[name]).sep().str(eh.Type).str("|").str(et.Type)
	}
	tpd := func(name int) fh {
		if hType >= 0 && tType >= 0 {
			return prefixTPD[name][hType][tType][d]
		}
		return tp(name).str("|").str(dir)
	}
	buf = append(buf, uint64(newFH("bias")))
	buf = append(buf, uint64(tp(fTp)))
	buf = append(buf, uint64(tpd(fTpd)))
	lo, hi := a.End, b.Start
	if hi < lo {
		hi = lo
	}
	n := hi - lo
	buf = append(buf, uint64(tpd(fDist).part(bucket(n))))
	nEnt := 0
	for _, e := range ents {
		if e.Start >= lo && e.End <= hi {
			nEnt++
			buf = append(buf, uint64(tpd(fEbt).part(e.Type)))
		}
	}
	buf = append(buf, uint64(tpd(fNent).part(bucket(nEnt))))
	bw, bwt, bb := newFH("bw").part(dir), tpd(fBwt), tpd(fBb)
	for k := lo; k < hi; k++ {
		w := s.word(k)
		buf = append(buf, uint64(bw.part(w)), uint64(bwt.part(w)))
		if k+1 < hi {
			buf = append(buf, uint64(bb.part(w).part(s.word(k+1))))
		}
	}
	if n > 0 {
		buf = append(buf, uint64(tpd(fBf).part(s.word(lo))), uint64(tpd(fBl).part(s.word(hi-1))))
		if n > 1 {
			buf = append(buf, uint64(tpd(fBfl).part(s.word(lo)).part(s.word(hi-1))))
		}
	} else {
		buf = append(buf, uint64(tpd(fAdjacent)))
	}
	if n <= 5 {
		buf = append(buf, uint64(s.words(tpd(fBs).sep(), lo, hi)))
	}
	if n <= 10 {
		sk := tpd(fSkel).sep()
		firstPart := true
		for k := lo; k < hi; {
			if !firstPart {
				sk = sk.str(" ")
			}
			firstPart = false
			if e := entityIndexAt(ents, k); e >= 0 && ents[e].End <= hi {
				sk = sk.str(s.upperType(ents, e))
				k = ents[e].End
				continue
			}
			sk = sk.str(s.word(k))
			k++
		}
		buf = append(buf, uint64(sk))
	}
	hh, th := s.word(eh.End-1), s.word(et.End-1)
	buf = append(buf, uint64(tp(fHh).part(hh)), uint64(tp(fTh).part(th)), uint64(tp(fHth).part(hh).part(th)))
	buf = append(buf, uint64(s.words(tp(fHtx).sep(), eh.Start, eh.End)), uint64(s.words(tp(fTtx).sep(), et.Start, et.End)))
	buf = append(buf, uint64(tp(fHfw).part(s.word(eh.Start))), uint64(tp(fTfw).part(s.word(et.Start))))
	buf = append(buf,
		uint64(tpd(fPre1).part(s.word(a.Start-1))),
		uint64(tpd(fPre2).part(s.word(a.Start-2)).part(s.word(a.Start-1))),
		uint64(tpd(fPost1).part(s.word(b.End))),
		uint64(tpd(fPost2).part(s.word(b.End)).part(s.word(b.End+1))),
		uint64(tp(fHpre).part(s.word(eh.Start-1))),
		uint64(tp(fHpost).part(s.word(eh.End))),
		uint64(tp(fTpre).part(s.word(et.Start-1))),
		uint64(tp(fTpost).part(s.word(et.End))),
		uint64(tpd(fHa1).part("h").part(s.word(eh.End)).part(s.word(eh.Start-1))),
		uint64(tpd(fTa1).part("t").part(s.word(et.End)).part(s.word(et.Start-1))),
	)
	closest := true
	for k, e := range ents {
		if k == h || k == t || e.Type != et.Type {
			continue
		}
		if absInt(e.Start-eh.Start) < absInt(et.Start-eh.Start) {
			closest = false
		}
	}
	closestH := true
	for k, e := range ents {
		if k == h || k == t || e.Type != eh.Type {
			continue
		}
		if absInt(e.Start-et.Start) < absInt(eh.Start-et.Start) {
			closestH = false
		}
	}
	buf = append(buf,
		uint64(tpd(fClosest).part(boolStr(closest))),
		uint64(tpd(fClosestH).part(boolStr(closestH))),
		uint64(tpd(fClosest2).part(boolStr(closest)).part(boolStr(closestH))),
	)
	nh, nt := 0, 0
	firstH := true
	for k, e := range ents {
		if e.Type == eh.Type {
			nh++
			if k < h {
				firstH = false
			}
		}
		if e.Type == et.Type {
			nt++
		}
	}
	buf = append(buf, uint64(tp(fCrowd).part(bucket(nh)).part(bucket(nt))), uint64(tpd(fFirstH).part(boolStr(firstH))))
	if eh.Type == "Loc" || et.Type == "Loc" {
		hk, tk := s.geoKeyOf(tokens, ents, h), s.geoKeyOf(tokens, ents, t)
		if hk != tk {
			geoOnce.Do(loadGeo)
			if geoIn[hk][tk] {
				buf = append(buf, uint64(tpd(fGeoin)))
			}
			if geoIn[tk][hk] {
				buf = append(buf, uint64(tpd(fGeoout)))
			}
		}
	}
	var has [len(cues)]bool
	for k := lo; k < hi; k++ {
		w := s.word(k)
		for c, cue := range cues {
			if w == cue {
				has[c] = true
			}
		}
	}
	for c, cue := range cues {
		if has[c] {
			buf = append(buf, uint64(tpd(fCue).part(cue)))
		}
	}
	return buf
}

func entityIndexAt(ents []Entity, k int) int {
	for i, e := range ents {
		if e.Start == k {
			return i
		}
	}
	return -1
}
