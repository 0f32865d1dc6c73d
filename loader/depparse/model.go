package depparse

import (
	"bufio"
	"compress/gzip"
	_ "embed" // the trained model
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
)

//go:embed model.bin.gz
var embeddedModel string

// Parser is a trained POS tagger and dependency parser. It is safe for
// concurrent use by many goroutines.
type Parser struct {
	tags    []string // UPOS inventory
	rels    []string // relation inventory
	rootRel int      // index of "root" in rels
	tagger  *sparseTable
	trans   *moveTable
	labeler *sparseTable
	format  int        // model format: selects the feature set (see modelFormat)
	src     [3]*frozen // tagger, trans, labeler in portable form; nil when loaded
	pool    sync.Pool  // *scratch
}

// scratch is the per-call working memory of Parse.
type scratch struct {
	ws     []wordInfo
	tags   []int
	buf    []byte
	feats  []uint64
	scores []int32
	st     pstate
	tag    tagScratch
}

// Load decodes the model embedded in the package. Decoding takes a moment
// and a few tens of megabytes: call it once and keep the Parser.
func Load() (*Parser, error) {
	p, err := ReadModel(strings.NewReader(embeddedModel))
	if err != nil {
		return nil, fmt.Errorf("depparse: embedded model: %w", err)
	}
	return p, nil
}

// newParser builds a Parser from frozen tables; keep retains them so that
// WriteModel can write the model.
func newParser(tags, rels []string, tagger, trans, labeler *frozen, format int, keep bool) (*Parser, error) {
	if tagger.nClasses != len(tags) || trans.nClasses != nMoves || labeler.nClasses != len(rels) {
		return nil, errors.New("model tables do not match its tag and relation lists")
	}
	tt, err := newSparseTable(tagger)
	if err != nil {
		return nil, fmt.Errorf("tagger: %w", err)
	}
	lt, err := newSparseTable(labeler)
	if err != nil {
		return nil, fmt.Errorf("labeler: %w", err)
	}
	p := &Parser{tags: tags, rels: rels, tagger: tt, trans: newMoveTable(trans), labeler: lt, format: format}
	if keep {
		p.src = [3]*frozen{tagger, trans, labeler}
	}
	p.rootRel = slices.Index(rels, "root")
	p.pool.New = func() any { return &scratch{scores: make([]int32, lt.span())} }
	return p, nil
}

// Tags returns the UPOS tags the model predicts for words.
func (p *Parser) Tag(words []string) []string {
	if len(words) == 0 {
		return nil
	}
	sc := p.pool.Get().(*scratch)
	defer p.pool.Put(sc)
	p.tagInto(sc, words)
	out := make([]string, len(words))
	for i, t := range sc.tags {
		out[i] = p.tags[t]
	}
	return out
}

func (p *Parser) analyze(sc *scratch, words []string) {
	sc.ws = grow(sc.ws, len(words))
	for i, w := range words {
		sc.buf = analyze(w, i, &sc.ws[i], sc.buf)
	}
}

func (p *Parser) tagInto(sc *scratch, words []string) {
	p.analyze(sc, words)
	sc.tags = grow(sc.tags, len(words))
	tagWords(p.tagger, sc.ws, sc.tags, &sc.tag)
}

// Parse tags and parses one sentence of words in UD/PTB tokenization (see
// the package documentation). The result has one Token per word and is
// always a tree: exactly one word has Head 0, and every other word's head
// chain leads to it. Parse is deterministic.
func (p *Parser) Parse(words []string) []Token {
	n := len(words)
	if n == 0 {
		return nil
	}
	sc := p.pool.Get().(*scratch)
	defer p.pool.Put(sc)
	p.tagInto(sc, words)
	st := &sc.st
	st.reset(n)
	f := fx{ws: sc.ws, tags: sc.tags, st: st, format: p.format}
	p.run(sc, &f)
	out := make([]Token, n)
	for i := range out {
		h := int(st.heads[i]) + 1
		if h == n+1 {
			h = 0
		}
		out[i] = Token{Form: words[i], UPOS: p.tags[sc.tags[i]], Head: h, Rel: p.rels[st.labels[i]]}
	}
	return out
}

// run parses greedily from the initial configuration in f.st.
func (p *Parser) run(sc *scratch, f *fx) {
	st := f.st
	for !st.terminal() {
		best := st.only()
		if best < 0 {
			sc.feats = f.features(sc.feats[:0])
			var s [nMoves]int32
			p.trans.score(sc.feats, &s)
			for m := 0; m < nMoves; m++ {
				if st.valid(m) && (best < 0 || s[m] > s[best]) {
					best = m
				}
			}
		}
		var label int16
		if best != mShift {
			h, d := st.arc(best)
			label = int16(p.label(sc, f, best, h, d))
		}
		st.apply(best, label)
	}
}

