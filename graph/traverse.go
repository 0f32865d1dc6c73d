package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// errBudget stops a traversal that reached its node budget or scan cap.
var errBudget = errors.New("traversal budget exhausted")

// adjEdge is one direct edge seen from a node: to the node on its other side, walked
// forward (the node is the edge's subject) or backward.
type adjEdge struct {
	to      any // node key
	toIRI   string
	pred    string
	forward bool
}

// edgeID names the stored direct edge behind a hop from node `from`.
func (e adjEdge) id(fromIRI string) edgeTriple {
	if e.forward {
		return edgeTriple{fromIRI, e.pred, e.toIRI}
	}
	return edgeTriple{e.toIRI, e.pred, fromIRI}
}

// walker reads the direct edges of entity nodes for one traversal, caching them, and
// enforces the node budget and the scan cap.
type walker struct {
	r        *reader
	preds    []cgraph.Ref // allowed predicates; nil: every direct edge
	adj      map[any][]adjEdge
	iri      map[any]string
	ref      map[any]cgraph.Ref
	loaded   int // nodes whose edges were read
	scanned  int // quads read
	maxNodes int
	maxScan  int
}

func (s *CayleyStore) newWalker(ctx context.Context, predicates []string, maxNodes int) (*walker, error) {
	w := &walker{
		r: s.newReader(), adj: map[any][]adjEdge{}, iri: map[any]string{}, ref: map[any]cgraph.Ref{},
		maxNodes: maxNodes, maxScan: s.cfg.MaxScan,
	}
	if len(predicates) > 0 {
		ps, err := w.r.predRefs(predicates)
		if err != nil {
			return nil, err
		}
		if len(ps) == 0 {
			ps = []cgraph.Ref{} // none of them is stored: no edge qualifies
		}
		w.preds = ps
	}
	return w, nil
}

// node registers an entity IRI and returns its key, or nil when it is not in the store.
func (w *walker) node(iri string) (any, error) {
	r, err := w.r.s.ref(quad.IRI(iri))
	if err != nil || r == nil {
		return nil, err
	}
	k := r.Key()
	w.iri[k], w.ref[k] = iri, r
	return k, nil
}

// edges returns the direct edges of a node, sorted by the other node's IRI, predicate
// and direction, without self-loops.
func (w *walker) edges(ctx context.Context, n any) ([]adjEdge, error) {
	if es, ok := w.adj[n]; ok {
		return es, nil
	}
	if w.loaded >= w.maxNodes {
		return nil, errBudget
	}
	w.loaded++
	s := w.r.s
	type raw struct {
		pred    cgraph.Ref
		other   cgraph.Ref
		forward bool
	}
	var raws []raw
	for _, dir := range []quad.Direction{quad.Subject, quad.Object} {
		other := quad.Object
		if dir == quad.Object {
			other = quad.Subject
		}
		visit := func(q cgraph.Ref) (bool, error) {
			if w.scanned++; w.scanned > w.maxScan {
				return false, errBudget
			}
			pr, err := s.qs.QuadDirection(q, quad.Predicate)
			if err != nil {
				return false, err
			}
			if name, known := w.r.relName(pr); known && name == "" {
				return true, nil
			}
			o, err := s.qs.QuadDirection(q, other)
			if err != nil {
				return false, err
			}
			if refKey(o) != n {
				raws = append(raws, raw{pr, o, dir == quad.Subject})
			}
			return true, nil
		}
		if w.preds != nil {
			for _, p := range w.preds {
				if err := s.scan(ctx, dir, w.ref[n], p, visit); err != nil {
					return nil, err
				}
			}
		} else if err := s.scan(ctx, dir, w.ref[n], nil, visit); err != nil {
			return nil, err
		}
	}
	prs := make([]cgraph.Ref, len(raws))
	for i, rw := range raws {
		prs[i] = rw.pred
	}
	if err := w.r.resolvePreds(ctx, prs); err != nil {
		return nil, err
	}
	raws = slices.DeleteFunc(raws, func(rw raw) bool { n, _ := w.r.relName(rw.pred); return n == "" })
	var unknown []cgraph.Ref
	for _, rw := range raws {
		if _, ok := w.iri[refKey(rw.other)]; !ok {
			unknown = append(unknown, rw.other)
		}
	}
	if len(unknown) > 0 {
		vs, err := cgraph.ValuesOf(ctx, s.qs, unknown)
		if err != nil {
			return nil, err
		}
		for i, r := range unknown {
			w.iri[refKey(r)], w.ref[refKey(r)] = asString(vs[i]), r
		}
	}
	es := make([]adjEdge, 0, len(raws))
	for _, rw := range raws {
		k := refKey(rw.other)
		pred, _ := w.r.relName(rw.pred)
		es = append(es, adjEdge{to: k, toIRI: w.iri[k], pred: pred, forward: rw.forward})
	}
	sort.Slice(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.toIRI != b.toIRI {
			return a.toIRI < b.toIRI
		}
		if a.pred != b.pred {
			return a.pred < b.pred
		}
		return a.forward && !b.forward
	})
	w.adj[n] = es
	return es, nil
}

