package graph

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// relCache keeps in memory what reads need about direct edges, so that a page of
// relations or a path search costs map look-ups instead of quad reads:
//
//   - per entity, its direct edges in both directions (adjList), in the two orders the
//     readers walk them: Relations' page order and traversal order;
//   - per direct edge, the statements behind it as Evidence grouped by event
//     (edgeFacts), with the unfiltered answer (sorted evidence, counts) precomputed.
//
// Entries are loaded on first use and bounded in size (entries are dropped at random
// beyond the caps). Every transaction tells the cache through applied, from
// cacheQS.ApplyDeltas or, for add-only bolt transactions, kvwrite.go; it drops the
// entries its quads touch after they were applied: the adjacency of both ends of a
// direct edge added or removed, the facts of an edge whose events or statements
// changed, and the facts citing an article whose quads changed. A load that overlaps a
// transaction is not kept (gen), so a cached entry never outlives a change it missed.
type relCache struct {
	mu    sync.Mutex
	gen   uint64 // bumped by every transaction
	adj   map[string]*adjList
	edges map[edgeTriple]*edgeFacts
	byArt map[string]map[edgeTriple]struct{} // article IRI → cached edges citing it

	adjHeld, stmtHeld int // edges and statements held
	maxAdj, maxStmts  int

	// full is set once the adjacency of every entity was loaded (loadAdjacency): an
	// entity without an entry then has no direct edge, unless it is stale (its entry
	// was dropped, by eviction or a failed transaction, and is read again on use).
	// Transactions then update the adjacency instead of dropping it.
	full  bool
	stale map[string]bool

	// loading holds the edges being read from the store: a reader that misses an edge
	// another is reading waits for it instead of reading it too (fifty callers asking
	// for a hub after a restart read its edges once).
	loading map[edgeTriple]*edgeLoad

	// Look-ups by reads (not the warm-up), counted under mu: see CacheStats.
	adjHits, adjMisses, edgeHits, edgeMisses uint64
}

// edgeLoad is one read of an edge's statements in progress.
type edgeLoad struct {
	done chan struct{}
	f    *edgeFacts // nil when the read failed
}

// Cache caps: about 100 bytes per adjacency edge and 300 per statement held.
const (
	cacheMaxAdjEdges   = 2_000_000
	cacheMaxStatements = 500_000
)

func newRelCache() *relCache {
	return &relCache{
		adj: map[string]*adjList{}, edges: map[edgeTriple]*edgeFacts{},
		byArt: map[string]map[edgeTriple]struct{}{}, stale: map[string]bool{},
		loading: map[edgeTriple]*edgeLoad{},
		maxAdj:  cacheMaxAdjEdges, maxStmts: cacheMaxStatements,
	}
}

// adjRel is one direct edge seen from an entity.
type adjRel struct {
	pred  string
	other string
	out   bool // the entity is the subject
}

// key is the Relations page key: predicate, other entity, outgoing before incoming.
func (a adjRel) key() string {
	d := "\x001"
	if a.out {
		d = "\x000"
	}
	return a.pred + "\x00" + a.other + d
}

// adjList is the direct edges of one entity.
type adjList struct {
	byKey   []adjRel // sorted by key()
	byOther []adjRel // self-loops left out; sorted by other, predicate, outgoing first
}

// edgeEvent is one event of a direct edge with its statements.
type edgeEvent struct {
	date  time.Time // zero when undated
	items []Evidence
}

// edgeFacts is everything stored behind one direct edge.
type edgeFacts struct {
	events   []edgeEvent // newest first, undated last
	articles []string    // article IRIs cited
	n        int         // statements
	all      []Evidence  // every statement, in evidence order
	tl       *tally      // the unfiltered tally (every event kept)
	// partial is set for an entry of the first statements only (all holds them, events
	// and tl are unset): what paths show of an edge, without reading all of a busy one.
	// complete tells that all holds every statement all the same.
	partial, complete bool
}

// headItems is how many statements a partial entry keeps.
const headItems = 10

func (c *relCache) snapshot() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

var noEdges = &adjList{}

func (c *relCache) getAdj(iri string) *adjList {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.adjLocked(iri)
}

