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
	tagger  *table
	trans   *table
	labeler *table
	pool    sync.Pool // *scratch
}

// scratch is the per-call working memory of Parse.
type scratch struct {
	ws     []wordInfo
	tags   []int
	buf    []byte
	feats  []uint64
	scores []int32
	st     pstate
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

func newParser(tags, rels []string, tagger, trans, labeler *table) *Parser {
	p := &Parser{tags: tags, rels: rels, tagger: tagger, trans: trans, labeler: labeler}
	p.rootRel = slices.Index(rels, "root")
	n := max(len(tags), len(rels), nMoves)
	p.pool.New = func() any { return &scratch{scores: make([]int32, n)} }
	return p
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
	sc.feats = tagWords(p.tagger, sc.ws, sc.tags, sc.feats, sc.scores[:len(p.tags)])
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
	f := fx{ws: sc.ws, tags: sc.tags, st: st}
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
		sc.feats = f.features(sc.feats[:0])
		var s [nMoves]int32
		p.trans.score(sc.feats, s[:])
		best := -1
		for m := 0; m < nMoves; m++ {
			if st.valid(m) && (best < 0 || s[m] > s[best]) {
				best = m
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
	s := sc.scores[:len(p.rels)]
	clear(s)
	p.labeler.score(sc.feats, s)
	best := -1
	for i, v := range s {
		if i != p.rootRel && (best < 0 || v > s[best]) {
			best = i
		}
	}
	return best
}

const modelMagic = "newsgraph-depparse-1\n"

// WriteModel writes the model in its gzip-compressed binary format.
func (p *Parser) WriteModel(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(modelMagic)
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
	for _, t := range []*table{p.tagger, p.trans, p.labeler} {
		type kv struct {
			k   uint64
			off uint32
		}
		var all []kv
		for j, k := range t.keys {
			if k != 0 {
				all = append(all, kv{k, t.vals[j]})
			}
		}
		slices.SortFunc(all, func(a, b kv) int {
			switch {
			case a.k < b.k:
				return -1
			case a.k > b.k:
				return 1
			}
			return 0
		})
		uv(uint64(t.nClasses))
		uv(uint64(len(all)))
		var prev uint64
		for _, e := range all {
			uv(e.k - prev)
			prev = e.k
			n := t.rows[e.off]
			uv(uint64(n))
			for _, x := range t.rows[e.off+1 : e.off+1+n] {
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
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != modelMagic {
		return nil, errors.New("not a depparse model")
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
	var tabs [3]*table
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
		tabs[i] = newTable(nc, keys, rows)
	}
	if rerr != nil {
		return nil, rerr
	}
	if len(tags) == 0 || len(rels) == 0 || tabs[0].nClasses != len(tags) || tabs[1].nClasses != nMoves || tabs[2].nClasses != len(rels) {
		return nil, errors.New("model tables do not match its tag and relation lists")
	}
	if !slices.Contains(rels, "root") {
		return nil, errors.New("model has no root relation")
	}
	return newParser(tags, rels, tabs[0], tabs[1], tabs[2]), nil
}
