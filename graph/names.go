package graph

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"golang.org/x/text/unicode/norm"
)

// entInfo is what the name index keeps about an entity.
type entInfo struct {
	IRI      string
	Type     EntityType
	Name     string
	Aliases  []string // sorted, without Name
	Mentions int
}

func (e *entInfo) entity() *Entity {
	return &Entity{ID: e.IRI, Type: e.Type, Name: e.Name, Aliases: slices.Clone(e.Aliases), Mentions: e.Mentions}
}

func (e *entInfo) brief() EntityBrief { return EntityBrief{ID: e.IRI, Type: e.Type, Name: e.Name} }

// keys returns the folded forms the entity is found under: its name, its aliases and
// their forms without the Arabic article ("bashar assad" for "Bashar al-Assad").
func (e *entInfo) keys() []string {
	ks := []string{fold(e.Name)}
	for _, a := range e.Aliases {
		ks = append(ks, fold(a))
	}
	for _, k := range ks[:len(ks):len(ks)] {
		if v := stripParticles(k); v != k && v != "" {
			ks = append(ks, v)
		}
	}
	slices.Sort(ks)
	return slices.Compact(ks)
}

// particles are the words left out of a name's variant key: "al-Assad" is also found
// as "Assad", "Bashar Assad" as "Bashar al-Assad".
var particles = map[string]bool{"al": true, "el": true, "ul": true}