// lookupAdj is getAdj for a read, counted as a hit or a miss.
func (c *relCache) lookupAdj(iri string) *adjList {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.adjLocked(iri)
	if l != nil {
		c.adjHits++
	} else {
		c.adjMisses++
	}
	return l
}

// adjLocked is getAdj; the caller holds mu.
func (c *relCache) adjLocked(iri string) *adjList {
	if l := c.adj[iri]; l != nil {
		return l
	}
	if c.full && !c.stale[iri] {
		return noEdges
	}
	return nil
}

func (c *relCache) putAdj(iri string, l *adjList, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return // a transaction ran while it was read
	}
	c.setAdj(iri, l)
	delete(c.stale, iri)
	for k := range c.adj {
		if c.adjHeld <= c.maxAdj {
			break
		}
		if k != iri {
			c.dropAdj(k)
		}
	}
}

// setAdj replaces the adjacency of an entity; the caller holds mu.
func (c *relCache) setAdj(iri string, l *adjList) {
	if old := c.adj[iri]; old != nil {
		c.adjHeld -= len(old.byKey)
	}
	if len(l.byKey) == 0 && c.full {
		delete(c.adj, iri) // no entry: no edges
		return
	}
	c.adj[iri] = l
	c.adjHeld += len(l.byKey)
}

// dropAdj forgets the adjacency of an entity, to be read again on use; the caller
// holds mu.
func (c *relCache) dropAdj(iri string) {
	if l := c.adj[iri]; l != nil {
		c.adjHeld -= len(l.byKey)
		delete(c.adj, iri)
	}
	if c.full {
		c.stale[iri] = true
	}
}

func (c *relCache) getEdge(t edgeTriple) *edgeFacts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.edges[t]
}

func (c *relCache) putEdge(t edgeTriple, f *edgeFacts, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	c.dropEdge(t)
	c.edges[t] = f
	c.stmtHeld += f.n + 1
	for _, a := range f.articles {
		m := c.byArt[a]
		if m == nil {
			m = map[edgeTriple]struct{}{}
			c.byArt[a] = m
		}
		m[t] = struct{}{}
	}
	for k := range c.edges {
		if c.stmtHeld <= c.maxStmts {
			break
		}
		if k != t {
			c.dropEdge(k)
		}
	}
}

// dropEdge forgets the facts of an edge; the caller holds mu.
func (c *relCache) dropEdge(t edgeTriple) {
	f := c.edges[t]
	if f == nil {
		return
	}
	delete(c.edges, t)
	c.stmtHeld -= f.n + 1
	for _, a := range f.articles {
		if m := c.byArt[a]; m != nil {
			delete(m, t)
			if len(m) == 0 {
				delete(c.byArt, a)
			}
		}
	}
}

// applied brings the cache up to date with a transaction, called after it ran: the
// adjacency of both ends of a direct edge added or removed is updated (when the
// adjacency is complete and the transaction committed) or dropped, the facts of an
// edge whose events or statements changed are dropped, and so are the facts citing an
// article whose quads changed.
func (c *relCache) applied(deltas []cgraph.Delta, committed bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	type change struct {
		rel adjRel
		add bool
	}
	changes := map[string][]change{} // entity IRI → its direct edges added or removed
	for _, d := range deltas {
		s, _ := d.Quad.Subject.(quad.IRI)
		p, _ := d.Quad.Predicate.(quad.IRI)
		o, _ := d.Quad.Object.(quad.IRI)
		switch {
		case strings.HasPrefix(string(p), iriRelPredPrefix):
			pred := strings.TrimPrefix(string(p), iriRelPredPrefix)
			add := d.Action == cgraph.Add
			changes[string(s)] = append(changes[string(s)], change{adjRel{pred: pred, other: string(o), out: true}, add})
			changes[string(o)] = append(changes[string(o)], change{adjRel{pred: pred, other: string(s), out: false}, add})
		case p == pOccurred:
			if t, ok := parseEdgeKey(strings.TrimPrefix(string(s), iriEdgePrefix)); ok {
				c.dropEdge(t)
			}
		case p == pEvent:
			if _, t, _, ok := parseEventIRI(string(o)); ok {
				c.dropEdge(t)
			}
		}
		if strings.HasPrefix(string(s), iriArticlePrefix) {
			for t := range c.byArt[string(s)] {
				c.dropEdge(t)
			}
		}
	}
	for iri, chs := range changes {
		old, known := c.adj[iri]
		if !known && c.full && !c.stale[iri] {
			old, known = noEdges, true
		}
		if !committed || !known {
			c.dropAdj(iri)
			continue
		}
		set := make(map[adjRel]bool, len(old.byKey)+len(chs))
		for _, a := range old.byKey {
			set[a] = true
		}
		for _, ch := range chs {
			if ch.add {
				set[ch.rel] = true
			} else {
				delete(set, ch.rel)
			}
		}
		rels := make([]adjRel, 0, len(set))
		for a := range set {
			rels = append(rels, a)
		}
		c.setAdj(iri, newAdjList(iri, rels))
	}
}

