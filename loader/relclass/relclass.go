package relclass

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/newsgraph/newsgraph/loader/ner"
)

// Entity is an entity mention: tokens Start to End (End exclusive) of a sentence and
// its CoNLL04 type: Peop, Loc, Org or Other.
type Entity struct {
	Start, End int
	Type       string
}

// Relation links two entities of a sentence, given by their indices in the entity
// list: Head (the person who works, lives or kills; the organisation or place that
// is based or located) and Tail.
type Relation struct {
	Head, Tail int
	Type       string // Work_For, Live_In, Located_In, OrgBased_In or Kill
}

// Model is the pairwise relation classifier: an averaged perceptron over features of
// an ordered pair of entities, with one weight per relation type and one for "no
// relation". Read-only after loading.
type Model struct {
	Classes  []string         // Classes[0] is "" (no relation)
	Allowed  map[string][]int // "HeadType|TailType" → classes seen with those types in training
	W        map[uint64][]float32
	NoneBias float32 // added to the no-relation score (tuned on dev)
	// ClassBias, if set, is added to each class's score (tuned on dev; index 0 unused).
	ClassBias []float32
}

// Classify returns the relations between entities of one sentence. At most one
// relation is returned per ordered pair, and only of a type seen in training between
// entities of those types.
func (m *Model) Classify(tokens []string, entities []Entity) []Relation {
	var s Scratch
	var out []Relation
	for _, r := range m.ClassifyScored(tokens, entities, &s) {
		out = append(out, r.Relation)
	}
	return out
}

// classifyPlain is Classify without the fast path (fast.go): features joined into
// strings and weights looked up in the map. The tests check that both agree.
func (m *Model) classifyPlain(tokens []string, entities []Entity) []Relation {
	var out []Relation
	var buf []uint64
	scores := make([]float32, len(m.Classes))
	for i := range entities {
		for j := range entities {
			if i == j {
				continue
			}
			allowed := m.Allowed[entities[i].Type+"|"+entities[j].Type]
			if len(allowed) == 0 {
				continue
			}
			buf = pairFeatures(buf[:0], tokens, entities, i, j)
			m.score(buf, scores)
			best, bestScore := 0, scores[0]+m.NoneBias
			for _, c := range allowed {
				sc := scores[c]
				if c < len(m.ClassBias) {
					sc += m.ClassBias[c]
				}
				if sc > bestScore {
					best, bestScore = c, sc
				}
			}
			if best != 0 {
				out = append(out, Relation{Head: i, Tail: j, Type: m.Classes[best]})
			}
		}
	}
	return out
}

func (m *Model) score(feats []uint64, scores []float32) {
	clear(scores)
	for _, f := range feats {
		if w, ok := m.W[f]; ok {
			for c, x := range w {
				scores[c] += x
			}
		}
	}
}

// ---- features ----

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

