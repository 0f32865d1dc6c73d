package ner

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// Labels are BILOU tags over the four CoNLL types: 0 is O, and type t at position p
// (B, I, L, U) is 1+4t+p.
const (
	numTypes  = 4
	numLabels = 1 + 4*numTypes
	posB      = 0
	posI      = 1
	posL      = 2
	posU      = 3
)

// typeNames are the entity types in label order.
var typeNames = [numTypes]string{"PER", "LOC", "ORG", "MISC"}

func label(t, pos int) int8 { return int8(1 + 4*t + pos) }

// labelType returns the type of a label, or numTypes for O.
func labelType(l int8) int {
	if l == 0 {
		return numTypes
	}
	return int(l-1) / 4
}

func labelPos(l int8) int { return int(l-1) % 4 }

// Word flags.
const (
	fInitCap   = 1 << iota // first rune is upper-case
	fAllCaps               // has letters, none lower-case
	fLower                 // first rune is a lower-case letter
	fHasDigit              // contains a digit
	fHasLetter             // contains a letter
	fHyphen                // contains a hyphen
	fPeriod                // contains a period
	fPunct                 // neither letters nor digits
)

// wordInfo is everything the features need to know about one word form; it depends
// on the form alone, so it is computed once per distinct form in a document.
type wordInfo struct {
	form, lower, shape, short uint64
	pre, suf                  [4]uint64
	cl                        [numClusters]uint16
	lcl                       [numClusters]uint16 // clusters of the lower-case form
	capb                      uint8
	flags                     uint8
	gazMax                    uint8 // longest gazetteer phrase starting with this word
	runes                     uint8
}

// newWordInfo analyses w.
func newWordInfo(lx *lexicon, w string) wordInfo {
	wi := wordInfo{
		form:  hashNorm(fnvOffset, w, normDigits),
		lower: hashNorm(fnvOffset, w, normDigits|normLower),
	}
	if e, ok := lx.lookupWord(w); ok {
		wi.cl = e.cl
	}
	wi.capb = lx.capRatio[wi.lower]
	if e, ok := lx.words[wi.lower]; ok {
		wi.lcl = e.cl
	}
	wi.gazMax = lx.firstMax[wi.lower]

	// Shapes: X upper, x lower, d digit, other runes as they are. The long shape keeps
	// runs of up to two, the short one collapses runs.
	long, short := uint64(fnvOffset), uint64(fnvOffset)
	var prev rune = -1
	run := 0
	n := 0
	hasLower, hasUpper := false, false
	for i, r := range w {
		c := r
		switch {
		case unicode.IsUpper(r):
			c = 'X'
			hasUpper = true
			wi.flags |= fHasLetter
		case unicode.IsLetter(r) || unicode.IsMark(r) || r == utf8.RuneError:
			c = 'x'
			hasLower = true
			wi.flags |= fHasLetter
		case isDigit(r):
			c = 'd'
			wi.flags |= fHasDigit
		case r == '-':
			wi.flags |= fHyphen
		case r == '.':
			wi.flags |= fPeriod
		}
		if i == 0 {
			if c == 'X' {
				wi.flags |= fInitCap
			} else if c == 'x' && unicode.IsLower(r) {
				wi.flags |= fLower
			}
		}
		if c == prev {
			run++
		} else {
			run = 1
			short = hashRune(short, c)
		}
		if run <= 2 {
			long = hashRune(long, c)
		}
		prev = c
		n++
	}
	wi.shape, wi.short = long, short
	if hasUpper && !hasLower {
		wi.flags |= fAllCaps
	}
	if wi.flags&(fHasLetter|fHasDigit) == 0 {
		wi.flags |= fPunct
	}
	if n > 255 {
		n = 255
	}
	wi.runes = uint8(n)

	// Lower-case, digit-normalised prefixes and suffixes of 1 to 4 runes.
	if n > 1 {
		var rs [64]rune
		k := 0
		for _, r := range w {
			if k == len(rs) {
				break
			}
			if isDigit(r) {
				r = '0'
			}
			rs[k] = unicode.ToLower(r)
			k++
		}
		h := uint64(fnvOffset)
		for j := 0; j < 4 && j < k; j++ {
			h = hashRune(h, rs[j])
			wi.pre[j] = h
		}
		if n <= len(rs) {
			h = fnvOffset
			for j := 0; j < 4 && j < k; j++ {
				h = hashRune(h, rs[k-1-j])
				wi.suf[j] = h
			}
		}
	}
	return wi
}