// cacheQS is the quad store as the writer sees it: ApplyDeltas tells the cache.
type cacheQS struct {
	cgraph.QuadStore
	rc *relCache
}

func (q cacheQS) ApplyDeltas(in []cgraph.Delta, opts cgraph.IgnoreOpts) error {
	err := q.QuadStore.ApplyDeltas(in, opts)
	q.rc.applied(in, err == nil)
	return err
}

// initReadCache puts the relation cache between the store and its writer. Open calls
// it once, before the store is shared.
func (s *CayleyStore) initReadCache() {
	s.rc = newRelCache()
	s.qs = cacheQS{QuadStore: s.qs, rc: s.rc}
}

// adjacency returns the direct edges of an entity (none when it has none), from the
// cache or read from the store: every quad around the entity node, at most
// Config.MaxScan of them (ErrLimit beyond).
func (s *CayleyStore) adjacency(ctx context.Context, r *reader, iri string) (*adjList, error) {
	if l := s.rc.lookupAdj(iri); l != nil {
		return l, nil
	}
	gen := s.rc.snapshot()
	nr, err := s.ref(quad.IRI(iri))
	if err != nil {
		return nil, err
	}
	if nr == nil {
		return noEdges, nil
	}
	type raw struct {
		pred, other cgraph.Ref
		out         bool
	}
	var raws []raw
	scanned := 0
	for _, dir := range []quad.Direction{quad.Subject, quad.Object} {
		otherDir := quad.Object
		if dir == quad.Object {
			otherDir = quad.Subject
		}
		err := s.scan(ctx, dir, nr, nil, func(q cgraph.Ref) (bool, error) {
			if scanned++; scanned > s.cfg.MaxScan {
				return false, fmt.Errorf("%w: %s has more than %d quads (Config.MaxScan)", ErrLimit, iri, s.cfg.MaxScan)
			}
			pr, err := s.qs.QuadDirection(q, quad.Predicate)
			if err != nil {
				return false, err
			}
			if name, known := r.relName(pr); known && name == "" {
				return true, nil // a schema predicate: type, name, alias, registry
			}
			o, err := s.qs.QuadDirection(q, otherDir)
			if err != nil {
				return false, err
			}
			raws = append(raws, raw{pr, o, dir == quad.Subject})
			return true, nil
		})
		if err != nil {
			return nil, err
		}
	}
	prs := make([]cgraph.Ref, len(raws))
	for i, rw := range raws {
		prs[i] = rw.pred
	}
	if err := r.resolvePreds(ctx, prs); err != nil {
		return nil, err
	}
	raws = slices.DeleteFunc(raws, func(rw raw) bool { n, _ := r.relName(rw.pred); return n == "" })
	refs := make([]cgraph.Ref, len(raws))
	for i, rw := range raws {
		refs[i] = rw.other
	}
	vs, err := cgraph.ValuesOf(ctx, s.qs, refs)
	if err != nil {
		return nil, err
	}
	var l *adjList
	rels := make([]adjRel, 0, len(raws))
	for i, rw := range raws {
		other := asString(vs[i])
		if !strings.HasPrefix(other, iriEntityPrefix) {
			continue
		}
		pred, _ := r.relName(rw.pred)
		rels = append(rels, adjRel{pred: pred, other: other, out: rw.out})
	}
	l = newAdjList(iri, rels)
	s.rc.putAdj(iri, l, gen)
	return l, nil
}

