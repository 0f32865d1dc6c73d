package ner

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/newsgraph/newsgraph/internal/hugemem"
)

//go:embed model.bin
var embeddedModel []byte

// Span is an entity mention: tokens Start to End (End exclusive) of one sentence, and
// its type: PER, LOC, ORG or MISC.
type Span struct {
	Start, End int
	Label      string
}

// Tagger finds entity mentions. It is read-only after loading and safe for concurrent
// use; the same document always gets the same spans.
type Tagger struct {
	lx     *lexicon
	stages []*stage
	info   ModelInfo

	// Built from the stages for tagging (see build): one table for every stage's
	// features whose rows hold each stage's weights side by side, and the summed word
	// features of every vocabulary word at each relative position.
	table *featTable
	w     []float32 // len(stages)*numLabels weights per row
	wvec  []float32 // per vocabulary word, per offset -2…2: len(stages)*numLabels

	wMem, wvecMem *hugemem.Region // where w and wvec live

	pool sync.Pool // of *work
}

// ModelInfo describes how a model was trained.
type ModelInfo struct {
	Format   int     `json:"format"`            // model file format version
	Stages   int     `json:"stages"`            // stacked perceptrons
	Epochs   int     `json:"epochs"`            // passes over the training data
	Seed     uint64  `json:"seed"`              // shuffling seed
	Folds    int     `json:"folds"`             // jackknife folds for the second stage
	Average  int     `json:"average"`           // perceptrons averaged per stage
	Prune    float64 `json:"prune"`             // smallest weight magnitude kept
	Dropout  float64 `json:"dropout,omitempty"` // word-form feature dropout in training
	Features []int   `json:"features"`          // weight rows kept per stage
	DevF1    float64 `json:"devF1,omitempty"`   // F1 on the development file given to Train
}

// Info returns how the model was trained.
func (t *Tagger) Info() ModelInfo { return t.info }

// stage is one trained perceptron: a weight row per feature plus label transitions.
type stage struct {
	table *featTable
	w     []float32 // numLabels weights per row
	trans [numLabels * numLabels]float32
	start [numLabels]float32
	keys  []uint64  // sorted feature keys, row i is keys[i] (for saving)
	wvec  []float32 // summed word features of each vocabulary word at offsets -2…2
}

const modelMagic = "newsgraph-ner\n"
const modelFormat = 1

var defaultTagger = sync.OnceValues(func() (*Tagger, error) {
	if len(embeddedModel) == 0 {
		return nil, errors.New("ner: no embedded model (run cmd/nertrain)")
	}
	return Load(bytes.NewReader(embeddedModel))
})

// Default returns the tagger embedded in the binary, loaded on first use and shared.
func Default() (*Tagger, error) { return defaultTagger() }

// Tag labels the entity mentions in a document given as sentences of tokens. Only
// the tokens' Text is read; features may look at every sentence of the document, so
// tag a whole article at once rather than sentence by sentence. The result has one
// slice of spans per sentence, in order.
func (t *Tagger) Tag(doc [][]Token) [][]Span {
	out := make([][]Span, len(doc))
	if len(doc) == 0 {
		return out
	}
	w := t.getWork()
	defer t.putWork(w)
	for si, ls := range t.labelDoc(w, doc) {
		out[si] = spansOf(ls)
	}
	return out
}

// TextSpan is an entity mention in a text: bytes Start to End (End exclusive) and its
// type: PER, LOC, ORG or MISC.
type TextSpan struct {
	Start, End int
	Label      string
}

// TagText splits text into sentences as SplitSentences does, tags them as one
// document and returns the mentions with byte offsets into text, in order. It gives
// the same mentions as SplitSentences followed by Tag, with less allocation.
func (t *Tagger) TagText(text string) []TextSpan {
	if text == "" {
		return nil
	}
	w := t.getWork()
	defer t.putWork(w)
	w.toks = appendTokens(w.toks[:0], text)
	w.sents = splitTokens(text, w.toks, w.sents[:0])
	var out []TextSpan
	for si, ls := range t.labelDoc(w, w.sents) {
		s := w.sents[si]
		start := 0
		for i, l := range ls {
			if l == 0 {
				continue
			}
			switch labelPos(l) {
			case posB:
				start = i
			case posU:
				out = append(out, TextSpan{s[i].Start, s[i].End, typeNames[labelType(l)]})
			case posL:
				out = append(out, TextSpan{s[start].Start, s[i].End, typeNames[labelType(l)]})
			}
		}
	}
	return out
}

