package graph

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// ExportFormat is the file format of an export.
type ExportFormat int

// The export formats.
const (
	// NQuads is W3C N-Quads as Cayley reads it (`cayley load`, quad/nquads): the
	// entity-level quads (type, name, aliases, direct edges), or with ExportQuery.Full
	// the quads of the provenance too — for the whole graph every quad of the store.
	NQuads ExportFormat = iota + 1
	// GraphML is an entity-level graph: nodes are entities (id, name, type, mentions),
	// edges are relations (predicate, articles, sources, events).
	GraphML
	// DOT is the same graph for Graphviz: nodes labelled with names, shaped and
	// coloured by type; edges labelled with predicate and article count.
	DOT
)

// String returns "nquads", "graphml" or "dot".
func (f ExportFormat) String() string {
	switch f {
	case NQuads:
		return "nquads"
	case GraphML:
		return "graphml"
	case DOT:
		return "dot"
	}
	return "ExportFormat(" + strconv.Itoa(int(f)) + ")"
}

// ExportQuery asks for an export of the whole graph (EntityID empty) or of the
// neighbourhood of one entity.
type ExportQuery struct {
	Format     ExportFormat
	EntityID   string   // centre of the subgraph; empty: the whole graph
	Depth      int      // subgraph depth; 0: 1; capped like Neighbourhood
	MaxNodes   int      // subgraph node cap; 0: store default; capped
	Predicates []string // subgraph: the relations followed; empty: all
	Full       bool     // NQuads only: the provenance quads too (events, statements, articles)
}

// exportBatch is how many nodes an export reads per read section. Between sections
// it writes what it read, without holding any lock of the store.
const exportBatch = 256

// Export writes the graph or a subgraph to w in q.Format. The whole graph is streamed
// in batches: it is read node by node from the registry nodes (no snapshot: articles
// written meanwhile may or may not appear, each node is consistent), holding the
// store's read side for one batch at a time and never the writer, and written to w
// between batches, so a slow w never blocks writes. A subgraph is the Neighbourhood of
// q.EntityID with its limits (the answer is cut, not refused, when it is larger). The
// GraphML and DOT writers of quad/ are not used: they draw every literal as a node and
// every quad as an edge, where an entity-level picture needs labels and counts.
func (s *CayleyStore) Export(ctx context.Context, q ExportQuery, w io.Writer) error {
	if q.Format != NQuads && q.Format != GraphML && q.Format != DOT {
		return fmt.Errorf("graph: export: Format is %d, want NQuads, GraphML or DOT: %w", q.Format, ErrInvalidArgument)
	}
	if q.Full && q.Format != NQuads {
		return fmt.Errorf("graph: export: Full is only for NQuads, not %s: %w", q.Format, ErrInvalidArgument)
	}
	if s.closed.Load() {
		return errClosed
	}
	var (
		nodes []EntityBrief
		edges []Edge
	)
	if q.EntityID != "" {
		g, err := s.Neighbourhood(ctx, NeighbourhoodQuery{EntityID: q.EntityID, Depth: q.Depth, MaxNodes: q.MaxNodes, Predicates: q.Predicates})
		if err != nil {
			return fmt.Errorf("graph: export: %w", err)
		}
		nodes, edges = g.Nodes, g.Edges
	} else {
		if q.Depth != 0 || q.MaxNodes != 0 || len(q.Predicates) > 0 {
			return fmt.Errorf("graph: export: Depth, MaxNodes and Predicates need an EntityID: %w", ErrInvalidArgument)
		}
		nodes = s.names.briefs()
	}
	x := &exporter{s: s, r: s.newReader(), q: q, w: w}
	if err := x.run(ctx, nodes, edges, q.EntityID == ""); err != nil {
		return fmt.Errorf("graph: export: %w", err)
	}
	return nil
}