// stripParticles drops the particle words of a folded name.
func stripParticles(k string) string {
	ws := strings.Fields(k)
	out := ws[:0]
	for _, w := range ws {
		if !particles[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// nameIndex is the store's in-memory index of entity names (Cayley has no text index)
// and its counters. It is built at Open from the registry nodes and updated after every
// commit by the single writer.
//
// A search never scans every name. Names and aliases are folded into keys; every word
// of a key (and, for keys of two or three words, the words run together, so that
// "saopaulo" finds "sao paulo") is indexed, and under its first one, two and three runes
// for prefix search. A typo is found by generating the forms one edit away from a query
// word — each deletion, transposition, and each substitution and insertion of a rune
// that occurs in the indexed words (Norvig's spelling corrector) — and looking them up:
// no per-word index of edits, so memory stays linear in the words. A query checks only
// the keys that contain a match of its rarest word.
type nameIndex struct {
	mu    sync.RWMutex
	ents  map[string]*entInfo
	keys  map[string]*keyEntry    // folded name, alias or variant → entities
	words map[string]*wordEntry   // indexed word → the keys that contain it
	pre   map[string][]*wordEntry // first 1..maxPrefixRunes runes of a word → words
	runes map[rune]int            // rune → number of indexed words containing it
	stats Stats                   // Quads only when the store counts them (countQuads)
}

// keyEntry is one folded key and the entities found under it. It holds as few
// pointers as it can: the index lives as long as the store, and every pointer in it is
// work for each garbage collection (search converts the key to runes on use).
type keyEntry struct {
	key  string
	iris []string // sorted; most keys name one entity
}

// wordEntry is one indexed word and the keys it occurs in.
type wordEntry struct {
	word string
	keys []*keyEntry // each once
}

// maxPrefixRunes is the longest word prefix indexed for prefix search.
const maxPrefixRunes = 3

func newNameIndex() *nameIndex {
	return &nameIndex{
		ents: map[string]*entInfo{}, keys: map[string]*keyEntry{},
		words: map[string]*wordEntry{}, pre: map[string][]*wordEntry{}, runes: map[rune]int{},
	}
}

func (x *nameIndex) counters() Stats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.stats
}

// get returns a copy of the entity, or nil.
func (x *nameIndex) get(iri string) *entInfo {
	x.mu.RLock()
	defer x.mu.RUnlock()
	e := x.ents[iri]
	if e == nil {
		return nil
	}
	c := *e
	c.Aliases = slices.Clone(e.Aliases)
	return &c
}

// brief returns the brief of an entity, or one with only the ID when it is unknown.
func (x *nameIndex) brief(iri string) EntityBrief {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if e := x.ents[iri]; e != nil {
		return e.brief()
	}
	return EntityBrief{ID: iri}
}

// put stores e (replacing what was kept under its IRI); the caller holds mu. Only the
// keys that changed are re-indexed: a new mention count costs a map update.
func (x *nameIndex) put(e *entInfo) {
	var oldKeys []string
	if old := x.ents[e.IRI]; old != nil {
		oldKeys = old.keys()
	}
	newKeys := e.keys()
	for _, k := range oldKeys {
		if _, found := slices.BinarySearch(newKeys, k); !found {
			x.unlinkKey(k, e.IRI)
		}
	}
	for _, k := range newKeys {
		if _, found := slices.BinarySearch(oldKeys, k); !found {
			x.linkKey(k, e.IRI)
		}
	}
	x.ents[e.IRI] = e
}

// drop removes an entity; the caller holds mu.
func (x *nameIndex) drop(iri string) {
	e := x.ents[iri]
	if e == nil {
		return
	}
	for _, k := range e.keys() {
		x.unlinkKey(k, iri)
	}
	delete(x.ents, iri)
}

// indexWords returns the words a key is indexed under: its words and, for two or
// three words, the words run together.
func indexWords(k string) []string {
	ws := strings.Fields(k)
	if len(ws) == 2 || len(ws) == 3 {
		ws = append(ws, strings.Join(ws, ""))
	}
	slices.Sort(ws)
	return slices.Compact(ws)
}

func (x *nameIndex) linkKey(k, iri string) {
	ke := x.keys[k]
	if ke == nil {
		ke = &keyEntry{key: k}
		x.keys[k] = ke
		for _, w := range indexWords(k) {
			we := x.words[w]
			if we == nil {
				we = &wordEntry{word: w}
				x.words[w] = we
				forPrefixes(w, func(p string) {
					x.pre[p] = append(x.pre[p], we) // a new word: not there yet
				})
				for _, r := range distinctRunes(w) {
					x.runes[r]++
				}
			}
			we.keys = append(we.keys, ke) // a new key: not there yet
		}
	}
	if i, found := slices.BinarySearch(ke.iris, iri); !found {
		ke.iris = slices.Insert(ke.iris, i, iri)
	}
}

func (x *nameIndex) unlinkKey(k, iri string) {
	ke := x.keys[k]
	if ke == nil {
		return
	}
	if i, found := slices.BinarySearch(ke.iris, iri); found {
		ke.iris = slices.Delete(ke.iris, i, i+1)
	}
	if len(ke.iris) > 0 {
		return
	}
	delete(x.keys, k)
	for _, w := range indexWords(k) {
		we := x.words[w]
		if we == nil {
			continue
		}
		if i := slices.Index(we.keys, ke); i >= 0 {
			we.keys = slices.Delete(we.keys, i, i+1)
		}
		if len(we.keys) > 0 {
			continue
		}
		delete(x.words, w)
		forPrefixes(w, func(p string) {
			if i := slices.Index(x.pre[p], we); i >= 0 {
				x.pre[p] = slices.Delete(x.pre[p], i, i+1)
			}
			if len(x.pre[p]) == 0 {
				delete(x.pre, p)
			}
		})
		for _, r := range distinctRunes(w) {
			if x.runes[r]--; x.runes[r] <= 0 {
				delete(x.runes, r)
			}
		}
	}
}

// forPrefixes calls fn with the first 1..maxPrefixRunes runes of w.
func forPrefixes(w string, fn func(string)) {
	r := []rune(w)
	for n := 1; n <= maxPrefixRunes && n <= len(r); n++ {
		fn(string(r[:n]))
	}
}

func distinctRunes(w string) []rune {
	r := []rune(w)
	slices.Sort(r)
	return slices.Compact(r)
}

// forEdits calls fn with every form one edit away from r: each deletion,
// transposition of adjacent runes, and substitution and insertion of a rune of
// alphabet. Forms may repeat.
func forEdits(r []rune, alphabet []rune, fn func(string)) {
	buf := make([]rune, 0, len(r)+1)
	for i := range r {
		buf = append(append(buf[:0], r[:i]...), r[i+1:]...)
		fn(string(buf))
		if i+1 < len(r) && r[i] != r[i+1] {
			buf = append(buf[:0], r...)
			buf[i], buf[i+1] = buf[i+1], buf[i]
			fn(string(buf))
		}
		for _, c := range alphabet {
			if c != r[i] {
				buf = append(buf[:0], r...)
				buf[i] = c
				fn(string(buf))
			}
		}
	}
	for i := 0; i <= len(r); i++ {
		for _, c := range alphabet {
			buf = append(append(append(buf[:0], r[:i]...), c), r[i:]...)
			fn(string(buf))
		}
	}
}

// wordMatches returns the indexed words equal to w, with prefix those starting with
// w, and with a non-nil alphabet those one edit away from w (and two deletions away,
// for words of seven runes or more), and the number of keys they occur in. It gives
// up, returning ok false, once that number exceeds budget (when budget >= 0). The
// caller holds mu.
func (x *nameIndex) wordMatches(w string, prefix bool, alphabet []rune, budget int) (_ map[*wordEntry]struct{}, cost int, ok bool) {
	out := map[*wordEntry]struct{}{}
	add := func(we *wordEntry) bool {
		if _, dup := out[we]; !dup {
			out[we] = struct{}{}
			cost += len(we.keys)
		}
		return budget < 0 || cost <= budget
	}
	ok = true
	look := func(f string) {
		if we := x.words[f]; we != nil && ok {
			ok = add(we)
		}
	}
	look(w)
	r := []rune(w)
	if prefix && ok {
		var set []*wordEntry
		if len(r) <= maxPrefixRunes {
			set = x.pre[w]
		} else {
			set = x.pre[string(r[:maxPrefixRunes])]
		}
		for _, we := range set {
			if len(r) <= maxPrefixRunes || strings.HasPrefix(we.word, w) {
				if ok = add(we); !ok {
					break
				}
			}
		}
	}
	if alphabet != nil && len(r) >= 2 && ok {
		forEdits(r, alphabet, look)
	}
	if alphabet != nil && len(r) >= 7 && ok {
		buf := make([]rune, 0, len(r))
		for i := range r {
			for j := i + 1; j < len(r); j++ {
				buf = append(append(append(buf[:0], r[:i]...), r[i+1:j]...), r[j+1:]...)
				look(string(buf))
			}
		}
	}
	if !ok {
		return nil, cost, false
	}
	return out, cost, true
}

// candidates returns the keys a search for the folded query qs may match in mode
// (Prefix or Fuzzy), found through the word index; match decides. Every word of a
// matching key's window matches a query word (Prefix: exactly, or as a prefix for the
// last one; Fuzzy: within one edit), so the keys of the rarest query word's matches
// are enough, plus, for Fuzzy, those of the query's words run together. The caller
// holds mu.
func (x *nameIndex) candidates(mode SearchMode, qs string) map[*keyEntry]struct{} {
	out := map[*keyEntry]struct{}{}
	qw := strings.Fields(qs)
	if len(qw) == 0 {
		return out
	}
	var alphabet []rune
	if mode == Fuzzy {
		alphabet = make([]rune, 0, len(x.runes))
		for r := range x.runes {
			alphabet = append(alphabet, r)
		}
	}
	var best map[*wordEntry]struct{}
	bestCost := -1
	for i, w := range qw {
		// alphabet is nil unless Fuzzy: no edits.
		ws, cost, ok := x.wordMatches(w, i == len(qw)-1, alphabet, bestCost)
		if ok && (bestCost < 0 || cost < bestCost) {
			best, bestCost = ws, cost
		}
	}
	for we := range best {
		for _, ke := range we.keys {
			out[ke] = struct{}{}
		}
	}
	if mode == Fuzzy && (len(qw) == 2 || len(qw) == 3) {
		ws, _, _ := x.wordMatches(strings.Join(qw, ""), true, alphabet, -1)
		for we := range ws {
			for _, ke := range we.keys {
				out[ke] = struct{}{}
			}
		}
	}
	return out
}

// fold normalises a name for matching: diacritics removed, lower case, every run of
// characters other than letters and digits one space, apostrophes dropped.
func fold(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) || r == '\'' || r == '’' {
			continue
		}
		if rep, ok := foldSpecial[r]; ok {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(rep)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return b.String()
}

// foldSpecial maps letters that do not decompose into a base letter and a mark.
var foldSpecial = map[rune]string{
	'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'ß': "ss", 'æ': "ae", 'Æ': "ae",
	'œ': "oe", 'Œ': "oe", 'đ': "d", 'Đ': "d", 'ı': "i", 'þ': "th", 'Þ': "th",
}

// maxEdits is how many typos Fuzzy tolerates in a word or phrase of n runes.
func maxEdits(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 5:
		return 1
	case n <= 10:
		return 2
	}
	return 3
}

// match scores how well the folded query q matches key (lower is better); ok is false
// when it does not match in this mode.
func match(mode SearchMode, q []rune, qs string, key string, ke *keyEntry, sc *scratch) (score int, ok bool) {
	if key == qs {
		return 0, true
	}
	if mode == Exact {
		return 0, false
	}
	if strings.HasPrefix(key, qs) {
		return 2, true
	}
	if strings.Contains(" "+key, " "+qs) { // a later word starts with the query
		return 4, true
	}
	if mode != Fuzzy {
		return 0, false
	}
	limit := maxEdits(len(q))
	if limit == 0 {
		return 0, false
	}
	best := limit + 1
	kr := append(sc.key[:0], []rune(key)...)
	sc.key = kr
	if d := sc.editDistance(q, kr, limit); d < best {
		best = d
	}
	// Compare with every run of as many words as the query has, one fewer or one more
	// (words run together or split apart: "el baradei" and "elbaradei").
	words := sc.words[:0]
	for i, start := 0, 0; i <= len(kr); i++ {
		if i == len(kr) || kr[i] == ' ' {
			if i > start {
				words = append(words, [2]int{start, i})
			}
			start = i + 1
		}
	}
	sc.words = words
	nq := strings.Count(qs, " ") + 1
	for size := max(1, nq-1); best > 0 && size <= nq+1 && size < len(words); size++ {
		for i := 0; i+size <= len(words); i++ {
			w := sc.window[:0]
			for j := i; j < i+size; j++ {
				if j > i {
					w = append(w, ' ')
				}
				w = append(w, kr[words[j][0]:words[j][1]]...)
			}
			sc.window = w
			if d := sc.editDistance(q, w, limit); d < best {
				best = d
			}
		}
	}
	if best > limit {
		return 0, false
	}
	return 4 + 2*best, true
}

// scratch holds the buffers of one search, reused for every key.
type scratch struct {
	rows   [3][]int
	window []rune
	key    []rune   // the key being compared
	words  [][2]int // its words, as rune ranges
}

// editDistance is the optimal-string-alignment distance of a and b (a transposition
// counts as one edit), or limit+1 when it exceeds limit.
func (sc *scratch) editDistance(a, b []rune, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	for i := range sc.rows {
		if cap(sc.rows[i]) < len(b)+1 {
			sc.rows[i] = make([]int, len(b)+1)
		}
		sc.rows[i] = sc.rows[i][:len(b)+1]
	}
	prev2, prev, cur := sc.rows[0], sc.rows[1], sc.rows[2]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	if prev[len(b)] > limit {
		return limit + 1
	}
	return prev[len(b)]
}

// SearchEntities finds entities by name or alias (see SearchQuery). Case, diacritics,
// punctuation and the Arabic article ("al-", "el-") are ignored; Prefix also finds names
// with a word that starts with the text; Fuzzy also tolerates a typo in each word (one
// insertion, deletion, substitution or transposition, and up to maxEdits over the whole
// name) and words run together. Ranking: exact matches first, then prefix and
// whole-word matches, then typos by number of edits; within each, the entity mentioned
// by more articles first; then a canonical name before an alias, then by IRI. It looks
// up candidates in the word index, never scanning every name.
func (s *CayleyStore) SearchEntities(ctx context.Context, q SearchQuery) ([]Entity, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	if q.Mode != Exact && q.Mode != Prefix && q.Mode != Fuzzy {
		return nil, fmt.Errorf("graph: search: Mode is %d, want Exact, Prefix or Fuzzy: %w", q.Mode, ErrInvalidArgument)
	}
	if !utf8.ValidString(q.Text) || len(q.Text) > 256 {
		return nil, fmt.Errorf("graph: search: Text is not valid UTF-8 of at most 256 bytes: %w", ErrInvalidArgument)
	}
	qs := fold(q.Text)
	if qs == "" {
		return nil, fmt.Errorf("graph: search: Text %q has no letters or digits: %w", q.Text, ErrInvalidArgument)
	}
	if q.Limit < 0 {
		return nil, fmt.Errorf("graph: search: Limit is %d, want >= 0: %w", q.Limit, ErrInvalidArgument)
	}
	types := map[EntityType]bool{}
	for i, t := range q.Types {
		if !t.Valid() {
			return nil, fmt.Errorf("graph: search: Types[%d] is %q, want one of %v: %w", i, t, EntityTypes, ErrInvalidArgument)
		}
		types[t] = true
	}
	limit := clamp(q.Limit, s.cfg.DefaultSearchLimit, s.cfg.MaxPageSize)
	x := s.names
	x.mu.RLock()
	defer x.mu.RUnlock()
	hits, err := x.search(ctx, q.Mode, qs, types)
	if err != nil {
		return nil, fmt.Errorf("graph: search %q: %w", q.Text, err)
	}
	if len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Entity, len(hits))
	for i, h := range hits {
		out[i] = *h.e.entity()
	}
	return out, nil
}