// work is the scratch space of one Tag call, pooled so that tagging a document
// allocates little.
type work struct {
	dc     docCtx
	sc     stackCtx
	vecs   [][]float32
	local  []float32
	em     []float32
	buf    []uint64
	labels [2][][]int8
	lab    [2][]int8
	one    []float32
	vb     viterbiBuf[float32]
	toks   []Token
	sents  [][]Token
}

func (t *Tagger) getWork() *work {
	if w, ok := t.pool.Get().(*work); ok {
		return w
	}
	return &work{buf: make([]uint64, 0, 64)}
}

func (t *Tagger) putWork(w *work) {
	w.dc.release()
	w.sc.labels = nil
	clear(w.vecs)
	clear(w.toks)
	clear(w.sents)
	if cap(w.em) > 1<<20 || cap(w.toks) > 1<<16 {
		return // a very long document: let its storage go
	}
	t.pool.Put(w)
}

// labelDoc returns the labels of the document's tokens; they live in w.
func (t *Tagger) labelDoc(w *work, doc [][]Token) [][]int8 {
	w.dc.reset(t.lx, doc)
	if w.dc.nToken == 0 {
		w.labels[0] = grow(w.labels[0], len(doc))
		return w.labels[0]
	}
	return t.label(w)
}

// spansOf turns a valid BILOU label sequence into spans.
func spansOf(ls []int8) []Span {
	var out []Span
	start := 0
	for i, l := range ls {
		if l == 0 {
			continue
		}
		switch labelPos(l) {
		case posB:
			start = i
		case posU:
			out = append(out, Span{i, i + 1, typeNames[labelType(l)]})
		case posL:
			out = append(out, Span{start, i + 1, typeNames[labelType(l)]})
		}
	}
	return out
}

// build makes the tagging tables from the stages.
func (t *Tagger) build() {
	const L = numLabels
	S := len(t.stages)
	W := S * L
	n := 0
	for _, st := range t.stages {
		n += len(st.keys)
	}
	rows := make(map[uint64]int32, n)
	var keys []uint64
	for _, st := range t.stages {
		for _, k := range st.keys {
			if _, ok := rows[k]; !ok {
				rows[k] = int32(len(keys))
				keys = append(keys, k)
			}
		}
	}
	t.table = newFeatTable(len(keys))
	t.w, t.wMem = hugemem.Alloc[float32](len(keys) * W)
	for r, k := range keys {
		t.table.insert(k, int32(r))
	}
	for s, st := range t.stages {
		for i, k := range st.keys {
			copy(t.w[int(rows[k])*W+s*L:][:L], st.w[i*L:][:L])
		}
	}
	t.wvec, t.wvecMem = hugemem.Alloc[float32](len(t.lx.vinfo) * 5 * W)
	buf := make([]uint64, 0, 64)
	for v := range t.lx.vinfo {
		for off := -2; off <= 2; off++ {
			buf = appendWordFeats(buf[:0], &t.lx.vinfo[v], off)
			t.sum(t.wvec[(v*5+off+2)*W:][:W], buf)
		}
	}
}

