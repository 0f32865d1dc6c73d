package depparse

// Tag feature templates.
const (
	tfBias = iota + 1
	tfWord
	tfForm
	tfPre
	tfSuf
	tfShape
	tfFlags
	tfP1
	tfP2P1
	tfP1W
	tfW1
	tfW1Suf
	tfW2
	tfN1
	tfN1Suf
	tfN2
	tfN1Shape
	tfW1W
	tfWN1
	tfN1N2
	tfP1N1
	tfP1Suf
	tfFirstForm
	tfN1Pre
	tfW1Shape
)

// tag values: 0 none (before the sentence), 1.. tag index + 1.
const tagNone = 0

var padWord = wordInfo{form: 11, lower: 12, shape: 13, pre: [4]uint64{14, 14, 14, 14}, suf: [4]uint64{15, 15, 15, 15}, flags: 1 << 20}

func wordAt(ws []wordInfo, i int) *wordInfo {
	if i < 0 || i >= len(ws) {
		return &padWord
	}
	return &ws[i]
}

// tagStatic appends the tagger features of word i that do not depend on
// the tags of the previous words.
func tagStatic(out []uint64, ws []wordInfo, i int) []uint64 {
	w := &ws[i]
	w1, w2 := wordAt(ws, i-1), wordAt(ws, i-2)
	n1, n2 := wordAt(ws, i+1), wordAt(ws, i+2)
	out = append(out,
		mix(tfBias, 0, 0, 0),
		mix(tfWord, w.lower, 0, 0),
		mix(tfForm, w.form, 0, 0),
		mix(tfShape, w.shape, 0, 0),
		mix(tfFlags, w.flags, 0, 0),
		mix(tfW1, w1.lower, 0, 0),
		mix(tfW1Suf, w1.suf[2], 0, 0),
		mix(tfW2, w2.lower, 0, 0),
		mix(tfN1, n1.lower, 0, 0),
		mix(tfN1Suf, n1.suf[2], 0, 0),
		mix(tfN2, n2.lower, 0, 0),
		mix(tfN1Shape, n1.shape, 0, 0),
		mix(tfW1W, w1.lower, w.lower, 0),
		mix(tfWN1, w.lower, n1.lower, 0),
		mix(tfN1N2, n1.lower, n2.lower, 0),
		mix(tfN1Pre, n1.pre[0], n1.suf[0], 0),
		mix(tfW1Shape, w1.shape, w.shape, 0),
	)
	if w.flags&flagFirst != 0 {
		out = append(out, mix(tfFirstForm, w.form, 0, 0))
	}
	for k := 0; k < 4; k++ {
		out = append(out, mix(tfPre, uint64(k), w.pre[k], 0), mix(tfSuf, uint64(k), w.suf[k], 0))
	}
	return out
}

// tagDynamic appends the tagger features of word i that depend on the tags
// of the two previous words (tag values as above).
func tagDynamic(out []uint64, ws []wordInfo, i int, p1, p2 uint64) []uint64 {
	w := &ws[i]
	n1 := wordAt(ws, i+1)
	return append(out,
		mix(tfP1, p1, 0, 0),
		mix(tfP2P1, p2, p1, 0),
		mix(tfP1W, p1, w.lower, 0),
		mix(tfP1N1, p1, n1.lower, 0),
		mix(tfP1Suf, p1, w.suf[2], 0),
	)
}

// tagFeatures appends all tagger features of word i.
func tagFeatures(out []uint64, ws []wordInfo, i int, p1, p2 uint64) []uint64 {
	return tagDynamic(tagStatic(out, ws, i), ws, i, p1, p2)
}

// argmax returns the index of the highest score (the first on ties).
func argmax(s []int32) int {
	b := 0
	for i, v := range s {
		if v > s[b] {
			b = i
		}
	}
	return b
}

// tagScratch is the working memory of tagWords.
type tagScratch struct {
	feats  []uint64
	at     []int32
	static []int32 // per word, the scores of its tag-independent features
	scores []int32
}

// tagWords tags the analyzed words with model t, writing tag indices
// (0-based into the tag list) into tags. The tag-independent features of
// all words are scored first in one batch, so that their table lookups
// overlap; then the words are tagged left to right.
func tagWords(t *sparseTable, ws []wordInfo, tags []int, sc *tagScratch) {
	nc := t.nClasses
	sc.feats, sc.at = sc.feats[:0], sc.at[:0]
	for i := range ws {
		k := len(sc.feats)
		sc.feats = tagStatic(sc.feats, ws, i)
		for range sc.feats[k:] {
			sc.at = append(sc.at, int32(i*nc))
		}
	}
	sc.static = grow(sc.static, len(ws)*nc+t.span())
	clear(sc.static)
	t.scoreAt(sc.feats, sc.at, sc.static)
	sc.scores = grow(sc.scores, t.span())
	var p1, p2 uint64
	for i := range ws {
		sc.feats = tagDynamic(sc.feats[:0], ws, i, p1, p2)
		copy(sc.scores, sc.static[i*nc:(i+1)*nc])
		t.score(sc.feats, sc.scores)
		g := argmax(sc.scores[:nc])
		tags[i] = g
		p2, p1 = p1, uint64(g+1)
	}
}