// newAdjList sorts the direct edges of an entity into its adjacency (taking rels).
func newAdjList(iri string, rels []adjRel) *adjList {
	l := &adjList{byKey: rels}
	// Field by field, the order of key() (predicate and other IRI hold no NUL).
	sort.Slice(l.byKey, func(i, j int) bool {
		a, b := l.byKey[i], l.byKey[j]
		if a.pred != b.pred {
			return a.pred < b.pred
		}
		if a.other != b.other {
			return a.other < b.other
		}
		return a.out && !b.out
	})
	l.byKey = slices.CompactFunc(l.byKey, func(a, b adjRel) bool { return a == b })
	l.byOther = make([]adjRel, 0, len(l.byKey))
	for _, a := range l.byKey {
		if a.other != iri {
			l.byOther = append(l.byOther, a)
		}
	}
	sort.Slice(l.byOther, func(i, j int) bool {
		a, b := l.byOther[i], l.byOther[j]
		if a.other != b.other {
			return a.other < b.other
		}
		if a.pred != b.pred {
			return a.pred < b.pred
		}
		return a.out && !b.out
	})
	return l
}

// loadAdjacency reads the direct edges of every entity from the registry of edge keys
// (ng:edges) into the cache, once, at Open: afterwards no read waits for an entity's
// edges, and transactions keep the adjacency up to date. It costs one pass over the
// registry (a few bytes per edge read, about 100 bytes per edge held).
func (s *CayleyStore) loadAdjacency(ctx context.Context) error {
	ls, err := s.links(ctx, quad.Subject, regEdges, pHas)
	if err != nil {
		return fmt.Errorf("edges: %w", err)
	}
	intern := map[string]string{}
	in := func(v string) string {
		if w, ok := intern[v]; ok {
			return w
		}
		intern[v] = v
		return v
	}
	rels := map[string][]adjRel{}
	for _, l := range ls {
		t, ok := parseEdgeKey(strings.TrimPrefix(asString(l.Other), iriEdgePrefix))
		if !ok {
			continue
		}
		subj, pred, obj := in(t.Subject), in(t.Predicate), in(t.Object)
		rels[subj] = append(rels[subj], adjRel{pred: pred, other: obj, out: true})
		rels[obj] = append(rels[obj], adjRel{pred: pred, other: subj, out: false})
	}
	c := s.rc
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.adj)
	clear(c.stale)
	c.adjHeld = 0
	c.full = true
	for iri, rs := range rels {
		c.setAdj(iri, newAdjList(iri, rs))
	}
	if c.adjHeld > c.maxAdj {
		// More than the cache holds: drop it all, read on use.
		clear(c.adj)
		c.adjHeld, c.full = 0, false
	}
	return nil
}

// edgeFacts returns the statements behind a direct edge, from the cache or read from
// the store; read counts the statements read from the store (not from the cache).
func (r *reader) edgeFacts(ctx context.Context, t edgeTriple) (*edgeFacts, error) {
	s := r.s
	c := s.rc
	c.mu.Lock()
	if f := c.edges[t]; f != nil && !f.partial {
		if !r.warm {
			c.edgeHits++
		}
		c.mu.Unlock()
		return f, nil
	}
	if !r.warm {
		c.edgeMisses++ // a wait for another read of the edge too: the call waits for the store
	}
	if l := c.loading[t]; l != nil {
		c.mu.Unlock()
		select {
		case <-l.done:
			if l.f != nil {
				return l.f, nil
			}
		case <-ctx.Done():
			return nil, ctxErr(ctx)
		}
		return r.edgeFacts(ctx, t) // the other read failed: try ours
	}
	l := &edgeLoad{done: make(chan struct{})}
	c.loading[t] = l
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.loading, t)
		c.mu.Unlock()
		close(l.done)
	}()
	f, err := r.readEdgeFacts(ctx, t)
	l.f = f
	return f, err
}