// label runs every stage over the document in w.dc and returns the last stage's
// labels.
func (t *Tagger) label(w *work) [][]int8 {
	const L = numLabels
	S := len(t.stages)
	W := S * L
	dc := &w.dc
	// The features of a word form at each relative position are the same wherever it
	// occurs, so their weights are summed once per form and position: once per model
	// for the vocabulary, once per document for other words.
	w.vecs = grow(w.vecs, len(dc.infos))
	vecs := w.vecs
	oov := 0
	for _, v := range dc.vid {
		if v < 0 {
			oov++
		}
	}
	w.local = grow(w.local, oov*5*W)
	local := w.local
	buf := w.buf
	for id, v := range dc.vid {
		if v >= 0 {
			vecs[id] = t.wvec[int(v)*5*W:][:5*W]
			continue
		}
		vec := local[:5*W]
		local = local[5*W:]
		for off := -2; off <= 2; off++ {
			buf = appendWordFeats(buf[:0], dc.infos[id], off)
			t.sum(vec[(off+2)*W:][:W], buf)
		}
		vecs[id] = vec
	}
	// Every stage's scores from the word and token features, W a token.
	w.em = grow(w.em, dc.nToken*W)
	em := w.em
	k := 0
	for si, sid := range dc.sents {
		n := len(sid)
		for i := range n {
			e := em[k*W : k*W+W]
			k++
			for off := -2; off <= 2; off++ {
				id := 0
				switch j := i + off; {
				case j >= n:
					id = 1
				case j >= 0:
					id = int(sid[j])
				}
				if row := vecs[id][(off+2)*W:][:W]; W == 34 {
					add34(&e[0], &row[0])
				} else {
					addRow(e, row)
				}
			}
			buf = appendTokenFeats(buf[:0], dc, si, i)
			t.sum(e, buf)
		}
	}
	var labels [][]int8
	for s, st := range t.stages {
		var sc *stackCtx
		if s > 0 {
			sc = &w.sc
			sc.reset(dc, labels)
		}
		next := grow(w.labels[s&1], len(dc.sents))
		lab := grow(w.lab[s&1], dc.nToken)
		w.labels[s&1], w.lab[s&1] = next, lab
		k := 0
		for si, sid := range dc.sents {
			n := len(sid)
			w.one = slices.Grow(w.one[:0], n*L)[:n*L]
			one := w.one
			for i := range n {
				e := em[(k+i)*W : (k+i)*W+W]
				if sc != nil {
					buf = appendStackFeats(buf[:0], dc, sc, si, i)
					t.sumPart(e[s*L:s*L+L], buf, s)
				}
				copy(one[i*L:i*L+L], e[s*L:s*L+L])
			}
			k += n
			next[si] = lab[:n:n]
			lab = lab[n:]
			if n > 0 {
				viterbiTag(one, n, &st.trans, &st.start, next[si], &w.vb)
			}
		}
		labels = next
	}
	w.buf = buf
	return labels
}

// sum adds the weight rows of the features to e.
func (t *Tagger) sum(e []float32, feats []uint64) {
	W := len(e)
	for _, f := range feats {
		r := t.table.get(f)
		if r < 0 {
			continue
		}
		if row := t.w[int(r)*W:][:W]; W == 34 {
			add34(&e[0], &row[0])
		} else {
			addRow(e, row)
		}
	}
}

// sumPart adds stage s's weights of the features to e.
func (t *Tagger) sumPart(e []float32, feats []uint64, s int) {
	W := len(t.stages) * numLabels
	e = e[:numLabels]
	for _, f := range feats {
		r := t.table.get(f)
		if r < 0 {
			continue
		}
		row := t.w[int(r)*W+s*numLabels:][:numLabels]
		add17(&e[0], &row[0])
	}
}

// addRow adds row to acc (of the same length). The widths of a two-stage model
// have unrolled versions (add_amd64.s, add_other.go), which the hot loops call
// directly.
func addRow(acc, row []float32) {
	row = row[:len(acc)]
	switch len(acc) {
	case 34:
		add34(&acc[0], &row[0])
	case 17:
		add17(&acc[0], &row[0])
	default:
		for l := range acc {
			acc[l] += row[l]
		}
	}
}

// Allowed BILOU transitions.
var (
	prevLabels [numLabels][]int8 // labels that may precede each label
	startOK    [numLabels]bool
	endOK      [numLabels]bool
)

func init() {
	for cur := range int8(numLabels) {
		inside := cur != 0 && (labelPos(cur) == posI || labelPos(cur) == posL)
		startOK[cur] = !inside
		endOK[cur] = cur == 0 || labelPos(cur) == posL || labelPos(cur) == posU
		for prev := range int8(numLabels) {
			prevOpen := prev != 0 && (labelPos(prev) == posB || labelPos(prev) == posI)
			ok := !inside && !prevOpen || inside && prevOpen && labelType(prev) == labelType(cur)
			if ok {
				prevLabels[cur] = append(prevLabels[cur], prev)
			}
		}
	}
}

