package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
)

// errBudget stops a traversal that reached its node budget or scan cap.
var errBudget = errors.New("traversal budget exhausted")

// adjEdge is one direct edge seen from a node: to the node on its other side (other),
// walked forward (out: the node is the edge's subject) or backward. It is the cache's
// adjRel, so a node's edges are shared with the cache, not copied.
type adjEdge = adjRel

// id names the stored direct edge behind a hop from node `from`.
func (e adjEdge) id(from string) edgeTriple {
	if e.out {
		return edgeTriple{from, e.pred, e.other}
	}
	return edgeTriple{e.other, e.pred, from}
}

// walker reads the direct edges of entity nodes for one traversal from the relation
// cache (relCache), enforces the node budget and the scan cap, leaves out hubs when
// asked to, and checks hops against an evidence filter.
type walker struct {
	r         *reader
	preds     map[string]bool // allowed predicates; nil: every direct edge
	adj       map[string][]adjEdge
	degree    map[string]int // direct edges of the nodes loaded
	loaded    int            // nodes whose edges were read
	scanned   int            // edges examined
	maxNodes  int
	maxScan   int
	maxDegree int             // > 0: nodes with more edges are not walked through
	ends      map[string]bool // exempt from maxDegree
	filter    evFilter        // hop filter, when filtered
	filtered  bool
	valid     map[edgeTriple]bool // hops checked against filter
	bfs       *bfs                // shortest's search state, from the store's pool
}

func (s *CayleyStore) newWalker(predicates []string, maxNodes int) *walker {
	w := &walker{
		r: s.newReader(), adj: map[string][]adjEdge{}, degree: map[string]int{},
		maxNodes: maxNodes, maxScan: s.cfg.MaxScan, ends: map[string]bool{}, valid: map[edgeTriple]bool{},
	}
	w.bfs, _ = s.bfsPool.Get().(*bfs)
	if w.bfs == nil {
		w.bfs = &bfs{ids: map[string]int32{}}
	}
	if w.bfs.query++; w.bfs.query == 0 { // wrapped
		clear(w.bfs.nbrQuery)
		w.bfs.query = 1
	}
	if len(predicates) > 0 {
		w.preds = map[string]bool{}
		for _, p := range predicates {
			w.preds[p] = true
		}
	}
	return w
}

// release gives the walker's search state back to the store's pool; the walker is
// not used after.
func (s *CayleyStore) release(w *walker) {
	if b := w.bfs; b != nil && len(b.iris) <= maxPooledNodes {
		s.bfsPool.Put(b)
	}
	w.bfs = nil
}

// maxPooledNodes bounds the search states kept for reuse: one that numbered more
// nodes than this is left to the collector.
const maxPooledNodes = 1 << 20

// node returns the key of an entity IRI, or "" when it is not in the store.
func (w *walker) node(iri string) string {
	if w.r.s.names.get(iri) == nil {
		return ""
	}
	return iri
}

// edges returns the direct edges of a node allowed by the predicate filter, sorted by
// the other node's IRI, predicate and direction, without self-loops; none for a hub
// when hubs are avoided.
func (w *walker) edges(ctx context.Context, n string) ([]adjEdge, error) {
	if es, ok := w.adj[n]; ok {
		return es, nil
	}
	if w.loaded >= w.maxNodes {
		return nil, errBudget
	}
	w.loaded++
	l, err := w.r.s.adjacency(ctx, w.r, n)
	if errors.Is(err, ErrLimit) && ctx.Err() == nil {
		return nil, errBudget
	}
	if err != nil {
		return nil, err
	}
	w.degree[n] = len(l.byOther)
	if w.scanned += len(l.byOther); w.scanned > w.maxScan {
		return nil, errBudget
	}
	var es []adjEdge
	switch {
	case w.hub(n):
	case w.preds == nil:
		es = l.byOther // shared with the cache: read only
	default:
		for _, a := range l.byOther {
			if w.preds[a.pred] {
				es = append(es, a)
			}
		}
	}
	w.adj[n] = es
	return es, nil
}