// readEdgeFacts reads the statements behind a direct edge from the store and caches
// them.
func (r *reader) readEdgeFacts(ctx context.Context, t edgeTriple) (*edgeFacts, error) {
	s := r.s
	gen := s.rc.snapshot()
	r.edgeLoads++
	f := &edgeFacts{}
	evs, err := s.links(ctx, quad.Subject, edgeIRI(t.Subject, t.Predicate, t.Object), pOccurred)
	if err != nil {
		return nil, err
	}
	pe, err := s.ref(pEvent)
	if err != nil {
		return nil, err
	}
	arts := map[string]bool{}
	for _, e := range evs {
		_, _, day, ok := parseEventIRI(asString(e.Other))
		if !ok || pe == nil {
			continue
		}
		var date time.Time
		if day != undatedEvent {
			date, _ = time.Parse(eventDateLayout, day)
		}
		stmts, err := s.linksRef(ctx, quad.Object, e.OtherRef, pe, pEvent)
		if err != nil {
			return nil, err
		}
		ev := edgeEvent{date: date}
		for _, st := range stmts {
			iri := asString(st.Other)
			item, err := r.statement(ctx, st.OtherRef, iri)
			if err != nil {
				return nil, err
			}
			if rest, ok := strings.CutPrefix(iri, iriStmtPrefix); ok {
				if i := strings.LastIndexByte(rest, '/'); i >= 0 {
					arts[iriArticlePrefix+rest[:i]] = true
				}
			}
			if item == nil {
				continue
			}
			item.EventDate = date
			ev.items = append(ev.items, *item)
		}
		r.stmtsRead += len(stmts)
		if r.stmtsRead > s.cfg.MaxScan {
			return nil, fmt.Errorf("%w: read more than %d statements (Config.MaxScan)", ErrLimit, s.cfg.MaxScan)
		}
		sortEvidence(ev.items)
		f.n += len(ev.items)
		f.events = append(f.events, ev)
	}
	sort.SliceStable(f.events, func(i, j int) bool { return f.events[i].date.After(f.events[j].date) })
	f.articles = slices.Sorted(func(yield func(string) bool) {
		for a := range arts {
			if !yield(a) {
				return
			}
		}
	})
	f.tl = newTally(0)
	for _, e := range f.events {
		if f.tl.addEvent(e.date, e.items) {
			f.all = append(f.all, e.items...)
		}
	}
	sortEvidence(f.all)
	s.rc.putEdge(t, f, gen)
	return f, nil
}

// evidenceHead returns the first f.max statements behind a direct edge that pass f
// (dates and modalities; f.minSources is not applied), in evidence order: from the
// cache when the edge is there, else read from the store newest event first, stopping
// after the event that fills f.max, and not cached. Paths use it: a hop shows a few
// items and needs no counts, and an edge between two hubs may have thousands.
func (r *reader) evidenceHead(ctx context.Context, t edgeTriple, f evFilter) ([]Evidence, error) {
	s := r.s
	f.minSources = 0
	filtered := !f.unfiltered()
	if e := s.rc.getEdge(t); e != nil {
		switch {
		case !e.partial:
			ev, _, err := r.evidenceByEvent(ctx, t, f, false) // counted by edgeFacts
			return ev, err
		case !filtered && (f.max <= len(e.all) || e.complete):
			s.rc.count(true)
			return slices.Clone(e.all[:min(f.max, len(e.all))]), nil
		}
	}
	s.rc.count(false)
	gen := s.rc.snapshot()
	want := f.max
	if !filtered {
		want = max(f.max, headItems)
	}
	evs, err := s.links(ctx, quad.Subject, edgeIRI(t.Subject, t.Predicate, t.Object), pOccurred)
	if err != nil {
		return nil, err
	}
	pe, err := s.ref(pEvent)
	if err != nil || pe == nil {
		return nil, err
	}
	type dated struct {
		l    link
		date time.Time
	}
	var todo []dated
	for _, e := range evs {
		_, _, day, ok := parseEventIRI(asString(e.Other))
		if !ok {
			continue
		}
		var date time.Time
		if day != undatedEvent {
			date, _ = time.Parse(eventDateLayout, day)
		}
		if f.passDate(date) {
			todo = append(todo, dated{e, date})
		}
	}
	sort.SliceStable(todo, func(i, j int) bool { return todo[i].date.After(todo[j].date) })
	var ev []Evidence
	arts := map[string]bool{}
	complete := true
	for _, e := range todo {
		if len(ev) >= want {
			complete = false
			break
		}
		stmts, err := s.linksRef(ctx, quad.Object, e.l.OtherRef, pe, pEvent)
		if err != nil {
			return nil, err
		}
		for _, st := range stmts {
			item, err := r.statement(ctx, st.OtherRef, asString(st.Other))
			if err != nil {
				return nil, err
			}
			if item == nil || len(f.modalities) > 0 && !f.modalities[item.Modality] {
				continue
			}
			item.EventDate = e.date
			ev = append(ev, *item)
			arts[string(articleIRI(item.ArticleID))] = true
		}
	}
	sortEvidence(ev)
	if !filtered {
		complete = complete && len(ev) <= want
		ev = ev[:min(len(ev), want)]
		head := &edgeFacts{partial: true, complete: complete, all: ev, n: len(ev), articles: slices.Sorted(maps.Keys(arts))}
		s.rc.putEdge(t, head, gen)
	}
	if len(ev) > f.max {
		ev = ev[:f.max]
	}
	return slices.Clone(ev), nil
}