// wpath is a path as the walker sees it.
type wpath struct {
	nodes []any
	hops  []adjEdge // hops[i] goes from nodes[i] to nodes[i+1]
}

func (w *walker) key(p wpath) string {
	var b strings.Builder
	for i, h := range p.hops {
		t := h.id(w.iri[p.nodes[i]])
		fmt.Fprintf(&b, "%s|%s|%s|%v;", t.Subject, t.Predicate, t.Object, h.forward)
	}
	return b.String()
}

type parent struct {
	from any
	e    adjEdge
}

// shortest finds one shortest path from src to dst of at most maxHops hops that
// avoids the banned nodes and edges: a bidirectional breadth-first search, level by
// level, expanding the smaller frontier. ok is false when there is none.
func (w *walker) shortest(ctx context.Context, src, dst any, maxHops int, bannedNodes map[any]bool, bannedEdges map[edgeTriple]bool) (wpath, bool, error) {
	if src == dst {
		return wpath{nodes: []any{src}}, true, nil
	}
	dist := [2]map[any]int{{src: 0}, {dst: 0}}
	par := [2]map[any]parent{{}, {}}
	front := [2][]any{{src}, {dst}}
	depth := [2]int{}
	var meet any
	for len(front[0]) > 0 && len(front[1]) > 0 && depth[0]+depth[1] < maxHops {
		side := 0
		if len(front[1]) < len(front[0]) {
			side = 1
		}
		other := 1 - side
		best := -1
		var next []any
		for _, u := range front[side] {
			if err := ctx.Err(); err != nil {
				return wpath{}, false, ctxErr(ctx)
			}
			es, err := w.edges(ctx, u)
			if err != nil {
				return wpath{}, false, err
			}
			for _, e := range es {
				if bannedNodes[e.to] || bannedEdges[e.id(w.iri[u])] {
					continue
				}
				if _, seen := dist[side][e.to]; seen {
					continue
				}
				dist[side][e.to] = depth[side] + 1
				par[side][e.to] = parent{u, e}
				next = append(next, e.to)
				if d, ok := dist[other][e.to]; ok {
					if total := depth[side] + 1 + d; best < 0 || total < best {
						best, meet = total, e.to
					}
				}
			}
		}
		front[side] = next
		depth[side]++
		if meet != nil {
			break
		}
	}
	if meet == nil {
		return wpath{}, false, nil
	}
	// src … meet along the forward parents, then meet … dst along the backward ones.
	var p wpath
	for n := meet; n != src; {
		pr := par[0][n]
		p.nodes = append(p.nodes, n)
		p.hops = append(p.hops, pr.e)
		n = pr.from
	}
	p.nodes = append(p.nodes, src)
	slices.Reverse(p.nodes)
	slices.Reverse(p.hops)
	for n := meet; n != dst; {
		pr := par[1][n]
		// pr.e goes from pr.from to n; the path walks it from n to pr.from.
		back := adjEdge{to: pr.from, toIRI: w.iri[pr.from], pred: pr.e.pred, forward: !pr.e.forward}
		p.hops = append(p.hops, back)
		p.nodes = append(p.nodes, pr.from)
		n = pr.from
	}
	return p, true, nil
}