type float interface{ ~float32 | ~float64 }

type viterbiBuf[F float] struct {
	delta []F
	back  []int8
}

// viterbi finds the best allowed label sequence for emission scores em (n×numLabels)
// and writes it to out. Ties go to the lower label, so results are deterministic.
func viterbi[F float](em []F, n int, trans *[numLabels * numLabels]F, start *[numLabels]F, out []int8, vb *viterbiBuf[F]) {
	const L = numLabels
	const none = -1e30 // forbidden; sums with it stay far below any allowed score
	if n == 0 {
		return
	}
	vb.delta = slices.Grow(vb.delta[:0], n*L)[:n*L]
	vb.back = slices.Grow(vb.back[:0], n*L)[:n*L]
	d, back := vb.delta, vb.back
	for l := range L {
		if startOK[l] {
			d[l] = start[l] + em[l]
		} else {
			d[l] = none
		}
	}
	for i := 1; i < n; i++ {
		prev := (*[L]F)(d[(i-1)*L:])
		cur := (*[L]F)(d[i*L:])
		e := (*[L]F)(em[i*L:])
		bk := (*[L]int8)(back[i*L:])
		for c := range L {
			ps := prevLabels[c]
			p := ps[0]
			best, arg := prev[p]+trans[int(p)*L+c], p
			for _, p := range ps[1:] {
				if s := prev[p] + trans[int(p)*L+c]; s > best {
					best, arg = s, p
				}
			}
			cur[c] = best + e[c]
			bk[c] = arg
		}
	}
	last := d[(n-1)*L : n*L]
	best, arg := F(none), int8(0)
	for l := range int8(L) {
		if endOK[l] && last[l] > best {
			best, arg = last[l], l
		}
	}
	for i := n - 1; i >= 0; i-- {
		out[i] = arg
		arg = back[i*L+int(arg)]
	}
}