// briefs returns every entity, sorted by IRI.
func (x *nameIndex) briefs() []EntityBrief {
	x.mu.RLock()
	out := make([]EntityBrief, 0, len(x.ents))
	for _, e := range x.ents {
		out = append(out, e.brief())
	}
	x.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// exporter writes one export.
type exporter struct {
	s   *CayleyStore
	r   *reader
	q   ExportQuery
	w   io.Writer
	buf bytes.Buffer
}

// quad appends q to the buffer as one N-Quads line, as quad/nquads' writer writes it
// (each value's String form: <iri>, "escaped string", "literal"^^<type>); that writer
// buffers internally, which would split lines between sections.
func (x *exporter) quad(q quad.Quad) error {
	if !q.IsValid() {
		return fmt.Errorf("invalid quad %v: %w", q, quad.ErrInvalid)
	}
	x.buf.WriteString(q.Subject.String())
	x.buf.WriteByte(' ')
	x.buf.WriteString(q.Predicate.String())
	x.buf.WriteByte(' ')
	x.buf.WriteString(q.Object.String())
	x.buf.WriteString(" .\n")
	return nil
}

// section runs fn with the store's read side held, then writes what fn buffered.
func (x *exporter) section(fn func() error) error {
	end, err := x.s.beginRead()
	if err != nil {
		return err
	}
	err = fn()
	end()
	if err != nil {
		return err
	}
	if x.buf.Len() > 0 {
		if _, err := x.w.Write(x.buf.Bytes()); err != nil {
			return err
		}
		x.buf.Reset()
	}
	return nil
}

// batches calls fn with the items of all, exportBatch at a time, each in a section.
func batches[T any](ctx context.Context, x *exporter, all []T, fn func([]T) error) error {
	for i := 0; i < len(all); i += exportBatch {
		if err := ctx.Err(); err != nil {
			return ctxErr(ctx)
		}
		part := all[i:min(i+exportBatch, len(all))]
		if err := x.section(func() error { return fn(part) }); err != nil {
			return err
		}
	}
	return nil
}

func (x *exporter) run(ctx context.Context, nodes []EntityBrief, edges []Edge, whole bool) error {
	if x.q.Format == NQuads {
		if whole {
			return x.wholeQuads(ctx, nodes)
		}
		return x.subgraphQuads(ctx, nodes, edges)
	}
	x.header()
	if err := batches(ctx, x, nodes, func(ns []EntityBrief) error {
		for _, n := range ns {
			x.node(n)
		}
		return nil
	}); err != nil {
		return err
	}
	if whole {
		var err error
		if err = x.section(func() error { edges, err = x.s.edgeList(ctx); return err }); err != nil {
			return err
		}
	}
	if err := batches(ctx, x, edges, func(es []Edge) error {
		for _, e := range es {
			c, err := x.r.edgeCounts(ctx, edgeTriple{e.Subject, e.Predicate, e.Object})
			if err != nil {
				return err
			}
			x.edge(e, c)
		}
		return nil
	}); err != nil {
		return err
	}
	x.footer()
	_, err := x.w.Write(x.buf.Bytes())
	return err
}

// edgeList lists every direct edge from the edge registry, sorted.
func (s *CayleyStore) edgeList(ctx context.Context) ([]Edge, error) {
	ls, err := s.links(ctx, quad.Subject, regEdges, pHas)
	if err != nil {
		return nil, err
	}
	out := make([]Edge, 0, len(ls))
	for _, l := range ls {
		if t, ok := parseEdgeKey(strings.TrimPrefix(asString(l.Other), iriEdgePrefix)); ok {
			out = append(out, Edge{Subject: t.Subject, Predicate: t.Predicate, Object: t.Object})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Subject != b.Subject {
			return a.Subject < b.Subject
		}
		if a.Predicate != b.Predicate {
			return a.Predicate < b.Predicate
		}
		return a.Object < b.Object
	})
	return out, nil
}

// relCounts are the counts of one direct edge over all its statements.
type relCounts struct{ articles, sources, events int }

// edgeCounts counts the articles, sources and events behind a direct edge from its
// event and statement links (statement IRIs name their article; the source is read
// once per article).
func (r *reader) edgeCounts(ctx context.Context, t edgeTriple) (relCounts, error) {
	s := r.s
	evs, err := s.links(ctx, quad.Subject, edgeIRI(t.Subject, t.Predicate, t.Object), pOccurred)
	if err != nil {
		return relCounts{}, err
	}
	pe, err := s.ref(pEvent)
	if err != nil || pe == nil {
		return relCounts{}, err
	}
	arts := map[string]bool{}
	srcs := map[string]bool{}
	c := relCounts{}
	for _, e := range evs {
		stmts, err := s.linksRef(ctx, quad.Object, e.OtherRef, pe, pEvent)
		if err != nil {
			return relCounts{}, err
		}
		n := 0
		for _, st := range stmts {
			rest, ok := strings.CutPrefix(asString(st.Other), iriStmtPrefix)
			i := strings.LastIndexByte(rest, '/')
			if !ok || i < 0 {
				continue
			}
			aIRI := iriArticlePrefix + rest[:i]
			a, ok := r.articles[aIRI]
			if !ok {
				if a, err = s.articleInfo(ctx, quad.IRI(aIRI)); err != nil {
					return relCounts{}, err
				}
				r.articles[aIRI] = a
			}
			if a == nil {
				continue
			}
			n++
			arts[aIRI] = true
			srcs[SourceKey(a.Source, a.URL)] = true
		}
		if n > 0 {
			c.events++
		}
	}
	c.articles, c.sources = len(arts), len(srcs)
	return c, nil
}

// nodeQuads appends the out-quads of node (only those with predicate pred when it is
// not nil) to the N-Quads buffer.
func (x *exporter) nodeQuads(ctx context.Context, node quad.Value, pred quad.Value) error {
	ls, err := x.s.links(ctx, quad.Subject, node, pred)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if err := x.quad(quad.Quad{Subject: node, Predicate: l.Pred, Object: l.Other}); err != nil {
			return err
		}
	}
	return nil
}