// hub reports whether a loaded node is a hub to avoid.
func (w *walker) hub(n string) bool {
	return w.maxDegree > 0 && !w.ends[n] && w.degree[n] > w.maxDegree
}

// passable reports whether a path may go through n (reached, not yet expanded).
func (w *walker) passable(ctx context.Context, n string) (bool, error) {
	if w.maxDegree <= 0 || w.ends[n] {
		return true, nil
	}
	if _, err := w.edges(ctx, n); err != nil {
		return false, err
	}
	return !w.hub(n), nil
}

// ok reports whether the edge of a hop has evidence passing the filter.
func (w *walker) ok(ctx context.Context, t edgeTriple) (bool, error) {
	if !w.filtered {
		return true, nil
	}
	if v, seen := w.valid[t]; seen {
		return v, nil
	}
	f := w.filter
	f.max = 1
	ev, err := w.r.evidenceHead(ctx, t, f)
	if err != nil {
		return false, err
	}
	v := len(ev) > 0
	w.valid[t] = v
	return v, nil
}

// wpath is a path as the walker sees it.
type wpath struct {
	nodes []string
	hops  []adjEdge // hops[i] goes from nodes[i] to nodes[i+1]
}

func (w *walker) key(p wpath) string {
	var b strings.Builder
	for i, h := range p.hops {
		t := h.id(p.nodes[i])
		fmt.Fprintf(&b, "%s|%s|%s|%v;", t.Subject, t.Predicate, t.Object, h.out)
	}
	return b.String()
}

// parent is how a search reached a node: from which node (walker id), by which edge,
// at which distance from its side's end.
type parent struct {
	from int32
	e    adjEdge
	dist int32
}

// bfs is the state of the walker's searches, reused by all of them (Yen's algorithm
// runs one per spur node) and, through the store's pool, by later queries: nodes are
// small integers (ids), so a search marks and looks up nodes in slices instead of
// hashing IRIs, and a node keeps its id (and its slots) from query to query, so a warm
// query allocates little. A node is seen by side s of the current search when
// stamp[s][id] == gen; its neighbour ids belong to the current query when
// nbrQuery[id] == query.
type bfs struct {
	ids      map[string]int32
	iris     []string
	nbrs     [][]int32 // nbrs[id][i]: id of the node at the other end of edges(id)[i]
	nbrQuery []uint32  // the query nbrs[id] was built in
	stamp    [2][]uint32
	par      [2][]parent
	ban      []uint32 // banned by the current search when == gen
	gen      uint32
	query    uint32
}

func (b *bfs) id(iri string) int32 {
	if id, ok := b.ids[iri]; ok {
		return id
	}
	id := int32(len(b.iris))
	b.ids[iri] = id
	b.iris = append(b.iris, iri)
	b.nbrs = append(b.nbrs, nil)
	b.nbrQuery = append(b.nbrQuery, 0)
	for s := range 2 {
		b.stamp[s] = append(b.stamp[s], 0)
		b.par[s] = append(b.par[s], parent{})
	}
	b.ban = append(b.ban, 0)
	return id
}

func (b *bfs) seen(side int, id int32) bool { return b.stamp[side][id] == b.gen }

func (b *bfs) mark(side int, id int32, p parent) {
	b.stamp[side][id] = b.gen
	b.par[side][id] = p
}

// edgesID is edges by id, with the ids of the nodes at the other ends.
func (w *walker) edgesID(ctx context.Context, n int32) ([]adjEdge, []int32, error) {
	b := w.bfs
	es, err := w.edges(ctx, b.iris[n])
	if err != nil {
		return nil, nil, err
	}
	if b.nbrQuery[n] != b.query {
		nb := b.nbrs[n][:0]
		for _, e := range es {
			nb = append(nb, b.id(e.other))
		}
		b.nbrs[n], b.nbrQuery[n] = nb, b.query
	}
	return es, b.nbrs[n], nil
}