// Save writes the model: the word table, the gazetteer and each stage's non-zero
// weights as float32, gzip-compressed.
func (t *Tagger) Save(w io.Writer) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(gz)
	var scratch [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(scratch[:binary.PutUvarint(scratch[:], x)]) }
	sv := func(x int64) { bw.Write(scratch[:binary.PutVarint(scratch[:], x)]) }
	str := func(s string) { uv(uint64(len(s))); bw.WriteString(s) }
	f32 := func(f float32) { binary.Write(bw, binary.LittleEndian, math.Float32bits(f)) }

	bw.WriteString(modelMagic)
	info := t.info
	info.Format = modelFormat
	info.Stages = len(t.stages)
	info.Features = nil
	for _, st := range t.stages {
		info.Features = append(info.Features, len(st.keys))
	}
	hdr, err := json.Marshal(info)
	if err != nil {
		return err
	}
	str(string(hdr))

	uv(uint64(len(t.lx.wordList)))
	prev := ""
	for _, wr := range t.lx.wordList {
		// Front coding: the length shared with the previous form, then the rest.
		k := 0
		for k < len(prev) && k < len(wr.Form) && prev[k] == wr.Form[k] {
			k++
		}
		uv(uint64(k))
		str(wr.Form[k:])
		prev = wr.Form
		for _, c := range wr.Clusters {
			uv(uint64(c))
		}
		sv(int64(wr.CapMille))
	}
	uv(uint64(len(t.lx.gazList)))
	prev = ""
	for _, g := range t.lx.gazList {
		k := 0
		for k < len(prev) && k < len(g.Phrase) && prev[k] == g.Phrase[k] {
			k++
		}
		uv(uint64(k))
		str(g.Phrase[k:])
		prev = g.Phrase
		uv(uint64(g.Cats))
	}

	uv(uint64(len(t.stages)))
	for _, st := range t.stages {
		for _, f := range st.trans {
			f32(f)
		}
		for _, f := range st.start {
			f32(f)
		}
		uv(uint64(len(st.keys)))
		var last uint64
		for _, k := range st.keys {
			uv(k - last)
			last = k
		}
		// Per row: the bit set of non-zero labels, then those weights.
		for r := range st.keys {
			row := st.w[r*numLabels:][:numLabels]
			var mask uint64
			for l, f := range row {
				if f != 0 {
					mask |= 1 << l
				}
			}
			uv(mask)
		}
		for r := range st.keys {
			for _, f := range st.w[r*numLabels:][:numLabels] {
				if f != 0 {
					f32(f)
				}
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return gz.Close()
}

// Load reads a model written by Save (the format of the embedded model.bin).
func Load(r io.Reader) (*Tagger, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("ner: load: %w", err)
	}
	br := bufio.NewReaderSize(gz, 1<<16)
	t, err := load(br)
	if err != nil {
		return nil, fmt.Errorf("ner: load: %w", err)
	}
	return t, nil
}

func load(br *bufio.Reader) (*Tagger, error) {
	var err error
	uv := func() uint64 {
		if err != nil {
			return 0
		}
		var x uint64
		x, err = binary.ReadUvarint(br)
		return x
	}
	sv := func() int64 {
		if err != nil {
			return 0
		}
		var x int64
		x, err = binary.ReadVarint(br)
		return x
	}
	str := func() string {
		n := uv()
		if err != nil {
			return ""
		}
		if n > 1<<20 {
			err = fmt.Errorf("string of %d bytes", n)
			return ""
		}
		b := make([]byte, n)
		_, err = io.ReadFull(br, b)
		return string(b)
	}
	var b4 [4]byte
	f32 := func() float32 {
		if err != nil {
			return 0
		}
		_, err = io.ReadFull(br, b4[:])
		return math.Float32frombits(binary.LittleEndian.Uint32(b4[:]))
	}
	count := func(limit uint64) int {
		n := uv()
		if n > limit {
			err = fmt.Errorf("count %d out of range", n)
			return 0
		}
		return int(n)
	}

	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("not a newsgraph entity model")
	}
	t := &Tagger{}
	if e := json.Unmarshal([]byte(str()), &t.info); err == nil && e != nil {
		err = e
	}
	if err == nil && t.info.Format != modelFormat {
		err = fmt.Errorf("model format %d, want %d", t.info.Format, modelFormat)
	}

	words := make([]wordRecord, count(1<<24))
	prev := ""
	for i := range words {
		k := int(uv())
		rest := str()
		if k > len(prev) {
			err = errors.New("bad word table")
		}
		if err != nil {
			return nil, err
		}
		words[i].Form = prev[:k] + rest
		prev = words[i].Form
		for c := range numClusters {
			words[i].Clusters[c] = uint16(uv())
		}
		words[i].CapMille = int16(sv())
	}
	gaz := make([]gazRecord, count(1<<24))
	prev = ""
	for i := range gaz {
		k := int(uv())
		rest := str()
		if k > len(prev) {
			err = errors.New("bad gazetteer")
		}
		if err != nil {
			return nil, err
		}
		gaz[i].Phrase = prev[:k] + rest
		prev = gaz[i].Phrase
		gaz[i].Cats = uint16(uv())
	}
	if err != nil {
		return nil, err
	}
	t.lx = newLexicon(words, gaz)

	t.stages = make([]*stage, count(4))
	for s := range t.stages {
		st := &stage{}
		for i := range st.trans {
			st.trans[i] = f32()
		}
		for i := range st.start {
			st.start[i] = f32()
		}
		n := count(1 << 26)
		if err != nil {
			return nil, err
		}
		st.keys = make([]uint64, n)
		var last uint64
		for i := range st.keys {
			last += uv()
			st.keys[i] = last
		}
		masks := make([]uint32, n)
		for i := range masks {
			masks[i] = uint32(uv())
		}
		st.w = make([]float32, n*numLabels)
		for r, m := range masks {
			if bits.Len32(m) > numLabels {
				err = errors.New("bad label mask")
			}
			for m != 0 {
				l := bits.TrailingZeros32(m)
				st.w[r*numLabels+l] = f32()
				m &= m - 1
			}
		}
		if err != nil {
			return nil, err
		}
		t.stages[s] = st
	}
	if len(t.stages) == 0 {
		return nil, errors.New("model has no stages")
	}
	t.build()
	return t, nil
}

// closedLabels are the labels after which no entity is open (O, and L and U of
// every type), in label order: the labels allowed before O, B and U.
var closedLabels = [9]int{0, 3, 4, 7, 8, 11, 12, 15, 16}