// searchHit is an entity found by a search and how well it matched.
type searchHit struct {
	e     *entInfo
	tier  int // 0 exact, 1 prefix or whole word, 1+n n typos
	score int // finer: later word, alias, article dropped
}

// search returns every entity matching the folded query qs in mode, ranked (see
// SearchEntities); the caller holds mu.
func (x *nameIndex) search(ctx context.Context, mode SearchMode, qs string, types map[EntityType]bool) ([]*searchHit, error) {
	best := map[string]*searchHit{}
	sc := &scratch{}
	consider := func(q string, qr []rune, penalty int, ke *keyEntry) {
		score, ok := match(mode, qr, q, ke.key, ke, sc)
		if !ok {
			return
		}
		tier := 0
		switch {
		case score == 0:
		case score <= 4:
			tier = 1
		default:
			tier = 1 + (score-4)/2
		}
		for _, iri := range ke.iris {
			e := x.ents[iri]
			if e == nil || len(types) > 0 && !types[e.Type] {
				continue
			}
			sc := score + penalty
			if fold(e.Name) != ke.key {
				sc++ // an alias or variant matched, not the canonical name
			}
			if h := best[iri]; h == nil || tier < h.tier || tier == h.tier && sc < h.score {
				best[iri] = &searchHit{e: e, tier: tier, score: sc}
			}
		}
	}
	queries := []string{qs}
	if v := stripParticles(qs); v != qs && v != "" {
		queries = append(queries, v)
	}
	n := 0
	for i, q := range queries {
		qr := []rune(q)
		if ke := x.keys[q]; ke != nil {
			consider(q, qr, i, ke)
		}
		if mode == Exact {
			continue
		}
		for ke := range x.candidates(mode, q) {
			if n++; n&1023 == 0 && ctx.Err() != nil {
				return nil, ctxErr(ctx)
			}
			consider(q, qr, i, ke)
		}
	}
	hits := make([]*searchHit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.e.Mentions != b.e.Mentions {
			return a.e.Mentions > b.e.Mentions
		}
		if a.score != b.score {
			return a.score < b.score
		}
		return a.e.IRI < b.e.IRI
	})
	return hits, nil
}