// shortest finds one shortest path from src to dst of at most maxHops hops that
// avoids the banned nodes and edges, the hubs (when asked) and the hops found to fail
// the filter: a bidirectional breadth-first search, level by level, expanding the
// smaller frontier. ok is false when there is none.
func (w *walker) shortest(ctx context.Context, srcIRI, dstIRI string, maxHops int, bannedNodes map[string]bool, bannedEdges map[edgeTriple]bool) (wpath, bool, error) {
	if srcIRI == dstIRI {
		return wpath{nodes: []string{srcIRI}}, true, nil
	}
	b := w.bfs
	src, dst := b.id(srcIRI), b.id(dstIRI)
	if b.gen++; b.gen == 0 { // wrapped: old stamps could pass for this search's
		for s := range 2 {
			clear(b.stamp[s])
		}
		clear(b.ban)
		b.gen = 1
	}
	for n := range bannedNodes {
		b.ban[b.id(n)] = b.gen
	}
	b.mark(0, src, parent{from: -1})
	b.mark(1, dst, parent{from: -1})
	front := [2][]int32{{src}, {dst}}
	depth := [2]int32{}
	meet := int32(-1)
	for len(front[0]) > 0 && len(front[1]) > 0 && int(depth[0]+depth[1]) < maxHops {
		side := 0
		if len(front[1]) < len(front[0]) {
			side = 1
		}
		other := 1 - side
		best := int32(-1)
		var next []int32
		for _, u := range front[side] {
			if err := ctx.Err(); err != nil {
				return wpath{}, false, ctxErr(ctx)
			}
			es, nb, err := w.edgesID(ctx, u)
			if err != nil {
				return wpath{}, false, err
			}
			for i, e := range es {
				v := nb[i]
				if b.seen(side, v) || b.ban[v] == b.gen {
					continue
				}
				if len(bannedEdges) > 0 || w.filtered {
					t := e.id(b.iris[u])
					if bannedEdges[t] {
						continue
					}
					if ok, checked := w.valid[t]; checked && !ok {
						continue // a hop found to fail the filter
					}
				}
				b.mark(side, v, parent{from: u, e: e, dist: depth[side] + 1})
				next = append(next, v)
				if b.seen(other, v) {
					if total := depth[side] + 1 + b.par[other][v].dist; best < 0 || total < best {
						pass, err := w.passable(ctx, b.iris[v])
						if err != nil {
							return wpath{}, false, err
						}
						if pass {
							best, meet = total, v
						}
					}
				}
			}
		}
		front[side] = next
		depth[side]++
		if meet >= 0 {
			break
		}
	}
	if meet < 0 {
		return wpath{}, false, nil
	}
	// src … meet along the forward parents, then meet … dst along the backward ones.
	var p wpath
	for n := meet; n != src; {
		pr := b.par[0][n]
		p.nodes = append(p.nodes, b.iris[n])
		p.hops = append(p.hops, pr.e)
		n = pr.from
	}
	p.nodes = append(p.nodes, srcIRI)
	slices.Reverse(p.nodes)
	slices.Reverse(p.hops)
	for n := meet; n != dst; {
		pr := b.par[1][n]
		// pr.e goes from pr.from to n; the path walks it from n to pr.from.
		p.hops = append(p.hops, adjEdge{other: b.iris[pr.from], pred: pr.e.pred, out: !pr.e.out})
		p.nodes = append(p.nodes, b.iris[pr.from])
		n = pr.from
	}
	return p, true, nil
}

// shortestValid is shortest whose hops all pass the filter: hops are checked on the
// paths found (reading the evidence of a few edges, not of every edge walked), and a
// path with a failing hop is searched again without it.
func (w *walker) shortestValid(ctx context.Context, src, dst string, maxHops int, bannedNodes map[string]bool, bannedEdges map[edgeTriple]bool) (wpath, bool, error) {
	for {
		p, found, err := w.shortest(ctx, src, dst, maxHops, bannedNodes, bannedEdges)
		if err != nil || !found || !w.filtered {
			return p, found, err
		}
		good := true
		for i, h := range p.hops {
			v, err := w.ok(ctx, h.id(p.nodes[i]))
			if err != nil {
				return wpath{}, false, err
			}
			good = good && v
		}
		if good {
			return p, true, nil
		}
		if w.loaded >= w.maxNodes {
			return wpath{}, false, errBudget
		}
	}
}