// kShortest is Yen's algorithm over shortest: up to k loopless paths, shortest first,
// ties in a fixed order.
func (w *walker) kShortest(ctx context.Context, src, dst any, k, maxHops int) ([]wpath, error) {
	first, ok, err := w.shortest(ctx, src, dst, maxHops, nil, nil)
	if err != nil || !ok {
		return nil, err
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
			rootKey := w.key(wpath{nodes: prev.nodes[:i+1], hops: prev.hops[:i]})
			bannedEdges := map[edgeTriple]bool{}
			for _, p := range found {
				if len(p.hops) > i && w.key(wpath{nodes: p.nodes[:i+1], hops: p.hops[:i]}) == rootKey {
					bannedEdges[p.hops[i].id(w.iri[p.nodes[i]])] = true
				}
			}
			bannedNodes := map[any]bool{}
			for _, n := range prev.nodes[:i] {
				bannedNodes[n] = true
			}
			sp, ok, err := w.shortest(ctx, spur, dst, maxHops-i, bannedNodes, bannedEdges)
			if err != nil {
				return found, err
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
	}
	return found, nil
}

// Paths returns up to q.K shortest loopless paths between two entities, walking direct
// edges in either direction (Hop.Forward tells which), shortest first. Each hop carries
// the evidence of its edge. The search is a bidirectional breadth-first search on quad
// iterators inside Yen's algorithm; it reads at most q.MaxNodes nodes' edges. When the
// budget runs out before any path is found it returns ErrLimit; after one was found it
// returns the paths found so far.
func (s *CayleyStore) Paths(ctx context.Context, q PathQuery) ([]Path, error) {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("graph: paths from %q to %q: %s is %v, want %s: %w", q.From, q.To, field, v, want, ErrInvalidArgument)
	}
	switch {
	case q.From == "":
		return nil, bad("From", `""`, "an entity IRI")
	case q.To == "":
		return nil, bad("To", `""`, "an entity IRI")
	case q.K < 0:
		return nil, bad("K", q.K, ">= 0")
	case q.MaxHops < 0:
		return nil, bad("MaxHops", q.MaxHops, ">= 0")
	case q.MaxNodes < 0:
		return nil, bad("MaxNodes", q.MaxNodes, ">= 0")
	}
	for i, p := range q.Predicates {
		if !validPredicate(p) {
			return nil, bad(fmt.Sprintf("Predicates[%d]", i), fmt.Sprintf("%q", p), "a relation name")
		}
	}
	for _, id := range []string{q.From, q.To} {
		if s.names.get(id) == nil {
			return nil, fmt.Errorf("graph: paths from %q to %q: entity %q: %w", q.From, q.To, id, ErrNotFound)
		}
	}
	k := clamp(q.K, 1, s.cfg.MaxPaths)
	hops := clamp(q.MaxHops, s.cfg.DefaultHops, s.cfg.MaxHops)
	end, err := s.beginRead()
	if err != nil {
		return nil, err
	}
	defer end()
	w, err := s.newWalker(ctx, q.Predicates, clamp(q.MaxNodes, s.cfg.DefaultNodes, s.cfg.MaxNodes))
	if err != nil {
		return nil, fmt.Errorf("graph: paths from %q to %q: %w", q.From, q.To, err)
	}
	src, err := w.node(q.From)
	if err != nil {
		return nil, err
	}
	dst, err := w.node(q.To)
	if err != nil {
		return nil, err
	}
	if src == nil || dst == nil {
		return nil, fmt.Errorf("graph: paths from %q to %q: entity %w", q.From, q.To, ErrNotFound)
	}
	found, err := w.kShortest(ctx, src, dst, k, hops)
	if err != nil && (len(found) == 0 || !errors.Is(err, errBudget)) {
		if errors.Is(err, errBudget) {
			err = fmt.Errorf("%w: read the edges of %d nodes and %d quads without finding a path", ErrLimit, w.loaded, w.scanned)
		}
		return nil, fmt.Errorf("graph: paths from %q to %q: %w", q.From, q.To, err)
	}
	out := make([]Path, 0, len(found))
	f := evFilter{max: s.cfg.DefaultEvidence}
	for _, p := range found {
		path := Path{Hops: make([]Hop, 0, len(p.hops))}
		for i, h := range p.hops {
			from := w.iri[p.nodes[i]]
			ev, _, _, _, err := w.r.evidence(ctx, h.id(from), f, false)
			if err != nil {
				return nil, fmt.Errorf("graph: paths from %q to %q: %w", q.From, q.To, err)
			}
			path.Hops = append(path.Hops, Hop{
				From: s.names.brief(from), Predicate: h.pred, To: s.names.brief(h.toIRI),
				Forward: h.forward, Evidence: ev,
			})
		}
		out = append(out, path)
	}
	return out, nil
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
	w, err := s.newWalker(ctx, q.Predicates, s.cfg.MaxScan)
	if err != nil {
		return nil, fmt.Errorf("graph: neighbourhood of %q: %w", q.EntityID, err)
	}
	start, err := w.node(q.EntityID)
	if err != nil || start == nil {
		return nil, fmt.Errorf("graph: neighbourhood of %q: entity %w", q.EntityID, ErrNotFound)
	}
	g := &Subgraph{}
	included := map[any]bool{start: true}
	order := []any{start}
	edges := map[edgeTriple]bool{}
	frontier := []any{start}
	visit := func(u any, grow bool) error {
		es, err := w.edges(ctx, u)
		if err != nil {
			return err
		}
		for _, e := range es {
			if !included[e.to] {
				if !grow {
					continue
				}
				if len(order) >= maxNodes {
					g.Truncated = true
					continue // still record the edges to included nodes
				}
				included[e.to] = true
				order = append(order, e.to)
			}
			edges[e.id(w.iri[u])] = true
		}
		return nil
	}
	var next []any
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
		g.Nodes = append(g.Nodes, s.names.brief(w.iri[n]))
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