// Feature templates. A template key is id<<3 | (offset+2).
const (
	tForm = iota + 1
	tLower
	tShape
	tShort
	tPre
	tSuf
	tCl0
	tCl1
	tCl2
	tCapB
	tCapShape
	tClShape
	tFlags
	tBias
	tFirst
	tFirstCl
	tHead
	tHeadCapB
	tBigram
	tShape3
	tClBigram
	tGaz
	tGazCap
	tGazCtx
	tDocCase
	tDocCaseShape
	tPred
	tPredPair
	tPredShape
	tPredType
	tHist
	tHistCap
	tHistSpan
	tFirstMention
	tLen
	tCapFirst
	tCl2Pair
	tCapRun
	tCtxShape
	tDocRun
	tNumSent
	tLowerCl
)

func tpl(id, off int) uint64 { return uint64(id)<<3 | uint64(off+2) }

// appendWordFeats appends the features of the word wi seen at relative position off
// (-2…2) from the token being labelled. They depend on the word form and off only.
func appendWordFeats(buf []uint64, wi *wordInfo, off int) []uint64 {
	switch off {
	case 0:
		buf = append(buf,
			feat(tpl(tForm, 0), wi.form),
			feat(tpl(tLower, 0), wi.lower),
			feat(tpl(tShape, 0), wi.shape),
			feat(tpl(tShort, 0), wi.short),
			feat(tpl(tCl0, 0), uint64(wi.cl[0])),
			feat(tpl(tCl1, 0), uint64(wi.cl[1])),
			feat(tpl(tCl2, 0), uint64(wi.cl[2])),
			feat(tpl(tCapB, 0), uint64(wi.capb)),
			feat(tpl(tCapShape, 0), pair(uint64(wi.capb), wi.short)),
			feat(tpl(tClShape, 0), pair(uint64(wi.cl[1]), wi.short)),
			feat(tpl(tFlags, 0), uint64(wi.flags)),
			feat(tpl(tLowerCl, 0), uint64(wi.lcl[1])),
			feat(tpl(tLowerCl, 0)+1<<40, uint64(wi.lcl[2])),
		)
		for j := range 4 {
			if wi.pre[j] != 0 {
				buf = append(buf, feat(tpl(tPre, 0)+uint64(j)<<40, wi.pre[j]))
			}
			if wi.suf[j] != 0 {
				buf = append(buf, feat(tpl(tSuf, 0)+uint64(j)<<40, wi.suf[j]))
			}
		}
		l := wi.runes
		if l > 12 {
			l = 12
		}
		buf = append(buf, feat(tpl(tLen, 0), uint64(l)))
	case -1, 1:
		buf = append(buf,
			feat(tpl(tLower, off), wi.lower),
			feat(tpl(tShort, off), wi.short),
			feat(tpl(tCl0, off), uint64(wi.cl[0])),
			feat(tpl(tCl1, off), uint64(wi.cl[1])),
			feat(tpl(tCl2, off), uint64(wi.cl[2])),
			feat(tpl(tCapB, off), uint64(wi.capb)),
			feat(tpl(tLowerCl, off), uint64(wi.lcl[1])),
		)
		if wi.suf[2] != 0 {
			buf = append(buf, feat(tpl(tSuf, off), wi.suf[2]))
		}
	default:
		buf = append(buf,
			feat(tpl(tLower, off), wi.lower),
			feat(tpl(tShort, off), wi.short),
			feat(tpl(tCl1, off), uint64(wi.cl[1])),
		)
	}
	return buf
}

// padWords stand before and after a sentence.
var padWords = [2]string{"<S>", "</S>"}

// docCtx is a document prepared for feature extraction.
type docCtx struct {
	lx      *lexicon
	index   map[uint64]int32 // digit-normalised word form → infos index
	infos   []*wordInfo      // shared with the lexicon for vocabulary words: read-only
	vid     []int32          // vocabulary id of each info (see lexicon.vocab), or -1
	sents   [][]int32        // word ids; the pads are ids 0 and 1
	head    []bool           // all-caps sentences (headlines)
	gaz     [][]uint32
	runs    [][]uint8 // capitalised-run code of each token: position<<4 | length (≤ 7)
	numSent []bool    // sentences that are mostly numbers (tables, results)
	lid     []int32   // lower-case form id of each info
	cases   []docCase // per lower-case form id
	toks    [][]Token
	nToken  int

	// Storage kept between documents when a docCtx is reused (see reset).
	ids    []int32
	gazBuf []uint32
	runBuf []uint8
	oov    []wordInfo // infos of the words outside the vocabulary
	lower  map[uint64]int32
}