// kShortest is Yen's algorithm over shortestValid: up to k loopless paths, shortest
// first, ties in a fixed order, each handed to yield as soon as it is settled.
func (w *walker) kShortest(ctx context.Context, src, dst string, k, maxHops int, yield func(wpath) error) (int, error) {
	first, ok, err := w.shortestValid(ctx, src, dst, maxHops, nil, nil)
	if err != nil || !ok {
		return 0, err
	}
	if err := yield(first); err != nil {
		return 0, err
	}
	found := []wpath{first}
	seen := map[string]bool{w.key(first): true}
	type cand struct {
		p   wpath
		key string
	}
	var cands []cand
	for len(found) < k {
		prev := found[len(found)-1]
		for i := 0; i < len(prev.hops); i++ {
			spur := prev.nodes[i]
			if i > 0 {
				// A spur node that is a hub is not walked through.
				if pass, err := w.passable(ctx, spur); err != nil {
					return len(found), err
				} else if !pass {
					continue
				}
			}
			rootKey := w.key(wpath{nodes: prev.nodes[:i+1], hops: prev.hops[:i]})
			bannedEdges := map[edgeTriple]bool{}
			for _, p := range found {
				if len(p.hops) > i && w.key(wpath{nodes: p.nodes[:i+1], hops: p.hops[:i]}) == rootKey {
					bannedEdges[p.hops[i].id(p.nodes[i])] = true
				}
			}
			bannedNodes := map[string]bool{}
			for _, n := range prev.nodes[:i] {
				bannedNodes[n] = true
			}
			sp, ok, err := w.shortestValid(ctx, spur, dst, maxHops-i, bannedNodes, bannedEdges)
			if err != nil {
				return len(found), err
			}
			if !ok {
				continue
			}
			p := wpath{
				nodes: append(slices.Clone(prev.nodes[:i]), sp.nodes...),
				hops:  append(slices.Clone(prev.hops[:i]), sp.hops...),
			}
			if key := w.key(p); !seen[key] {
				seen[key] = true
				cands = append(cands, cand{p, key})
			}
		}
		if len(cands) == 0 {
			break
		}
		sort.Slice(cands, func(a, b int) bool {
			if la, lb := len(cands[a].p.hops), len(cands[b].p.hops); la != lb {
				return la < lb
			}
			return cands[a].key < cands[b].key
		})
		found = append(found, cands[0].p)
		cands = cands[1:]
		if err := yield(found[len(found)-1]); err != nil {
			return len(found), err
		}
	}
	return len(found), nil
}