// sortEvidence orders evidence newest event first, then newest article, article id,
// offset and sentence.
func sortEvidence(ev []Evidence) {
	sort.Slice(ev, func(i, j int) bool {
		a, b := &ev[i], &ev[j]
		if !a.EventDate.Equal(b.EventDate) {
			return a.EventDate.After(b.EventDate)
		}
		if !a.Published.Equal(b.Published) {
			return a.Published.After(b.Published)
		}
		if a.ArticleID != b.ArticleID {
			return a.ArticleID < b.ArticleID
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Sentence < b.Sentence
	})
}

// unfiltered reports whether f keeps every statement.
func (f evFilter) unfiltered() bool {
	return !f.dated() && len(f.modalities) == 0 && f.minSources <= 1
}

// pass reports whether an event day passes f's date range.
func (f evFilter) passDate(date time.Time) bool {
	if !f.dated() {
		return true
	}
	return !date.IsZero() && (f.from.IsZero() || !date.Before(f.from)) && (f.to.IsZero() || !date.After(f.to))
}

// DropReadCache empties the relation cache, as after a restart: for measures of cold
// reads. Reads running meanwhile are not disturbed.
func (s *CayleyStore) DropReadCache() {
	s.rc.mu.Lock()
	defer s.rc.mu.Unlock()
	s.rc.gen++
	clear(s.rc.adj)
	clear(s.rc.edges)
	clear(s.rc.byArt)
	clear(s.rc.stale)
	s.rc.adjHeld, s.rc.stmtHeld, s.rc.full = 0, 0, false
}

// count counts a look-up of an edge's statements by a read outside edgeFacts.
func (c *relCache) count(hit bool) {
	c.mu.Lock()
	if hit {
		c.edgeHits++
	} else {
		c.edgeMisses++
	}
	c.mu.Unlock()
}

// CacheStats tells how the relation cache serves reads: the look-ups of an entity's
// direct edges (adjacency) and of the statements behind an edge (edges) that reads
// made since Open, found in the cache (hits) or read from the store (misses; a read
// that waited for another's read of the same edge is a miss), and what the cache holds
// now. The background warm-up is not counted.
type CacheStats struct {
	AdjacencyHits, AdjacencyMisses uint64
	EdgeHits, EdgeMisses           uint64
	AdjacencyEdges                 int // direct edges held in adjacency lists
	Statements                     int // statements held behind edges
	Edges                          int // edges whose statements are held
}

// CacheStats returns the relation cache's counters: a few fields read under its lock,
// cheap enough for every metrics scrape.
func (s *CayleyStore) CacheStats() CacheStats {
	c := s.rc
	c.mu.Lock()
	defer c.mu.Unlock()
	return CacheStats{
		AdjacencyHits: c.adjHits, AdjacencyMisses: c.adjMisses,
		EdgeHits: c.edgeHits, EdgeMisses: c.edgeMisses,
		AdjacencyEdges: c.adjHeld, Statements: c.stmtHeld - len(c.edges), Edges: len(c.edges),
	}
}
