package depparse

// Transitions of the arc-hybrid system with the root at the end of the
// buffer (Ballesteros & Nivre 2013).
const (
	mShift = iota // push the buffer front
	mLeft         // s0 becomes a dependent of b0; pop s0
	mRight        // s0 becomes a dependent of s1; pop s0
	nMoves
)

// pstate is a parser configuration. Word n is the artificial root.
type pstate struct {
	n                  int
	stack              []int32
	b                  int32
	heads              []int32
	labels             []int16
	lc1, lc2, rc1, rc2 []int32
	nl, nr             []int16
	lset, rset         []uint64
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (st *pstate) reset(n int) {
	st.n = n
	st.stack = st.stack[:0]
	st.b = 0
	m := n + 1
	st.heads = grow(st.heads, m)
	st.labels = grow(st.labels, m)
	st.lc1 = grow(st.lc1, m)
	st.lc2 = grow(st.lc2, m)
	st.rc1 = grow(st.rc1, m)
	st.rc2 = grow(st.rc2, m)
	st.nl = grow(st.nl, m)
	st.nr = grow(st.nr, m)
	st.lset = grow(st.lset, m)
	st.rset = grow(st.rset, m)
	for i := 0; i < m; i++ {
		st.heads[i] = -1
		st.labels[i] = -1
		st.lc1[i], st.lc2[i], st.rc1[i], st.rc2[i] = -1, -1, -1, -1
		st.nl[i], st.nr[i] = 0, 0
		st.lset[i], st.rset[i] = 0, 0
	}
}

func (st *pstate) terminal() bool { return int(st.b) == st.n && len(st.stack) == 0 }

func (st *pstate) valid(m int) bool {
	switch m {
	case mShift:
		return int(st.b) < st.n
	case mLeft:
		return len(st.stack) > 0 && (int(st.b) < st.n || len(st.stack) == 1)
	case mRight:
		return len(st.stack) > 1
	}
	return false
}

// only returns the one valid move when there is just one, else -1: with
// an empty stack only a shift is valid, and with the buffer down to the
// root only the arc that reduces the stack. Such a configuration need not
// be scored: the move is the same whatever the scores.
func (st *pstate) only() int {
	switch {
	case len(st.stack) == 0:
		return mShift
	case int(st.b) == st.n && len(st.stack) == 1:
		return mLeft
	case int(st.b) == st.n:
		return mRight
	}
	return -1
}

// arc returns the head and dependent an arc move would link.
func (st *pstate) arc(m int) (h, d int32) {
	d = st.stack[len(st.stack)-1]
	if m == mLeft {
		return st.b, d
	}
	return st.stack[len(st.stack)-2], d
}

// apply performs move m; for arcs, label is the dependency label.
func (st *pstate) apply(m int, label int16) {
	if m == mShift {
		st.stack = append(st.stack, st.b)
		st.b++
		return
	}
	h, d := st.arc(m)
	st.stack = st.stack[:len(st.stack)-1]
	st.heads[d] = h
	st.labels[d] = label
	bit := uint64(1) << (uint(label) & 63)
	if d < h {
		st.lc2[h] = st.lc1[h]
		st.lc1[h] = d
		st.nl[h]++
		st.lset[h] |= bit
	} else {
		st.rc2[h] = st.rc1[h]
		st.rc1[h] = d
		st.nr[h]++
		st.rset[h] |= bit
	}
}

// costs fills c with the number of reachable gold arcs each valid move
// loses (Goldberg & Nivre 2013); invalid moves get a large cost. gold holds
// the gold head of each word, n for the root.
func (st *pstate) costs(gold []int32, inStack []bool, c *[nMoves]int) {
	const inf = 1 << 20
	n := int32(st.n)
	b := st.b
	for m := 0; m < nMoves; m++ {
		c[m] = inf
	}
	var s0, s1 int32 = -1, -1
	if k := len(st.stack); k > 0 {
		s0 = st.stack[k-1]
		if k > 1 {
			s1 = st.stack[k-2]
		}
	}
	// dependents of s0 still in the buffer
	deps := 0
	if s0 >= 0 {
		for d := b; d < n; d++ {
			if gold[d] == s0 {
				deps++
			}
		}
	}
	if st.valid(mShift) {
		cost := 0
		if g := gold[b]; g != s0 && g >= 0 && g < n && inStack[g] {
			cost++
		}
		for _, d := range st.stack {
			if gold[d] == b {
				cost++
			}
		}
		c[mShift] = cost
	}
	if st.valid(mLeft) {
		cost := deps
		if g := gold[s0]; g != b && ((s1 >= 0 && g == s1) || g > b) {
			cost++
		}
		c[mLeft] = cost
	}
	if st.valid(mRight) {
		cost := deps
		if g := gold[s0]; g != s1 && g >= b {
			cost++
		}
		c[mRight] = cost
	}
}

// fx extracts features from a configuration.
type fx struct {
	ws     []wordInfo
	tags   []int
	st     *pstate
	format int // model format: 2 and up extend the transition features, 3 the label ones
}

const (
	noneWord = 0x51
	rootWord = 0x52
)

func (f *fx) w(i int32) uint64 {
	switch {
	case i < 0 || int(i) > f.st.n:
		return noneWord
	case int(i) == f.st.n:
		return rootWord
	}
	return f.ws[i].lower
}

// suf returns the 3-letter suffix of word i (a constant for none/root).
func (f *fx) suf(i int32) uint64 {
	switch {
	case i < 0 || int(i) > f.st.n:
		return noneWord
	case int(i) == f.st.n:
		return rootWord
	}
	return f.ws[i].suf[2]
}

// shape returns the shape of word i (a constant for none/root).
func (f *fx) shape(i int32) uint64 {
	switch {
	case i < 0 || int(i) > f.st.n:
		return noneWord
	case int(i) == f.st.n:
		return rootWord
	}
	return f.ws[i].shape
}

func (f *fx) p(i int32) uint64 {
	switch {
	case i < 0 || int(i) > f.st.n:
		return 0
	case int(i) == f.st.n:
		return 1
	}
	return uint64(f.tags[i]) + 2
}

func (f *fx) l(i int32) uint64 {
	if i < 0 {
		return 0
	}
	return uint64(f.st.labels[i] + 1)
}

func child(c []int32, i int32) int32 {
	if i < 0 {
		return -1
	}
	return c[i]
}

func dist(a, b int32) uint64 {
	if a < 0 || b < 0 {
		return 0
	}
	d := b - a
	switch {
	case d < 0:
		d = -d
	}
	switch {
	case d <= 4:
		return uint64(d)
	case d <= 6:
		return 5
	case d <= 9:
		return 6
	}
	return 7
}

func val(v []int16, i int32) uint64 {
	if i < 0 {
		return 0
	}
	return uint64(v[i]) + 1
}

func lset(s []uint64, i int32) uint64 {
	if i < 0 {
		return 0
	}
	return s[i]
}

// features appends the transition features of the configuration.
func (f *fx) features(out []uint64) []uint64 {
	st := f.st
	var s0, s1, s2 int32 = -1, -1, -1
	if k := len(st.stack); k > 0 {
		s0 = st.stack[k-1]
		if k > 1 {
			s1 = st.stack[k-2]
		}
		if k > 2 {
			s2 = st.stack[k-3]
		}
	}
	n0 := st.b
	n1, n2 := n0+1, n0+2
	if int(n1) > st.n {
		n1 = -1
	}
	if int(n2) > st.n || n1 < 0 {
		n2 = -1
	}
	s0w, s0p := f.w(s0), f.p(s0)
	s1w, s1p := f.w(s1), f.p(s1)
	s2w, s2p := f.w(s2), f.p(s2)
	n0w, n0p := f.w(n0), f.p(n0)
	n1w, n1p := f.w(n1), f.p(n1)
	n2w, n2p := f.w(n2), f.p(n2)
	s0l, s0l2, s0r, s0r2 := child(st.lc1, s0), child(st.lc2, s0), child(st.rc1, s0), child(st.rc2, s0)
	s1l, s1r, s1r2 := child(st.lc1, s1), child(st.rc1, s1), child(st.rc2, s1)
	n0l, n0l2 := child(st.lc1, n0), child(st.lc2, n0)
	s0lp, s0rp, s0l2p, s0r2p := f.p(s0l), f.p(s0r), f.p(s0l2), f.p(s0r2)
	s1lp, s1rp := f.p(s1l), f.p(s1r)
	n0lp, n0l2p := f.p(n0l), f.p(n0l2)
	d0 := dist(s0, n0)
	d1 := dist(s1, s0)
	out = append(out,
		mix(1, s0w, 0, 0), mix(2, s0p, 0, 0), mix(3, s0w, s0p, 0),
		mix(4, s1w, 0, 0), mix(5, s1p, 0, 0), mix(6, s1w, s1p, 0),
		mix(7, n0w, 0, 0), mix(8, n0p, 0, 0), mix(9, n0w, n0p, 0),
		mix(10, n1w, 0, 0), mix(11, n1p, 0, 0), mix(12, n1w, n1p, 0),
		mix(13, n2w, 0, 0), mix(14, n2p, 0, 0), mix(15, n2w, n2p, 0),
		mix(16, s2w, s2p, 0), mix(17, s2p, 0, 0),
		// children
		mix(20, f.w(s0l), 0, 0), mix(21, s0lp, 0, 0), mix(22, f.l(s0l), 0, 0),
		mix(23, f.w(s0r), 0, 0), mix(24, s0rp, 0, 0), mix(25, f.l(s0r), 0, 0),
		mix(26, f.l(s0l2), s0l2p, 0), mix(27, f.l(s0r2), s0r2p, 0),
		mix(28, f.w(s1l), 0, 0), mix(29, s1lp, f.l(s1l), 0),
		mix(30, f.w(s1r), 0, 0), mix(31, s1rp, f.l(s1r), 0), mix(32, f.l(s1r2), f.p(s1r2), 0),
		mix(33, f.w(n0l), 0, 0), mix(34, n0lp, 0, 0), mix(35, f.l(n0l), 0, 0), mix(36, f.l(n0l2), n0l2p, 0),
		// pairs
		mix(40, s0w, s0p, n0w<<8^n0p), mix(41, s0w, s0p, n0w), mix(42, s0w, n0w, n0p),
		mix(43, s0w, s0p, n0p), mix(44, s0p, n0w, n0p), mix(45, s0w, n0w, 0), mix(46, s0p, n0p, 0),
		mix(47, n0p, n1p, 0),
		mix(48, s1w, s1p, s0w<<8^s0p), mix(49, s1w, s0w, 0), mix(50, s1p, s0p, 0),
		mix(51, s1w, s0p, 0), mix(52, s1p, s0w, 0), mix(53, s1p, s0w, s0p), mix(54, s1w, s1p, s0p),
		mix(55, s1p, n0p, 0), mix(56, s1w, n0w, 0), mix(57, s0p, n1p, 0), mix(58, s0w, n1w, 0),
		// triples
		mix(60, n0p, n1p, n2p), mix(61, s0p, n0p, n1p), mix(62, s1p, s0p, n0p),
		mix(63, s0p, s0lp, n0p), mix(64, s0p, s0rp, n0p), mix(65, s0p, n0p, n0lp),
		mix(66, s0p, s0lp, s0l2p), mix(67, s0p, s0rp, s0r2p), mix(68, n0p, n0lp, n0l2p),
		mix(69, s1p, s0p, s0lp), mix(70, s1p, s0p, s0rp), mix(71, s1p, s1rp, s0p),
		mix(72, s1p, s1lp, s0p), mix(73, s2p, s1p, s0p), mix(74, s1p, s0p, n1p),
		// distance
		mix(80, s0w, d0, 0), mix(81, s0p, d0, 0), mix(82, n0w, d0, 0), mix(83, n0p, d0, 0),
		mix(84, s0w, n0w, d0), mix(85, s0p, n0p, d0),
		mix(86, s1p, s0p, d1), mix(87, s1w, s0w, d1), mix(88, s1w, d1, 0), mix(89, s0w, d1, 0),
		// valency
		mix(90, s0w, val(st.nr, s0), 0), mix(91, s0p, val(st.nr, s0), 0),
		mix(92, s0w, val(st.nl, s0), 0), mix(93, s0p, val(st.nl, s0), 0),
		mix(94, n0w, val(st.nl, n0), 0), mix(95, n0p, val(st.nl, n0), 0),
		mix(96, s1p, val(st.nr, s1), 0), mix(97, s1w, val(st.nr, s1), 0),
		// label sets
		mix(100, s0w, lset(st.rset, s0), 0), mix(101, s0p, lset(st.rset, s0), 0),
		mix(102, s0w, lset(st.lset, s0), 0), mix(103, s0p, lset(st.lset, s0), 0),
		mix(104, n0w, lset(st.lset, n0), 0), mix(105, n0p, lset(st.lset, n0), 0),
		mix(106, s1p, lset(st.rset, s1), 0), mix(107, s1p, lset(st.lset, s1), 0),
	)
	if f.format < 2 {
		return out
	}
	out = append(out,
		// affixes, shapes, second children's words, lexicalized triples
		mix(110, f.suf(s0), s0p, 0), mix(111, f.suf(n0), n0p, 0), mix(112, f.suf(s1), s1p, 0),
		mix(113, f.suf(n1), 0, 0), mix(114, f.shape(s0), f.shape(n0), 0),
		mix(115, f.w(s0l2), 0, 0), mix(116, f.w(s0r2), 0, 0), mix(117, f.w(n0l2), 0, 0),
		mix(118, s0w, n0p, n1p), mix(119, s0p, n0w, n1p), mix(120, s1w, s0p, n0p),
		mix(121, f.suf(s0), f.suf(n0), 0),
	)
	return out
}

// labelFeatures appends the features used to label the arc h -> d made by
// move m.
func (f *fx) labelFeatures(out []uint64, m int, h, d int32) []uint64 {
	st := f.st
	dir := uint64(m)
	hw, hp, dw, dp := f.w(h), f.p(h), f.w(d), f.p(d)
	dd := dist(h, d)
	var ctx int32 = -1 // the next element after the pair
	if m == mRight {
		ctx = st.b
	} else if k := len(st.stack); k > 1 {
		ctx = st.stack[k-2]
	}
	dl, dr := st.lc1[d], st.rc1[d]
	var dsuf uint64 = 0
	if int(d) < len(f.ws) {
		dsuf = f.ws[d].suf[2]
	}
	out = append(out,
		mix(200, dir, 0, 0),
		mix(201, dir, hw, 0), mix(202, dir, hp, 0), mix(203, dir, dw, 0), mix(204, dir, dp, 0),
		mix(205, dir, hw, dw), mix(206, dir, hp, dp), mix(207, dir, hp, dw), mix(208, dir, hw, dp),
		mix(209, dir, hp<<8^dp, dd), mix(210, dir, dw, dp), mix(211, dir, hw, hp),
		mix(212, dir, dp, lset(st.lset, d)), mix(213, dir, dp, lset(st.rset, d)),
		mix(214, dir, f.l(dl), f.p(dl)), mix(215, dir, f.l(dr), f.p(dr)),
		mix(216, dir, hp, lset(st.lset, h)|lset(st.rset, h)<<32),
		mix(217, dir, hp<<8^dp, f.p(d-1)), mix(218, dir, hp<<8^dp, f.p(d+1)),
		mix(219, dir, hp<<8^dp, f.p(h-1)), mix(220, dir, hp<<8^dp, f.p(h+1)),
		mix(221, dir, hp<<8^dp, f.p(ctx)), mix(222, dir, dp, f.w(dl)),
		mix(223, dir, hp, dsuf), mix(224, dir, dw, f.w(dl)), mix(225, dir, hp<<8^dp, val(st.nl, h)<<8^val(st.nr, h)),
		mix(226, dir, dp, val(st.nl, d)<<8^val(st.nr, d)), mix(227, dir, f.w(ctx), hp<<8^dp),
	)
	if f.format < 3 {
		return out
	}
	return append(out,
		mix(228, dir, f.suf(d), dp), mix(229, dir, f.suf(h), hp),
		mix(230, dir, dw, hp<<8^dd), mix(231, dir, hw, dp<<8^dd),
		mix(232, dir, dp, f.l(dl)<<8^f.l(dr)),
		mix(233, dir, hp, f.l(child(st.lc1, h))<<8^f.l(child(st.rc1, h))),
		mix(234, dir, f.suf(d), hw),
	)
}