// Paths returns up to q.K shortest loopless paths between two entities (see
// StreamPaths), shortest first.
func (s *CayleyStore) Paths(ctx context.Context, q PathQuery) ([]Path, error) {
	var out []Path
	_, err := s.StreamPaths(ctx, q, func(p Path) error {
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		out = []Path{}
	}
	return out, nil
}

// StreamPaths finds up to q.K shortest loopless paths between two entities, walking
// direct edges in either direction (Hop.Forward tells which), and hands each to fn as
// soon as it is settled, shortest first. Each hop carries the evidence of its edge
// that passes q's filters. The search is a bidirectional breadth-first search over the
// relation cache inside Yen's algorithm; it reads at most q.MaxNodes nodes' edges and
// Config.MaxScan edges. When a limit is reached before any path is found it returns
// ErrLimit; after, it returns with PathsInfo.Truncated set.
func (s *CayleyStore) StreamPaths(ctx context.Context, q PathQuery, fn func(Path) error) (PathsInfo, error) {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("graph: paths from %q to %q: %s is %v, want %s: %w", q.From, q.To, field, v, want, ErrInvalidArgument)
	}
	switch {
	case q.From == "":
		return PathsInfo{}, bad("From", `""`, "an entity IRI")
	case q.To == "":
		return PathsInfo{}, bad("To", `""`, "an entity IRI")
	case q.K < 0:
		return PathsInfo{}, bad("K", q.K, ">= 0")
	case q.MaxHops < 0:
		return PathsInfo{}, bad("MaxHops", q.MaxHops, ">= 0")
	case q.MaxNodes < 0:
		return PathsInfo{}, bad("MaxNodes", q.MaxNodes, ">= 0")
	case q.MaxDegree < 0:
		return PathsInfo{}, bad("MaxDegree", q.MaxDegree, ">= 0")
	case q.MaxEvidence < 0:
		return PathsInfo{}, bad("MaxEvidence", q.MaxEvidence, ">= 0")
	case !q.EventFrom.IsZero() && !q.EventTo.IsZero() && q.EventTo.Before(q.EventFrom):
		return PathsInfo{}, bad("EventTo", q.EventTo.Format(time.DateOnly), "not before EventFrom "+q.EventFrom.Format(time.DateOnly))
	}
	for i, p := range q.Predicates {
		if !validPredicate(p) {
			return PathsInfo{}, bad(fmt.Sprintf("Predicates[%d]", i), fmt.Sprintf("%q", p), "a relation name")
		}
	}
	f := evFilter{max: clamp(q.MaxEvidence, s.cfg.DefaultEvidence, s.cfg.MaxEvidence), from: dayOf(q.EventFrom), to: dayOf(q.EventTo)}
	if len(q.Modalities) > 0 {
		f.modalities = map[Modality]bool{}
		for i, m := range q.Modalities {
			if !m.Valid() {
				return PathsInfo{}, bad(fmt.Sprintf("Modalities[%d]", i), fmt.Sprintf("%q", m), fmt.Sprint(Modalities))
			}
			f.modalities[m] = true
		}
	}
	for _, id := range []string{q.From, q.To} {
		if s.names.get(id) == nil {
			return PathsInfo{}, fmt.Errorf("graph: paths from %q to %q: entity %q: %w", q.From, q.To, id, ErrNotFound)
		}
	}
	k := clamp(q.K, 1, s.cfg.MaxPaths)
	hops := clamp(q.MaxHops, s.cfg.DefaultHops, s.cfg.MaxHops)
	end, err := s.beginRead()
	if err != nil {
		return PathsInfo{}, err
	}
	defer end()
	w := s.newWalker(q.Predicates, clamp(q.MaxNodes, s.cfg.DefaultNodes, s.cfg.MaxNodes))
	defer s.release(w)
	w.maxDegree = q.MaxDegree
	w.filter, w.filtered = f, len(f.modalities) > 0 || f.dated()
	src, dst := w.node(q.From), w.node(q.To)
	if src == "" || dst == "" {
		return PathsInfo{}, fmt.Errorf("graph: paths from %q to %q: entity %w", q.From, q.To, ErrNotFound)
	}
	w.ends[src], w.ends[dst] = true, true
	var fnErr error
	n, err := w.kShortest(ctx, src, dst, k, hops, func(p wpath) error {
		path := Path{Hops: make([]Hop, 0, len(p.hops))}
		for i, h := range p.hops {
			from := p.nodes[i]
			ev, err := w.r.evidenceHead(ctx, h.id(from), f)
			if err != nil {
				return err
			}
			path.Hops = append(path.Hops, Hop{
				From: s.names.brief(from), Predicate: h.pred, To: s.names.brief(h.other),
				Forward: h.out, Evidence: ev,
			})
		}
		if err := fn(path); err != nil {
			fnErr = err
			return err
		}
		return nil
	})
	info := PathsInfo{Nodes: w.loaded}
	switch {
	case fnErr != nil:
		return info, fnErr
	case errors.Is(err, errBudget) && n > 0:
		info.Truncated = true
		return info, nil
	case errors.Is(err, errBudget):
		return info, fmt.Errorf("graph: paths from %q to %q: %w: read the edges of %d nodes and %d edges without finding a path", q.From, q.To, ErrLimit, w.loaded, w.scanned)
	case err != nil:
		if ctx.Err() != nil {
			err = ctxErr(ctx)
		}
		return info, fmt.Errorf("graph: paths from %q to %q: %w", q.From, q.To, err)
	}
	return info, nil
}

