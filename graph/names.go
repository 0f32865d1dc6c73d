package graph

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
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

func (e *entInfo) keys() []string {
	ks := []string{fold(e.Name)}
	for _, a := range e.Aliases {
		ks = append(ks, fold(a))
	}
	slices.Sort(ks)
	return slices.Compact(ks)
}

// nameIndex is the store's in-memory index of entity names (Cayley has no text index)
// and its counters. It is built at Open from the registry nodes and updated after every
// commit by the single writer.
type nameIndex struct {
	mu    sync.RWMutex
	ents  map[string]*entInfo
	keys  map[string]*keyEntry // folded name or alias → entities
	stats Stats                // Quads only when the store counts them (countQuads)
}

type keyEntry struct {
	runes []rune
	words [][]rune
	iris  map[string]struct{}
}

func newNameIndex() *nameIndex {
	return &nameIndex{ents: map[string]*entInfo{}, keys: map[string]*keyEntry{}}
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

// put stores e (replacing what was kept under its IRI); the caller holds mu.
func (x *nameIndex) put(e *entInfo) {
	x.drop(e.IRI)
	x.ents[e.IRI] = e
	for _, k := range e.keys() {
		ke := x.keys[k]
		if ke == nil {
			r := []rune(k)
			ke = &keyEntry{runes: r, iris: map[string]struct{}{}}
			for _, w := range strings.Fields(k) {
				ke.words = append(ke.words, []rune(w))
			}
			x.keys[k] = ke
		}
		ke.iris[e.IRI] = struct{}{}
	}
}

// drop removes an entity; the caller holds mu.
func (x *nameIndex) drop(iri string) {
	e := x.ents[iri]
	if e == nil {
		return
	}
	for _, k := range e.keys() {
		if ke := x.keys[k]; ke != nil {
			delete(ke.iris, iri)
			if len(ke.iris) == 0 {
				delete(x.keys, k)
			}
		}
	}
	delete(x.ents, iri)
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
	if d := sc.editDistance(q, ke.runes, limit); d < best {
		best = d
	}
	// Compare with every run of as many words as the query has.
	nq := strings.Count(qs, " ") + 1
	if best > 0 && len(ke.words) > nq {
		for i := 0; i+nq <= len(ke.words); i++ {
			w := sc.window[:0]
			for j := i; j < i+nq; j++ {
				if j > i {
					w = append(w, ' ')
				}
				w = append(w, ke.words[j]...)
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

// SearchEntities finds entities by name or alias (see SearchQuery): case and
// diacritics are ignored; Fuzzy also tolerates typos. The best match comes first (a
// canonical name before an alias), ties by mentions, then by IRI.
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
	qr := []rune(qs)

	type hit struct {
		e     *entInfo
		score int
	}
	best := map[string]*hit{}
	x := s.names
	x.mu.RLock()
	sc := &scratch{}
	consider := func(key string, ke *keyEntry) {
		score, ok := match(q.Mode, qr, qs, key, ke, sc)
		if !ok {
			return
		}
		for iri := range ke.iris {
			e := x.ents[iri]
			if e == nil || len(types) > 0 && !types[e.Type] {
				continue
			}
			sc := score
			if fold(e.Name) != key {
				sc++ // an alias matched, not the canonical name
			}
			if h := best[iri]; h == nil || sc < h.score {
				best[iri] = &hit{e: e, score: sc}
			}
		}
	}
	if q.Mode == Exact {
		if ke := x.keys[qs]; ke != nil {
			consider(qs, ke)
		}
	} else {
		n := 0
		for key, ke := range x.keys {
			if n++; n&1023 == 0 && ctx.Err() != nil {
				x.mu.RUnlock()
				return nil, fmt.Errorf("graph: search %q: %w", q.Text, ctxErr(ctx))
			}
			consider(key, ke)
		}
	}
	hits := make([]*hit, 0, len(best))
	for _, h := range best {
		hits = append(hits, h)
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.score != b.score {
			return a.score < b.score
		}
		if a.e.Mentions != b.e.Mentions {
			return a.e.Mentions > b.e.Mentions
		}
		return a.e.IRI < b.e.IRI
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Entity, len(hits))
	for i, h := range hits {
		out[i] = *h.e.entity()
	}
	x.mu.RUnlock()
	return out, nil
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
	for _, l := range ents {
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
		x.put(e)
	}
	x.stats.Entities = int64(len(x.ents))

	arts, err := s.links(ctx, quad.Subject, regArticles, pHas)
	if err != nil {
		return fmt.Errorf("articles: %w", err)
	}
	x.stats.Articles = int64(len(arts))
	for _, a := range arts {
		ls, err := s.links(ctx, quad.Subject, a.Other, pNumStmts)
		if err != nil {
			return fmt.Errorf("article %s: %w", a.Other, err)
		}
		for _, l := range ls {
			x.stats.Statements += int64(asInt(l.Other))
		}
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