// freeLabels are the labels that need no open entity before them (O, B and U of
// every type), in label order.
var freeLabels = [9]int{0, 1, 4, 5, 8, 9, 12, 13, 16}

// openAfter are the labels that continue an open entity (I and L), by type.
var openAfter = [numTypes][2]int{{2, 3}, {6, 7}, {10, 11}, {14, 15}}

// viterbiTag is viterbi for tagging, unrolled for the BILOU labels: the same sums
// and comparisons in the same order, so the same labels.
func viterbiTag(em []float32, n int, trans *[numLabels * numLabels]float32, start *[numLabels]float32, out []int8, vb *viterbiBuf[float32]) {
	const L = numLabels
	const none = -1e30
	if n == 0 {
		return
	}
	vb.delta = slices.Grow(vb.delta[:0], n*L)[:n*L]
	vb.back = slices.Grow(vb.back[:0], n*L)[:n*L]
	d, back := vb.delta, vb.back
	for l := range L {
		if startOK[l] {
			d[l] = start[l] + em[l]
		} else {
			d[l] = none
		}
	}
	// tc[k][j]: the transition from closedLabels[j] to freeLabels[k].
	var tc [9][9]float32
	for k, c := range freeLabels {
		for j, p := range closedLabels {
			tc[k][j] = trans[p*L+c]
		}
	}
	// tmax[k]: the largest transition into freeLabels[k] from a closed label other
	// than O. When O's sum is above every other label's best possible sum, O wins
	// without the other comparisons: rounding is monotonic, so fl(p + t) <= fl(pmax +
	// tmax) for p <= pmax and t <= tmax, and a strictly smaller sum never wins.
	var tmax [9]float32
	for k := range tc {
		m := tc[k][1]
		for j := 2; j < 9; j++ {
			if tc[k][j] > m {
				m = tc[k][j]
			}
		}
		tmax[k] = m
	}
	for i := 1; i < n; i++ {
		prev := (*[L]float32)(d[(i-1)*L:])
		cur := (*[L]float32)(d[i*L:])
		e := (*[L]float32)(em[i*L:])
		bk := (*[L]int8)(back[i*L:])
		var pc [9]float32
		for j, p := range closedLabels {
			pc[j] = prev[p]
		}
		pmax := pc[1]
		for j := 2; j < 9; j++ {
			if pc[j] > pmax {
				pmax = pc[j]
			}
		}
		for k, c := range freeLabels {
			tr := &tc[k]
			best, arg := pc[0]+tr[0], 0
			if best > pmax+tmax[k] {
				cur[c] = best + e[c]
				bk[c] = 0
				continue
			}
			if s := pc[1] + tr[1]; s > best {
				best, arg = s, 1
			}
			if s := pc[2] + tr[2]; s > best {
				best, arg = s, 2
			}
			if s := pc[3] + tr[3]; s > best {
				best, arg = s, 3
			}
			if s := pc[4] + tr[4]; s > best {
				best, arg = s, 4
			}
			if s := pc[5] + tr[5]; s > best {
				best, arg = s, 5
			}
			if s := pc[6] + tr[6]; s > best {
				best, arg = s, 6
			}
			if s := pc[7] + tr[7]; s > best {
				best, arg = s, 7
			}
			if s := pc[8] + tr[8]; s > best {
				best, arg = s, 8
			}
			cur[c] = best + e[c]
			bk[c] = int8(closedLabels[arg])
		}
		for t, cs := range openAfter {
			b, in := 1+4*t, 2+4*t
			for _, c := range cs {
				best, arg := prev[b]+trans[b*L+c], b
				if s := prev[in] + trans[in*L+c]; s > best {
					best, arg = s, in
				}
				cur[c] = best + e[c]
				bk[c] = int8(arg)
			}
		}
	}
	last := d[(n-1)*L : n*L]
	best, arg := float32(none), int8(0)
	for l := range int8(L) {
		if endOK[l] && last[l] > best {
			best, arg = last[l], l
		}
	}
	for i := n - 1; i >= 0; i-- {
		out[i] = arg
		arg = back[i*L+int(arg)]
	}
}