// dayOf is the UTC calendar day of t, or the zero time.
func dayOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Neighbourhood returns the entities within q.Depth hops of q.EntityID (either
// direction) and the direct edges between them, breadth first, nearest first (the
// entity itself first). It stops at q.MaxNodes nodes (Config.DefaultSubgraphNodes when
// zero), keeping the edges read so far among them, and at Config.MaxScan quads read;
// both mark the answer Truncated.
func (s *CayleyStore) Neighbourhood(ctx context.Context, q NeighbourhoodQuery) (*Subgraph, error) {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("graph: neighbourhood of %q: %s is %v, want %s: %w", q.EntityID, field, v, want, ErrInvalidArgument)
	}
	switch {
	case q.EntityID == "":
		return nil, bad("EntityID", `""`, "an entity IRI")
	case q.Depth < 0:
		return nil, bad("Depth", q.Depth, ">= 0")
	case q.MaxNodes < 0:
		return nil, bad("MaxNodes", q.MaxNodes, ">= 0")
	}
	for i, p := range q.Predicates {
		if !validPredicate(p) {
			return nil, bad(fmt.Sprintf("Predicates[%d]", i), fmt.Sprintf("%q", p), "a relation name")
		}
	}
	if s.names.get(q.EntityID) == nil {
		return nil, fmt.Errorf("graph: neighbourhood of %q: entity %w", q.EntityID, ErrNotFound)
	}
	depth := clamp(q.Depth, 1, s.cfg.MaxDepth)
	maxNodes := clamp(q.MaxNodes, s.cfg.DefaultSubgraphNodes, s.cfg.MaxNodes)
	end, err := s.beginRead()
	if err != nil {
		return nil, err
	}
	defer end()
	// The walker's own node budget is the scan cap here: nodes are capped below.
	w := s.newWalker(q.Predicates, s.cfg.MaxScan)
	defer s.release(w)
	start := w.node(q.EntityID)
	if start == "" {
		return nil, fmt.Errorf("graph: neighbourhood of %q: entity %w", q.EntityID, ErrNotFound)
	}
	g := &Subgraph{}
	included := map[string]bool{start: true}
	order := []string{start}
	edges := map[edgeTriple]bool{}
	frontier := []string{start}
	visit := func(u string, grow bool) error {
		es, err := w.edges(ctx, u)
		if err != nil {
			return err
		}
		for _, e := range es {
			if !included[e.other] {
				if !grow {
					continue
				}
				if len(order) >= maxNodes {
					g.Truncated = true
					continue // still record the edges to included nodes
				}
				included[e.other] = true
				order = append(order, e.other)
			}
			edges[e.id(u)] = true
		}
		return nil
	}
	var next []string
walk:
	for d := 0; d <= depth; d++ {
		grow := d < depth // the last level only adds the edges among included nodes
		next = next[:0]
		n := len(order)
		for _, u := range frontier {
			if g.Truncated {
				// The node cap was reached: reading more nodes' edges would only add
				// edges among the nodes kept, at the price of their whole degree.
				break walk
			}
			if err := visit(u, grow); err != nil {
				if errors.Is(err, errBudget) {
					g.Truncated = true
					break walk
				}
				return nil, fmt.Errorf("graph: neighbourhood of %q: %w", q.EntityID, err)
			}
		}
		next = append(next, order[n:]...)
		frontier = slices.Clone(next)
	}
	for _, n := range order {
		g.Nodes = append(g.Nodes, s.names.brief(n))
	}
	for e := range edges {
		g.Edges = append(g.Edges, Edge{Subject: e.Subject, Predicate: e.Predicate, Object: e.Object})
	}
	sort.Slice(g.Edges, func(i, j int) bool {
		a, b := g.Edges[i], g.Edges[j]
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		if a.Predicate != b.Predicate {
			return a.Predicate < b.Predicate
		}
		return a.Object < b.Object
	})
	return g, nil
}

// Cayley returns the Cayley quad store under s, for tools and measures that ask Cayley
// itself (bench's side-by-side). Reading through it is safe; writing through it
// bypasses the writer and its invariants.
func (s *CayleyStore) Cayley() cgraph.QuadStore {
	if q, ok := s.qs.(cacheQS); ok {
		return q.QuadStore
	}
	return s.qs
}