// label predicts the relation of the arc h -> d.
func (p *Parser) label(sc *scratch, f *fx, m int, h, d int32) int {
	if int(h) == f.st.n {
		return p.rootRel
	}
	sc.feats = f.labelFeatures(sc.feats[:0], m, h, d)
	clear(sc.scores[:len(p.rels)])
	p.labeler.score(sc.feats, sc.scores)
	best := -1
	for i, v := range sc.scores[:len(p.rels)] {
		if i != p.rootRel && (best < 0 || v > sc.scores[best]) {
			best = i
		}
	}
	return best
}

// Model formats. The file layout is the same; the format number, in the
// magic line "newsgraph-depparse-N", selects the feature set the model was
// trained with: 1 the base parser features, 2 adds affix, shape and
// lexicalized triple features to the transitions, 3 adds affix and
// distance features to the labeler. Train writes modelFormat.
const (
	modelMagicPrefix = "newsgraph-depparse-"
	modelFormat      = 3
)

// WriteModel writes the model in its gzip-compressed binary format. Only
// a Parser made by Train can be written: Load and ReadModel keep just the
// fast lookup tables, from which the portable form cannot be recovered.
func (p *Parser) WriteModel(w io.Writer) error {
	if p.src[0] == nil {
		return errors.New("depparse: WriteModel needs a Parser made by Train")
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	fmt.Fprintf(bw, "%s%d\n", modelMagicPrefix, p.format)
	var tmp [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(tmp[:binary.PutUvarint(tmp[:], x)]) }
	sv := func(x int64) { bw.Write(tmp[:binary.PutVarint(tmp[:], x)]) }
	strs := func(ss []string) {
		uv(uint64(len(ss)))
		for _, s := range ss {
			uv(uint64(len(s)))
			bw.WriteString(s)
		}
	}
	strs(p.tags)
	strs(p.rels)
	for _, t := range p.src {
		uv(uint64(t.nClasses))
		uv(uint64(len(t.keys)))
		var prev uint64
		for i, k := range t.keys {
			uv(k - prev)
			prev = k
			uv(uint64(len(t.rows[i])))
			for _, x := range t.rows[i] {
				uv(uint64(x >> 16))
				sv(int64(int16(uint16(x))))
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// ReadModel decodes a model written by WriteModel.
func ReadModel(r io.Reader) (*Parser, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReader(zr)
	magic := make([]byte, len(modelMagicPrefix)+2)
	if _, err := io.ReadFull(br, magic); err != nil || !strings.HasPrefix(string(magic), modelMagicPrefix) || magic[len(magic)-1] != '\n' {
		return nil, errors.New("not a depparse model")
	}
	format := int(magic[len(magic)-2] - '0')
	if format < 1 || format > modelFormat {
		return nil, fmt.Errorf("depparse model format %q not supported", magic[len(magic)-2])
	}
	var rerr error
	uv := func() uint64 {
		x, err := binary.ReadUvarint(br)
		if err != nil && rerr == nil {
			rerr = err
		}
		return x
	}
	sv := func() int64 {
		x, err := binary.ReadVarint(br)
		if err != nil && rerr == nil {
			rerr = err
		}
		return x
	}
	strs := func() []string {
		n := uv()
		if rerr != nil || n > 1<<16 {
			rerr = errors.Join(rerr, errors.New("bad string list"))
			return nil
		}
		out := make([]string, n)
		for i := range out {
			b := make([]byte, uv())
			if _, err := io.ReadFull(br, b); err != nil {
				rerr = errors.Join(rerr, err)
				return nil
			}
			out[i] = string(b)
		}
		return out
	}
	tags := strs()
	rels := strs()
	var tabs [3]*frozen
	for i := range tabs {
		nc := int(uv())
		nf := uv()
		if rerr != nil || nf > 1<<28 {
			return nil, fmt.Errorf("table %d header: %w", i, errors.Join(rerr, errors.New("bad size")))
		}
		keys := make([]uint64, nf)
		rows := make([][]uint32, nf)
		var prev uint64
		for j := range keys {
			prev += uv()
			keys[j] = prev
			n := uv()
			if n > uint64(nc) {
				return nil, fmt.Errorf("table %d feature %d: %d weights for %d classes", i, j, n, nc)
			}
			row := make([]uint32, n)
			for k := range row {
				c := uv()
				w := sv()
				if c >= uint64(nc) {
					return nil, fmt.Errorf("table %d feature %d: class %d of %d", i, j, c, nc)
				}
				row[k] = uint32(c)<<16 | uint32(uint16(int16(w)))
			}
			rows[j] = row
			if rerr != nil {
				return nil, fmt.Errorf("table %d: %w", i, rerr)
			}
		}
		tabs[i] = &frozen{nClasses: nc, keys: keys, rows: rows}
	}
	if rerr != nil {
		return nil, rerr
	}
	if len(tags) == 0 || len(rels) == 0 {
		return nil, errors.New("model has no tags or no relations")
	}
	if !slices.Contains(rels, "root") {
		return nil, errors.New("model has no root relation")
	}
	return newParser(tags, rels, tabs[0], tabs[1], tabs[2], format, false)
}