// docCase counts how a lower-case word form is written across a document.
type docCase struct {
	lower  int32 // all lower-case uses
	capMid int32 // capitalised uses inside a sentence that is not a headline
	maxRun uint8 // longest capitalised run the word is part of
}

func newDocCtx(lx *lexicon, doc [][]Token) *docCtx {
	dc := &docCtx{}
	dc.reset(lx, doc)
	return dc
}

// grow returns s with length n, reusing its storage when it is large enough; the
// elements are zero.
func grow[E any](s []E, n int) []E {
	if cap(s) < n {
		return make([]E, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// reset prepares dc for doc, reusing the storage of the previous document.
func (dc *docCtx) reset(lx *lexicon, doc [][]Token) {
	dc.lx = lx
	dc.toks = doc
	if dc.index == nil {
		dc.index = make(map[uint64]int32, 64)
		dc.lower = make(map[uint64]int32, 64)
	} else {
		clear(dc.index)
		clear(dc.lower)
	}
	dc.sents = grow(dc.sents, len(doc))
	dc.head = grow(dc.head, len(doc))
	dc.gaz = grow(dc.gaz, len(doc))
	dc.runs = grow(dc.runs, len(doc))
	dc.numSent = grow(dc.numSent, len(doc))
	// The pads are vocabulary words 0 and 1.
	dc.infos = append(dc.infos[:0], &lx.vinfo[0], &lx.vinfo[1])
	dc.vid = append(dc.vid[:0], 0, 1)
	n := 0
	for _, s := range doc {
		n += len(s)
	}
	dc.nToken = n
	dc.ids = grow(dc.ids, n)
	dc.gazBuf = grow(dc.gazBuf, n)
	dc.runBuf = grow(dc.runBuf, n)
	// One slot for every token, so that the pointers into it stay valid.
	dc.oov = slices.Grow(dc.oov[:0], n)
	ids, gazBuf, runBuf := dc.ids, dc.gazBuf, dc.runBuf
	for si, s := range doc {
		sid := ids[:len(s):len(s)]
		ids = ids[len(s):]
		upper, lower, nums := 0, 0, 0
		for i, t := range s {
			h := hashNorm(fnvOffset, t.Text, normDigits)
			id, ok := dc.index[h]
			if !ok {
				id = int32(len(dc.infos))
				dc.index[h] = id
				if v := lx.vocab.get(mix(h)); v >= 0 {
					dc.infos = append(dc.infos, &lx.vinfo[v])
					dc.vid = append(dc.vid, v)
				} else {
					dc.oov = append(dc.oov, newWordInfo(lx, t.Text))
					dc.infos = append(dc.infos, &dc.oov[len(dc.oov)-1])
					dc.vid = append(dc.vid, -1)
				}
			}
			sid[i] = id
			f := dc.infos[id].flags
			if f&fHasLetter != 0 {
				if f&fAllCaps != 0 {
					upper++
				} else {
					lower++
				}
			} else if f&fHasDigit != 0 {
				nums++
			}
		}
		dc.sents[si] = sid
		dc.head[si] = upper >= 2 && lower == 0
		dc.numSent[si] = len(s) >= 4 && 3*nums >= len(s)
		dc.gaz[si] = gazBuf[:len(s):len(s)]
		gazBuf = gazBuf[len(s):]
		dc.matchGazetteer(s, sid, dc.gaz[si])
		dc.runs[si] = runBuf[:len(s):len(s)]
		runBuf = runBuf[len(s):]
		dc.capRuns(si, dc.runs[si])
	}
	lowerIdx := dc.lower
	dc.lid = grow(dc.lid, len(dc.infos))
	for id := range dc.infos {
		l, ok := lowerIdx[dc.infos[id].lower]
		if !ok {
			l = int32(len(lowerIdx))
			lowerIdx[dc.infos[id].lower] = l
		}
		dc.lid[id] = l
	}
	dc.cases = grow(dc.cases, len(lowerIdx))
	for si, sid := range dc.sents {
		for i, id := range sid {
			wi := dc.infos[id]
			c := &dc.cases[dc.lid[id]]
			if r := dc.runs[si][i] & 15; r > c.maxRun {
				c.maxRun = r
			}
			switch {
			case wi.flags&fLower != 0:
				c.lower++
			case wi.flags&fInitCap != 0 && i > 0 && !dc.head[si] && !afterOpener(dc, si, i):
				c.capMid++
			}
		}
	}
}

// release drops the references to the document's text.
func (dc *docCtx) release() {
	dc.toks = nil
	clear(dc.infos)
}

// capRuns codes each token by its place in a run of capitalised words (position
// B, I, L or U as 1…4, and the run's length up to 7) in out, which is zero; 0 for
// other tokens and in headlines.
func (dc *docCtx) capRuns(si int, out []uint8) {
	sid := dc.sents[si]
	if dc.head[si] {
		return
	}
	for i := 0; i < len(sid); {
		if dc.infos[sid[i]].flags&(fInitCap|fAllCaps) == 0 || dc.infos[sid[i]].flags&fHasLetter == 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(sid) && dc.infos[sid[j]].flags&(fInitCap|fAllCaps) != 0 && dc.infos[sid[j]].flags&fHasLetter != 0 {
			j++
		}
		n := uint8(min(j-i, 7))
		if j-i == 1 {
			out[i] = 4<<4 | n
		} else {
			out[i] = 1<<4 | n
			for k := i + 1; k < j-1; k++ {
				out[k] = 2<<4 | n
			}
			out[j-1] = 3<<4 | n
		}
		i = j
	}
}

// afterOpener reports whether token i follows a quote or bracket at a sentence start
// or a colon, where capitals say nothing about the word.
func afterOpener(dc *docCtx, si, i int) bool {
	prev := dc.infos[dc.sents[si][i-1]]
	return prev.flags&fPunct != 0 && (i == 1 || prev.flags&fPeriod == 0)
}

// capMidSelf reports whether the token counts towards its own docCase.capMid.
func (dc *docCtx) capMidSelf(si, i int) bool {
	wi := dc.infos[dc.sents[si][i]]
	return wi.flags&fInitCap != 0 && i > 0 && !dc.head[si] && !afterOpener(dc, si, i)
}

// matchGazetteer gives each token, for each category, its BILOU position (1…4) in
// the longest phrase of that category matched at or before it, packed 4 bits a
// category, into out, which is zero.
func (dc *docCtx) matchGazetteer(s []Token, sid []int32, out []uint32) {
	lx := dc.lx
	var until [numGaz]int
	for i := range s {
		m := int(dc.infos[sid[i]].gazMax)
		if m == 0 {
			continue
		}
		var longest [numGaz]int
		h := uint64(fnvOffset)
		for j := 0; j < m && i+j < len(s); j++ {
			if j > 0 {
				h = hashNorm(hashByte(h, ' '), s[i+j].Text, normDigits|normLower)
			} else {
				h = dc.infos[sid[i]].lower
			}
			v := lx.phrases.get(mix(h))
			if v <= 0 {
				break // neither a phrase nor the start of one
			}
			for c, cats := 0, v&(gazPrefix-1); cats != 0; c, cats = c+1, cats>>1 {
				if cats&1 != 0 {
					longest[c] = j + 1
				}
			}
			if v&gazPrefix == 0 {
				break
			}
		}
		for c, n := range longest {
			if n == 0 || i < until[c] {
				continue
			}
			until[c] = i + n
			if n == 1 {
				out[i] |= 4 << (4 * c)
				continue
			}
			out[i] |= 1 << (4 * c)
			for k := i + 1; k < i+n-1; k++ {
				out[k] |= 2 << (4 * c)
			}
			out[i+n-1] |= 3 << (4 * c)
		}
	}
}

// word returns the info of the token at i in sentence si, or of a pad.
func (dc *docCtx) word(si, i int) *wordInfo {
	s := dc.sents[si]
	switch {
	case i < 0:
		return dc.infos[0]
	case i >= len(s):
		return dc.infos[1]
	}
	return dc.infos[s[i]]
}

// appendTokenFeats appends the features of token i of sentence si that depend on
// more than one word form: sentence position, headlines, bigrams, gazetteer matches
// and how the word is written elsewhere in the document.
func appendTokenFeats(buf []uint64, dc *docCtx, si, i int) []uint64 {
	w := dc.word(si, i)
	wp, wn := dc.word(si, i-1), dc.word(si, i+1)
	buf = append(buf,
		feat(tpl(tBias, 0), 1),
		feat(tpl(tBigram, -1), pair(wp.lower, w.lower)),
		feat(tpl(tBigram, 1), pair(w.lower, wn.lower)),
		feat(tpl(tShape3, 0), pair(pair(wp.short, w.short), wn.short)),
		feat(tpl(tClBigram, -1), pair(uint64(wp.cl[1]), uint64(w.cl[1]))),
		feat(tpl(tClBigram, 1), pair(uint64(w.cl[1]), uint64(wn.cl[1]))),
		feat(tpl(tCl2Pair, 0), pair(uint64(wp.cl[2]), uint64(wn.cl[2]))),
	)
	buf = append(buf,
		feat(tpl(tCtxShape, -1), pair(wp.lower, w.short)),
		feat(tpl(tCtxShape, 1), pair(w.short, wn.lower)),
	)
	if r := dc.runs[si][i]; r != 0 {
		buf = append(buf, feat(tpl(tCapRun, 0), uint64(r)))
		if i == 0 {
			buf = append(buf, feat(tpl(tCapRun, -1), uint64(r)))
		}
	}
	if dc.numSent[si] {
		buf = append(buf,
			feat(tpl(tNumSent, 0), w.short),
			feat(tpl(tNumSent, 1), pair(w.short, wn.short)),
		)
	}
	if i == 0 {
		buf = append(buf,
			feat(tpl(tFirst, 0), w.short),
			feat(tpl(tFirstCl, 0), uint64(w.cl[1])),
			feat(tpl(tCapFirst, 0), uint64(w.capb)),
		)
	}
	head := dc.head[si]
	if head {
		buf = append(buf,
			feat(tpl(tHead, 0), w.short),
			feat(tpl(tHeadCapB, 0), uint64(w.capb)),
		)
	}
	g := dc.gaz[si]
	if code := g[i]; code != 0 {
		capf := uint64(w.flags & (fInitCap | fAllCaps | fLower))
		for c := uint64(0); code != 0; c, code = c+1, code>>4 {
			if p := uint64(code & 15); p != 0 {
				buf = append(buf,
					feat(tpl(tGaz, 0), c<<3|p),
					feat(tpl(tGazCap, 0), c<<3|p|capf<<8),
				)
			}
		}
	}
	if i > 0 && g[i-1] != 0 {
		buf = append(buf, feat(tpl(tGazCtx, -1), uint64(gazEnds(g[i-1]))))
	}
	if i+1 < len(g) && g[i+1] != 0 {
		buf = append(buf, feat(tpl(tGazCtx, 1), uint64(gazStarts(g[i+1]))))
	}
	if w.flags&fHasLetter != 0 {
		c := dc.cases[dc.lid[dc.sents[si][i]]]
		if w.flags&fLower != 0 {
			c.lower--
		} else if dc.capMidSelf(si, i) {
			c.capMid--
		}
		v := uint64(w.flags & (fInitCap | fAllCaps | fLower))
		if c.lower > 0 {
			v |= 1 << 8
		}
		if c.capMid > 0 {
			v |= 1 << 9
		}
		if i == 0 {
			v |= 1 << 10
		}
		if head {
			v |= 1 << 11
		}
		buf = append(buf,
			feat(tpl(tDocCase, 0), v),
			feat(tpl(tDocCaseShape, 0), pair(v, uint64(w.capb))),
			feat(tpl(tDocRun, 0), uint64(dc.runs[si][i])<<8|uint64(c.maxRun)),
		)
	}
	return buf
}

// gazEnds returns the categories whose phrase ends at a token with these codes.
func gazEnds(code uint32) uint32 {
	var m uint32
	for c := 0; code != 0; c, code = c+1, code>>4 {
		if p := code & 15; p == 3 || p == 4 {
			m |= 1 << c
		}
	}
	return m
}

// gazStarts returns the categories whose phrase starts at a token with these codes.
func gazStarts(code uint32) uint32 {
	var m uint32
	for c := 0; code != 0; c, code = c+1, code>>4 {
		if p := code & 15; p == 1 || p == 4 {
			m |= 1 << c
		}
	}
	return m
}

// stackCtx holds the first stage's labels for a document and what they say about
// each word and phrase across the document.
type stackCtx struct {
	labels [][]int8
	words  [][numTypes + 1]int32      // lower-case form id → uses per type (O last)
	spans  map[uint64][numTypes]int32 // lower-case phrase → spans per type
	spanOf [][]uint64                 // the phrase hash of the span covering each token
	first  []int8                     // lower-case form id → type of its first use in an entity, or -1

	spanBuf []uint64 // storage of spanOf
}

func newStackCtx(dc *docCtx, labels [][]int8) *stackCtx {
	sc := &stackCtx{}
	sc.reset(dc, labels)
	return sc
}

// reset fills sc for the document and first-stage labels, reusing its storage.
func (sc *stackCtx) reset(dc *docCtx, labels [][]int8) {
	sc.labels = labels
	sc.words = grow(sc.words, len(dc.cases))
	if sc.spans == nil {
		sc.spans = make(map[uint64][numTypes]int32)
	} else {
		clear(sc.spans)
	}
	sc.spanOf = grow(sc.spanOf, len(labels))
	sc.spanBuf = grow(sc.spanBuf, dc.nToken)
	spanBuf := sc.spanBuf
	sc.first = grow(sc.first, len(dc.cases))
	for i := range sc.first {
		sc.first[i] = -1
	}
	for si, ls := range labels {
		sid := dc.sents[si]
		sc.spanOf[si] = spanBuf[:len(ls):len(ls)]
		spanBuf = spanBuf[len(ls):]
		start := 0
		h := uint64(0)
		for i, l := range ls {
			wi := dc.infos[sid[i]]
			t := labelType(l)
			if t == numTypes && wi.flags&(fInitCap|fAllCaps) == 0 {
				continue
			}
			lid := dc.lid[sid[i]]
			sc.words[lid][t]++
			if t == numTypes {
				continue
			}
			if sc.first[lid] < 0 {
				sc.first[lid] = int8(t)
			}
			switch labelPos(l) {
			case posB, posU:
				start = i
				h = pair(fnvOffset, wi.lower)
			default:
				h = pair(h, wi.lower)
			}
			if p := labelPos(l); p == posL || p == posU {
				s := sc.spans[h]
				s[t]++
				sc.spans[h] = s
				for k := start; k <= i; k++ {
					sc.spanOf[si][k] = h
				}
			}
		}
	}
}

// appendStackFeats appends the second stage's features: the first stage's labels
// around the token and what the first stage said about the same word and phrase
// elsewhere in the document.
func appendStackFeats(buf []uint64, dc *docCtx, sc *stackCtx, si, i int) []uint64 {
	ls := sc.labels[si]
	lab := func(k int) uint64 {
		if k < 0 || k >= len(ls) {
			return 99
		}
		return uint64(ls[k])
	}
	typ := func(k int) uint64 {
		if k < 0 || k >= len(ls) {
			return 99
		}
		return uint64(labelType(ls[k]))
	}
	w := dc.word(si, i)
	p0 := lab(i)
	buf = append(buf,
		feat(tpl(tPred, 0), p0),
		feat(tpl(tPred, -1), lab(i-1)),
		feat(tpl(tPred, 1), lab(i+1)),
		feat(tpl(tPredPair, -1), pair(lab(i-1), p0)),
		feat(tpl(tPredPair, 1), pair(p0, lab(i+1))),
		feat(tpl(tPredShape, 0), pair(p0, w.short)),
		feat(tpl(tPredType, -2), typ(i-2)),
		feat(tpl(tPredType, 2), typ(i+2)),
	)
	if w.flags&fHasLetter == 0 {
		return buf
	}
	own := labelType(ls[i])
	lid := dc.lid[dc.sents[si][i]]
	{
		c := sc.words[lid]
		if own < numTypes || w.flags&(fInitCap|fAllCaps) != 0 {
			c[own]--
		}
		total, best := int32(0), 0
		for t, n := range c {
			total += n
			if n > c[best] {
				best = t
			}
		}
		if total > 0 {
			frac := uint64(4 * c[best] / total)
			capf := uint64(w.flags & (fInitCap | fAllCaps | fLower))
			buf = append(buf,
				feat(tpl(tHist, 0), uint64(best)<<4|frac),
				feat(tpl(tHistCap, 0), uint64(best)<<4|frac|capf<<8|uint64(own)<<16),
			)
		}
	}
	if h := sc.spanOf[si][i]; h != 0 {
		c := sc.spans[h]
		c[own]--
		total, best := int32(0), 0
		for t, n := range c {
			total += n
			if n > c[best] {
				best = t
			}
		}
		if total > 0 {
			buf = append(buf, feat(tpl(tHistSpan, 0), uint64(best)<<4|uint64(own)))
		}
	}
	if t := sc.first[lid]; t >= 0 {
		buf = append(buf, feat(tpl(tFirstMention, 0), uint64(t)<<4|uint64(own)))
	}
	return buf
}