func hashStr(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

func distBucket(n int) string {
	switch {
	case n <= 3:
		return fmt.Sprint(n)
	case n <= 5:
		return "4-5"
	case n <= 8:
		return "6-8"
	case n <= 12:
		return "9-12"
	}
	return "13+"
}

func spanText(tokens []string, e Entity) string {
	ws := make([]string, 0, e.End-e.Start)
	for _, w := range tokens[e.Start:e.End] {
		ws = append(ws, normWord(w))
	}
	return strings.Join(ws, " ")
}

func word(tokens []string, i int) string {
	if i < 0 {
		return "<s>"
	}
	if i >= len(tokens) {
		return "</s>"
	}
	return normWord(tokens[i])
}

// pairFeatures appends the hashed features of the ordered pair (entities[h],
// entities[t]).
func pairFeatures(buf []uint64, tokens []string, ents []Entity, h, t int) []uint64 {
	eh, et := ents[h], ents[t]
	tp := eh.Type + "|" + et.Type
	dir := "ht"
	a, b := eh, et
	if et.Start < eh.Start {
		dir = "th"
		a, b = et, eh
	}
	tpd := tp + "|" + dir
	add := func(parts ...string) {
		buf = append(buf, hashStr(strings.Join(parts, "\x1f")))
	}
	add("bias")
	add("tp", tp)
	add("tpd", tpd)
	lo, hi := a.End, b.Start
	if hi < lo {
		hi = lo
	}
	n := hi - lo
	add("dist", tpd, distBucket(n))
	nEnt := 0
	for _, e := range ents {
		if e.Start >= lo && e.End <= hi {
			nEnt++
			add("ebt", tpd, e.Type)
		}
	}
	add("nent", tpd, distBucket(nEnt))
	between := make([]string, 0, n)
	for k := lo; k < hi; k++ {
		between = append(between, word(tokens, k))
	}
	for k, w := range between {
		add("bw", dir, w)
		add("bwt", tpd, w)
		if k+1 < len(between) {
			add("bb", tpd, w, between[k+1])
		}
	}
	if n > 0 {
		add("bf", tpd, between[0])
		add("bl", tpd, between[n-1])
		if n > 1 {
			add("bfl", tpd, between[0], between[n-1])
		}
	} else {
		add("adjacent", tpd)
	}
	if n <= 5 {
		add("bs", tpd, strings.Join(between, " "))
	}
	// the words between with other entities replaced by their types
	if n <= 10 {
		var sk []string
		for k := lo; k < hi; {
			if e, ok := entityAt(ents, k); ok && e.End <= hi {
				sk = append(sk, strings.ToUpper(e.Type))
				k = e.End
				continue
			}
			sk = append(sk, word(tokens, k))
			k++
		}
		add("skel", tpd, strings.Join(sk, " "))
	}
	hh, th := word(tokens, eh.End-1), word(tokens, et.End-1)
	add("hh", tp, hh)
	add("th", tp, th)
	add("hth", tp, hh, th)
	add("htx", tp, spanText(tokens, eh))
	add("ttx", tp, spanText(tokens, et))
	add("hfw", tp, word(tokens, eh.Start))
	add("tfw", tp, word(tokens, et.Start))
	// context outside the pair
	add("pre1", tpd, word(tokens, a.Start-1))
	add("pre2", tpd, word(tokens, a.Start-2), word(tokens, a.Start-1))
	add("post1", tpd, word(tokens, b.End))
	add("post2", tpd, word(tokens, b.End), word(tokens, b.End+1))
	add("hpre", tp, word(tokens, eh.Start-1))
	add("hpost", tp, word(tokens, eh.End))
	add("tpre", tp, word(tokens, et.Start-1))
	add("tpost", tp, word(tokens, et.End))
	// words just inside the gap next to each entity
	add("ha1", tpd, "h", word(tokens, eh.End), word(tokens, eh.Start-1))
	add("ta1", tpd, "t", word(tokens, et.End), word(tokens, et.Start-1))
	// nearest other entity of the tail's type between: is the tail the closest one?
	closest := true
	for k, e := range ents {
		if k == h || k == t || e.Type != et.Type {
			continue
		}
		if absInt(e.Start-eh.Start) < absInt(et.Start-eh.Start) {
			closest = false
		}
	}
	add("closest", tpd, fmt.Sprint(closest))
	closestH := true
	for k, e := range ents {
		if k == h || k == t || e.Type != eh.Type {
			continue
		}
		if absInt(e.Start-et.Start) < absInt(eh.Start-et.Start) {
			closestH = false
		}
	}
	add("closestH", tpd, fmt.Sprint(closestH))
	add("closest2", tpd, fmt.Sprint(closest), fmt.Sprint(closestH))
	// how crowded the sentence is, and whether the head is its first entity of its type
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
	add("crowd", tp, distBucket(nh), distBucket(nt))
	add("firstH", tpd, fmt.Sprint(firstH))
	// place in place (GeoNames)
	if eh.Type == "Loc" || et.Type == "Loc" {
		ht, tt := strings.Join(tokens[eh.Start:eh.End], " "), strings.Join(tokens[et.Start:et.End], " ")
		if geoContains(ht, tt) {
			add("geoin", tpd)
		}
		if geoContains(tt, ht) {
			add("geoout", tpd)
		}
	}
	// lexical cues anywhere between
	for _, cue := range []string{",", "of", "in", "'s", "(", "said", "killed", "president", "who", "at", "from", "and", "the", "based", "headquartered"} {
		if slices.Contains(between, cue) {
			add("cue", tpd, cue)
		}
	}
	return buf
}

func entityAt(ents []Entity, k int) (Entity, bool) {
	for _, e := range ents {
		if e.Start == k {
			return e, true
		}
	}
	return Entity{}, false
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// ---- model file ----

const relMagic = "relclass-rel-2\n"

// Save writes the model: gzip of magic, classes, allowed type pairs, none bias and the
// weights sorted by feature, so the same model always gives the same bytes.
func (m *Model) Save(w io.Writer) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(gz)
	var scratch [binary.MaxVarintLen64]byte
	uv := func(x uint64) { bw.Write(scratch[:binary.PutUvarint(scratch[:], x)]) }
	str := func(s string) { uv(uint64(len(s))); bw.WriteString(s) }
	f32 := func(f float32) { binary.Write(bw, binary.LittleEndian, math.Float32bits(f)) }
	bw.WriteString(relMagic)
	uv(uint64(len(m.Classes)))
	for _, c := range m.Classes {
		str(c)
	}
	keys := make([]string, 0, len(m.Allowed))
	for k := range m.Allowed {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	uv(uint64(len(keys)))
	for _, k := range keys {
		str(k)
		uv(uint64(len(m.Allowed[k])))
		for _, c := range m.Allowed[k] {
			uv(uint64(c))
		}
	}
	f32(m.NoneBias)
	uv(uint64(len(m.ClassBias)))
	for _, b := range m.ClassBias {
		f32(b)
	}
	feats := make([]uint64, 0, len(m.W))
	for f := range m.W {
		feats = append(feats, f)
	}
	slices.Sort(feats)
	uv(uint64(len(feats)))
	var prev uint64
	for _, f := range feats {
		uv(f - prev)
		prev = f
		for _, x := range m.W[f] {
			f32(x)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return gz.Close()
}

// LoadModel reads a model written by Save.
func LoadModel(r io.Reader) (*Model, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("relclass: load: %w", err)
	}
	br := bufio.NewReader(gz)
	magic := make([]byte, len(relMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != relMagic {
		return nil, errors.New("relclass: load: not a relation model")
	}
	var rerr error
	uv := func() uint64 {
		x, err := binary.ReadUvarint(br)
		if err != nil && rerr == nil {
			rerr = err
		}
		return x
	}
	str := func() string {
		n := uv()
		if rerr != nil || n > 1<<20 {
			rerr = errors.New("bad string")
			return ""
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(br, b); err != nil && rerr == nil {
			rerr = err
		}
		return string(b)
	}
	f32 := func() float32 {
		var u uint32
		if err := binary.Read(br, binary.LittleEndian, &u); err != nil && rerr == nil {
			rerr = err
		}
		return math.Float32frombits(u)
	}
	m := &Model{Allowed: map[string][]int{}}
	nc := int(uv())
	for range nc {
		m.Classes = append(m.Classes, str())
	}
	nk := int(uv())
	for range nk {
		k := str()
		n := int(uv())
		for range n {
			m.Allowed[k] = append(m.Allowed[k], int(uv()))
		}
		if rerr != nil {
			break
		}
	}
	m.NoneBias = f32()
	nb := int(uv())
	if nb > nc {
		return nil, errors.New("relclass: load: bad class biases")
	}
	for range nb {
		m.ClassBias = append(m.ClassBias, f32())
	}
	nf := int(uv())
	if rerr != nil {
		return nil, fmt.Errorf("relclass: load: %w", rerr)
	}
	m.W = make(map[uint64][]float32, nf)
	var prev uint64
	for range nf {
		prev += uv()
		w := make([]float32, nc)
		for c := range w {
			w[c] = f32()
		}
		m.W[prev] = w
		if rerr != nil {
			return nil, fmt.Errorf("relclass: load: %w", rerr)
		}
	}
	return m, nil
}

// ---- extractor: entities and relations ----

//go:embed entities.bin
var embeddedEntities []byte

//go:embed relations.bin
var embeddedRelations []byte

// Extractor finds CoNLL04 entities with a tagger trained on CoNLL04's own annotation
// (loader/ner's perceptron, Other trained as MISC) and relations between them with
// the pairwise Model. Safe for concurrent use.
type Extractor struct {
	Tagger    *ner.Tagger
	Relations *Model
}

var (
	defaultOnce sync.Once
	defaultX    *Extractor
	defaultErr  error
)

// Default returns the extractor built from the embedded models.
func Default() (*Extractor, error) {
	defaultOnce.Do(func() {
		t, err := ner.Load(bytes.NewReader(embeddedEntities))
		if err != nil {
			defaultErr = fmt.Errorf("relclass: entity model: %w", err)
			return
		}
		m, err := LoadModel(bytes.NewReader(embeddedRelations))
		if err != nil {
			defaultErr = err
			return
		}
		defaultX = &Extractor{Tagger: t, Relations: m}
	})
	return defaultX, defaultErr
}

// Classify returns the relations between the given entities of one sentence.
func (x *Extractor) Classify(tokens []string, entities []Entity) []Relation {
	return x.Relations.Classify(tokens, entities)
}

var fromNER = map[string]string{"PER": "Peop", "LOC": "Loc", "ORG": "Org", "MISC": "Other"}

// Entities tags one sentence's tokens with CoNLL04 entity types.
func (x *Extractor) Entities(tokens []string) []Entity {
	toks := make([]ner.Token, len(tokens))
	off := 0
	for i, w := range tokens {
		toks[i] = ner.Token{Text: w, Start: off, End: off + len(w)}
		off += len(w) + 1
	}
	spans := x.Tagger.Tag([][]ner.Token{toks})[0]
	out := make([]Entity, 0, len(spans))
	for _, s := range spans {
		out = append(out, Entity{Start: s.Start, End: s.End, Type: fromNER[s.Label]})
	}
	return out
}

// Extract finds a sentence's entities and the relations between them.
func (x *Extractor) Extract(tokens []string) ([]Entity, []Relation) {
	ents := x.Entities(tokens)
	return ents, x.Classify(tokens, ents)
}

// Classify finds relations between given entities with the default extractor.
func Classify(tokens []string, entities []Entity) ([]Relation, error) {
	x, err := Default()
	if err != nil {
		return nil, err
	}
	return x.Classify(tokens, entities), nil
}