// load builds the name index and the counters from the registry nodes: the entities
// (type, name, aliases and the number of articles mentioning each), the articles (and
// their statement counts) and the direct edges. It reads the registries and the nodes
// they name, never the whole store.
func (s *CayleyStore) load(ctx context.Context) error {
	x := s.names
	ents, err := s.links(ctx, quad.Subject, regEntities, pHas)
	if err != nil {
		return fmt.Errorf("entities: %w", err)
	}
	attrPreds := []quad.IRI{pType, pName, pAlias}
	attrRefs := make([]cgraph.Ref, len(attrPreds))
	for i, p := range attrPreds {
		if attrRefs[i], err = s.ref(p); err != nil {
			return err
		}
	}
	infos := make([]*entInfo, len(ents))
	err = forEachParallel(ctx, len(ents), func(k int) error {
		l := ents[k]
		iri := asString(l.Other)
		e := &entInfo{IRI: iri}
		for i, p := range attrPreds {
			if attrRefs[i] == nil {
				continue
			}
			ls, err := s.linksRef(ctx, quad.Subject, l.OtherRef, attrRefs[i], p)
			if err != nil {
				return fmt.Errorf("entity %s: %w", iri, err)
			}
			for _, al := range ls {
				switch p {
				case pType:
					e.Type = EntityType(asString(al.Other))
				case pName:
					e.Name = asString(al.Other)
				case pAlias:
					e.Aliases = append(e.Aliases, asString(al.Other))
				}
			}
		}
		slices.Sort(e.Aliases)
		mentions, err := s.count(ctx, quad.Object, mentionIRI(iri), pMentions)
		if err != nil {
			return fmt.Errorf("entity %s: %w", iri, err)
		}
		e.Mentions = mentions
		infos[k] = e
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range infos {
		x.put(e)
	}
	x.stats.Entities = int64(len(x.ents))

	arts, err := s.links(ctx, quad.Subject, regArticles, pHas)
	if err != nil {
		return fmt.Errorf("articles: %w", err)
	}
	x.stats.Articles = int64(len(arts))
	stmts := make([]int64, len(arts))
	err = forEachParallel(ctx, len(arts), func(k int) error {
		ls, err := s.links(ctx, quad.Subject, arts[k].Other, pNumStmts)
		if err != nil {
			return fmt.Errorf("article %s: %w", arts[k].Other, err)
		}
		for _, l := range ls {
			stmts[k] += int64(asInt(l.Other))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range stmts {
		x.stats.Statements += n
	}
	edges, err := s.count(ctx, quad.Subject, regEdges, pHas)
	if err != nil {
		return fmt.Errorf("edges: %w", err)
	}
	x.stats.Relations = int64(edges)
	if s.countQuads {
		st, err := s.qs.Stats(ctx, true)
		if err != nil {
			return fmt.Errorf("count quads: %w", err)
		}
		x.stats.Quads = st.Quads.Value
	}
	return nil
}

// forEachParallel calls fn(0..n-1) on one goroutine per core, handing out the next
// index to whichever is free, and returns the first error (the others stop at their
// next index). For independent reads, each in its own read transaction: Open's name
// index and the read-cache warm-up.
func forEachParallel(ctx context.Context, n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			if err := fn(i); err != nil {
				return err
			}
		}
		return nil
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					cancel(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return context.Cause(ctx)
}

// count counts the quads around node in direction dir with predicate pred.
func (s *CayleyStore) count(ctx context.Context, dir quad.Direction, node, pred quad.Value) (int, error) {
	rs, err := s.refsOf(node, pred)
	if err != nil || rs == nil {
		return 0, err
	}
	n := 0
	err = s.scan(ctx, dir, rs[0], rs[1], func(cgraph.Ref) (bool, error) { n++; return true, nil })
	return n, err
}