// wholeQuads writes the whole graph as N-Quads: every entity's quads, and with Full
// every quad of the store, walked subject by subject from the registry nodes.
func (x *exporter) wholeQuads(ctx context.Context, nodes []EntityBrief) error {
	ents := make([]quad.Value, len(nodes))
	for i, n := range nodes {
		ents[i] = quad.IRI(n.ID)
	}
	each := func(vs []quad.Value) error {
		for _, v := range vs {
			if err := x.nodeQuads(ctx, v, nil); err != nil {
				return err
			}
		}
		return nil
	}
	if err := batches(ctx, x, ents, each); err != nil {
		return err
	}
	if !x.q.Full {
		return nil
	}
	regs := []quad.Value{regEntities, regArticles, regEdges}
	if err := x.section(func() error { return each(regs) }); err != nil {
		return err
	}
	// Articles and, through their ng:stmt links, their statements.
	var arts, edges []quad.Value
	err := x.section(func() error {
		for _, reg := range []struct {
			node quad.Value
			dst  *[]quad.Value
		}{{regArticles, &arts}, {regEdges, &edges}} {
			ls, err := x.s.links(ctx, quad.Subject, reg.node, pHas)
			if err != nil {
				return err
			}
			for _, l := range ls {
				*reg.dst = append(*reg.dst, l.Other)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := batches(ctx, x, arts, func(as []quad.Value) error {
		for _, a := range as {
			ls, err := x.s.links(ctx, quad.Subject, a, nil)
			if err != nil {
				return err
			}
			for _, l := range ls {
				if err := x.quad(quad.Quad{Subject: a, Predicate: l.Pred, Object: l.Other}); err != nil {
					return err
				}
			}
			for _, l := range ls {
				if l.Pred == pStmt {
					if err := x.nodeQuads(ctx, l.Other, nil); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	// Edge keys and, through their ng:occurred links, their events.
	return batches(ctx, x, edges, func(ks []quad.Value) error {
		for _, k := range ks {
			if err := x.edgeKeyQuads(ctx, k); err != nil {
				return err
			}
		}
		return nil
	})
}

// edgeKeyQuads writes the quads of an edge key and of its events.
func (x *exporter) edgeKeyQuads(ctx context.Context, k quad.Value) error {
	ls, err := x.s.links(ctx, quad.Subject, k, nil)
	if err != nil {
		return err
	}
	for _, l := range ls {
		if err := x.quad(quad.Quad{Subject: k, Predicate: l.Pred, Object: l.Other}); err != nil {
			return err
		}
	}
	for _, l := range ls {
		if l.Pred == pOccurred {
			if err := x.nodeQuads(ctx, l.Other, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// subgraphQuads writes a subgraph as N-Quads: its entities' type, name and aliases
// and the direct edges between them; with Full also each edge's registry link, edge
// key, events, statements with their article links, and those articles' attributes.
func (x *exporter) subgraphQuads(ctx context.Context, nodes []EntityBrief, edges []Edge) error {
	if err := batches(ctx, x, nodes, func(ns []EntityBrief) error {
		for _, n := range ns {
			for _, p := range []quad.IRI{pType, pName, pAlias} {
				if err := x.nodeQuads(ctx, quad.IRI(n.ID), p); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	seenArt := map[string]bool{}
	return batches(ctx, x, edges, func(es []Edge) error {
		for _, e := range es {
			if err := x.quad(quad.Quad{Subject: quad.IRI(e.Subject), Predicate: relPred(e.Predicate), Object: quad.IRI(e.Object)}); err != nil {
				return err
			}
			if !x.q.Full {
				continue
			}
			k := edgeIRI(e.Subject, e.Predicate, e.Object)
			if err := x.quad(quad.Quad{Subject: regEdges, Predicate: pHas, Object: k}); err != nil {
				return err
			}
			if err := x.edgeKeyQuads(ctx, k); err != nil {
				return err
			}
			evs, err := x.s.links(ctx, quad.Subject, k, pOccurred)
			if err != nil {
				return err
			}
			for _, ev := range evs {
				stmts, err := x.s.links(ctx, quad.Object, ev.Other, pEvent)
				if err != nil {
					return err
				}
				for _, st := range stmts {
					if err := x.nodeQuads(ctx, st.Other, nil); err != nil {
						return err
					}
					rest, _ := strings.CutPrefix(asString(st.Other), iriStmtPrefix)
					i := strings.LastIndexByte(rest, '/')
					if i < 0 {
						continue
					}
					a := quad.IRI(iriArticlePrefix + rest[:i])
					if err := x.quad(quad.Quad{Subject: a, Predicate: pStmt, Object: st.Other}); err != nil {
						return err
					}
					if seenArt[string(a)] {
						continue
					}
					seenArt[string(a)] = true
					for _, p := range []quad.IRI{pID, pTitle, pURL, pSource, pPublished, pHash, pNumStmts} {
						if err := x.nodeQuads(ctx, a, p); err != nil {
							return err
						}
					}
				}
			}
		}
		return nil
	})
}

// Entity-level formats.

// typeStyle is how DOT draws an entity type: shape and fill colour.
var typeStyle = map[EntityType][2]string{
	Person:       {"ellipse", "#cfe2ff"},
	State:        {"box", "#ffe8a3"},
	City:         {"house", "#d1f0d1"},
	Facility:     {"component", "#f8d7da"},
	Organisation: {"hexagon", "#e2d9f3"},
	Other:        {"plain", "#eeeeee"},
}

func (x *exporter) header() {
	b := &x.buf
	switch x.q.Format {
	case DOT:
		b.WriteString("digraph newsgraph {\n")
		b.WriteString("  graph [rankdir=LR, overlap=false, splines=true, fontname=\"Helvetica\", fontsize=11];\n")
		b.WriteString("  node [style=\"filled\", fontname=\"Helvetica\", fontsize=11, color=\"#555555\"];\n")
		b.WriteString("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\", fontcolor=\"#333333\"];\n")
	case GraphML:
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
  <key id="name" for="node" attr.name="name" attr.type="string"/>
  <key id="type" for="node" attr.name="type" attr.type="string"/>
  <key id="mentions" for="node" attr.name="mentions" attr.type="int"/>
  <key id="predicate" for="edge" attr.name="predicate" attr.type="string"/>
  <key id="articles" for="edge" attr.name="articles" attr.type="int"/>
  <key id="sources" for="edge" attr.name="sources" attr.type="int"/>
  <key id="events" for="edge" attr.name="events" attr.type="int"/>
  <graph id="newsgraph" edgedefault="directed">
`)
	}
}

func (x *exporter) footer() {
	switch x.q.Format {
	case DOT:
		x.buf.WriteString("}\n")
	case GraphML:
		x.buf.WriteString("  </graph>\n</graphml>\n")
	}
}

// dotID quotes s as a DOT identifier.
func dotID(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func (x *exporter) node(n EntityBrief) {
	name := n.Name
	if name == "" {
		name = n.ID
	}
	mentions := 0
	if e := x.s.names.get(n.ID); e != nil {
		mentions = e.Mentions
	}
	switch x.q.Format {
	case DOT:
		st, ok := typeStyle[n.Type]
		if !ok {
			st = typeStyle[Other]
		}
		centre := ""
		if n.ID == x.q.EntityID {
			centre = ", penwidth=2.5" // the subgraph's centre
		}
		fmt.Fprintf(&x.buf, "  %s [label=%s, shape=%s, fillcolor=%s%s, tooltip=%s];\n",
			dotID(n.ID), dotID(name), st[0], dotID(st[1]), centre, dotID(fmt.Sprintf("%s, %s, %d mentions", n.ID, n.Type, mentions)))
	case GraphML:
		fmt.Fprintf(&x.buf, "    <node id=\"%s\"><data key=\"name\">%s</data><data key=\"type\">%s</data><data key=\"mentions\">%d</data></node>\n",
			xmlText(n.ID), xmlText(name), xmlText(string(n.Type)), mentions)
	}
}

func (x *exporter) edge(e Edge, c relCounts) {
	switch x.q.Format {
	case DOT:
		label := e.Predicate
		if c.articles > 1 {
			label += " ×" + strconv.Itoa(c.articles)
		}
		width := 1 + math.Log2(float64(max(c.articles, 1)))
		fmt.Fprintf(&x.buf, "  %s -> %s [label=%s, penwidth=%.1f, tooltip=%s];\n",
			dotID(e.Subject), dotID(e.Object), dotID(label), width,
			dotID(fmt.Sprintf("%s: %d articles, %d sources, %d events", e.Predicate, c.articles, c.sources, c.events)))
	case GraphML:
		fmt.Fprintf(&x.buf, "    <edge source=\"%s\" target=\"%s\"><data key=\"predicate\">%s</data><data key=\"articles\">%d</data><data key=\"sources\">%d</data><data key=\"events\">%d</data></edge>\n",
			xmlText(e.Subject), xmlText(e.Object), xmlText(e.Predicate), c.articles, c.sources, c.events)
	}
}

// QuadKey formats a quad as DumpQuads lists it: "subject predicate object", each value
// tagged with its kind (times in UTC), so that quads read back from an export can be
// compared with the store's.
func QuadKey(q quad.Quad) string {
	return valKey(q.Subject) + " " + valKey(q.Predicate) + " " + valKey(q.Object)
}
