package graph

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
)

// Entity returns an entity by IRI from the name index (kept in step with the store by
// the writer), or ErrNotFound.
func (s *CayleyStore) Entity(ctx context.Context, id string) (*Entity, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	if id == "" {
		return nil, fmt.Errorf("graph: entity: id is empty: %w", ErrInvalidArgument)
	}
	e := s.names.get(id)
	if e == nil {
		return nil, fmt.Errorf("graph: entity %q: %w", id, ErrNotFound)
	}
	return e.entity(), nil
}

// Article returns what is stored about an article, or ErrNotFound.
func (s *CayleyStore) Article(ctx context.Context, id string) (*ArticleInfo, error) {
	if id == "" {
		return nil, fmt.Errorf("graph: article: id is empty: %w", ErrInvalidArgument)
	}
	end, err := s.beginRead()
	if err != nil {
		return nil, err
	}
	defer end()
	a, err := s.articleInfo(ctx, articleIRI(id))
	if err != nil {
		return nil, fmt.Errorf("graph: article %q: %w", id, err)
	}
	if a == nil {
		return nil, fmt.Errorf("graph: article %q: %w", id, ErrNotFound)
	}
	return a, nil
}

// articleInfo reads an article node's attributes, or nil when there is none. Only
// the attribute quads' objects are resolved, not the article's links.
func (s *CayleyStore) articleInfo(ctx context.Context, a quad.Value) (*ArticleInfo, error) {
	nr, err := s.ref(a)
	if err != nil || nr == nil {
		return nil, err
	}
	var ls []link
	for _, p := range []quad.IRI{pID, pTitle, pURL, pSource, pPublished, pHash, pNumStmts} {
		pr, err := s.ref(p)
		if err != nil {
			return nil, err
		}
		if pr == nil {
			continue
		}
		// A prefix scan of [S,P] on key-value backends: the article's links are not read.
		err = s.scan(ctx, quad.Subject, nr, pr, func(q cgraph.Ref) (bool, error) {
			o, err := s.qs.QuadDirection(q, quad.Object)
			ls = append(ls, link{Pred: p, PredRef: pr, OtherRef: o})
			return false, err
		})
		if err != nil {
			return nil, err
		}
	}
	if err := s.resolveLinks(ctx, ls); err != nil {
		return nil, err
	}
	return articleFromLinks(ls), nil
}

func articleFromLinks(ls []link) *ArticleInfo {
	if len(ls) == 0 {
		return nil
	}
	a := &ArticleInfo{}
	for _, l := range ls {
		switch l.Pred {
		case pID:
			a.ID = asString(l.Other)
		case pTitle:
			a.Title = asString(l.Other)
		case pURL:
			a.URL = asString(l.Other)
		case pSource:
			a.Source = asString(l.Other)
		case pPublished:
			a.Published = asTime(l.Other)
		case pHash:
			a.Hash = asString(l.Other)
		case pNumStmts:
			a.Statements = asInt(l.Other)
		}
	}
	return a
}

// Stats returns the counters kept by the writer and the quad count Cayley keeps (on
// SQL backends, whose count is an estimate or a full count, the writer keeps it too).
func (s *CayleyStore) Stats(ctx context.Context) (Stats, error) {
	end, err := s.beginRead()
	if err != nil {
		return Stats{}, err
	}
	defer end()
	st := s.names.counters()
	if s.countQuads {
		return st, nil
	}
	cs, err := s.qs.Stats(ctx, false)
	if errors.Is(err, kv.ErrNoBucket) {
		// Cayley's key-value layer writes its quad counter with the first quad: a new
		// store has none and holds no quad.
		return st, nil
	}
	if err != nil {
		return Stats{}, fmt.Errorf("graph: stats: %w", err)
	}
	st.Quads = cs.Quads.Value
	return st, nil
}

// evFilter selects the statements behind a relation.
type evFilter struct {
	from, to   time.Time // event day range, inclusive; zero: open
	modalities map[Modality]bool
	max        int // evidence kept
	minSources int // events with fewer distinct sources are left out
}

func (f evFilter) dated() bool { return !f.from.IsZero() || !f.to.IsZero() }

// reader carries the caches of one read request.
type reader struct {
	s        *CayleyStore
	articles map[string]*ArticleInfo // by article IRI
	preds    map[any]string          // predicate ref → relation name ("" for schema predicates)
	// stmtsRead counts the statements read from the store (not the cache) by this
	// request: bounded by Config.MaxScan. edgeLoads counts the edges whose statements
	// were read.
	stmtsRead, edgeLoads int
	warm                 bool // the warm-up's: its look-ups are not counted in CacheStats
}

func (s *CayleyStore) newReader() *reader {
	return &reader{s: s, articles: map[string]*ArticleInfo{}, preds: map[any]string{}}
}

// relName returns the relation name of a predicate ref ("" when it is not a direct-edge
// predicate) and whether it is known yet; resolvePreds learns unknown ones. Callbacks of
// an open iterator must not read the store (on bolt a nested read transaction can
// deadlock with a commit that grows the file), hence the two steps.
func (r *reader) relName(p cgraph.Ref) (string, bool) {
	n, ok := r.preds[refKey(p)]
	return n, ok
}

// resolvePreds learns the names of predicate refs, in one batch.
func (r *reader) resolvePreds(ctx context.Context, ps []cgraph.Ref) error {
	var unknown []cgraph.Ref
	for _, p := range ps {
		if _, ok := r.preds[refKey(p)]; !ok {
			unknown = append(unknown, p)
			r.preds[refKey(p)] = "" // placeholder, so each is asked once
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	vs, err := cgraph.ValuesOf(ctx, r.s.qs, unknown)
	if err != nil {
		return err
	}
	for i, v := range vs {
		iri, ok := v.(quad.IRI)
		n, rel := strings.CutPrefix(string(iri), iriRelPredPrefix)
		if !ok || !rel {
			n = ""
		}
		r.preds[refKey(unknown[i])] = n
	}
	return nil
}

// evidence collects the statements behind the direct edge t that pass f, newest event
// first (then newest article), capped at f.max. With all set it reads every statement
// that passes, to count the distinct articles, sources and event days; without, it
// stops after the event that fills f.max (the counts are then those of what was read).
func (r *reader) evidence(ctx context.Context, t edgeTriple, f evFilter, all bool) (ev []Evidence, articles, sources, events int, err error) {
	ev, tl, err := r.evidenceByEvent(ctx, t, f, all)
	if err != nil {
		return nil, 0, 0, 0, err
	}
	articles, sources, events = tl.counts()
	return ev, articles, sources, events, nil
}

// evidenceByEvent is evidence with the tally of the events kept (an event is kept
// when its statements that pass f have at least f.minSources distinct sources). The
// statements come from the relation cache (see relCache); all is kept for callers
// that only need f.max items, which cost the same.
func (r *reader) evidenceByEvent(ctx context.Context, t edgeTriple, f evFilter, all bool) (ev []Evidence, tl *tally, err error) {
	facts, err := r.edgeFacts(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	if f.unfiltered() {
		// Precomputed: copy the capped heads, the cache's slices are shared.
		tl = &tally{minSources: f.minSources, arts: facts.tl.arts, srcs: facts.tl.srcs, kept: facts.tl.kept}
		tl.events = slices.Clone(facts.tl.events[:min(len(facts.tl.events), f.max)])
		return slices.Clone(facts.all[:min(len(facts.all), f.max)]), tl, nil
	}
	tl = newTally(f.minSources)
	var items []Evidence
	for _, e := range facts.events {
		if !f.passDate(e.date) {
			continue
		}
		items = items[:0]
		for i := range e.items {
			if len(f.modalities) == 0 || f.modalities[e.items[i].Modality] {
				items = append(items, e.items[i])
			}
		}
		if tl.addEvent(e.date, items) {
			ev = append(ev, items...)
		}
	}
	sortEvidence(ev)
	if len(ev) > f.max {
		ev = ev[:f.max]
	}
	if len(tl.events) > f.max {
		tl.events = tl.events[:f.max]
	}
	return ev, tl, nil
}

// statement reads one statement node and its article, whose IRI is part of the
// statement's; nil when the statement has no stored article.
func (r *reader) statement(ctx context.Context, st cgraph.Ref, iri string) (*Evidence, error) {
	s := r.s
	rest, ok := strings.CutPrefix(iri, iriStmtPrefix)
	i := strings.LastIndexByte(rest, '/')
	if !ok || i < 0 {
		return nil, nil
	}
	aIRI := iriArticlePrefix + rest[:i]
	a, ok := r.articles[aIRI]
	if !ok {
		var err error
		if a, err = s.articleInfo(ctx, quad.IRI(aIRI)); err != nil {
			return nil, err
		}
		r.articles[aIRI] = a
	}
	if a == nil {
		return nil, nil // an orphan statement: not evidence
	}
	attrs, err := s.linksRef(ctx, quad.Subject, st, nil, nil)
	if err != nil {
		return nil, err
	}
	ev := &Evidence{ArticleID: a.ID, ArticleTitle: a.Title, URL: a.URL, Source: a.Source, Published: a.Published}
	for _, l := range attrs {
		switch l.Pred {
		case pSentence:
			ev.Sentence = asString(l.Other)
		case pStart:
			ev.Start = asInt(l.Other)
		case pEnd:
			ev.End = asInt(l.Other)
		case pConfidence:
			ev.Confidence = asFloat(l.Other)
		case pModality:
			ev.Modality = Modality(asString(l.Other))
		case pSpeaker:
			ev.Speaker = s.names.brief(asString(l.Other)).Name
		case pRole:
			ev.Role = asString(l.Other)
		}
	}
	return ev, nil
}

// relCand is a direct edge of the queried entity, before its evidence is read.
type relCand struct {
	t   edgeTriple
	key string // sort key: predicate, other entity, direction
}

// pageToken is the decoded RelationQuery.PageToken.
type pageToken struct {
	After  string `json:"a"`
	Filter string `json:"f"`
}

// Relations returns one page of the relations of q.EntityID in a fixed order
// (predicate, other entity's IRI, outgoing before incoming). Reading a page costs one
// pass over the entity's direct edges plus the evidence of the relations on the page.
func (s *CayleyStore) Relations(ctx context.Context, q RelationQuery) (*RelationPage, error) {
	f, err := s.relFilter(q)
	if err != nil {
		return nil, err
	}
	var after, fh string
	if q.PageToken != "" {
		fh = q.filterHash()
		b, err := base64.RawURLEncoding.DecodeString(q.PageToken)
		var tok pageToken
		if err == nil {
			err = json.Unmarshal(b, &tok)
		}
		if err != nil || tok.Filter != fh {
			return nil, fmt.Errorf("graph: relations of %q: PageToken %q was not issued for this query: %w", q.EntityID, q.PageToken, ErrInvalidArgument)
		}
		after = tok.After
	}
	pageSize := clamp(q.PageSize, s.cfg.DefaultPageSize, s.cfg.MaxPageSize)
	if s.names.brief(q.EntityID).Type == "" {
		return nil, fmt.Errorf("graph: relations of %q: entity %w", q.EntityID, ErrNotFound)
	}
	if q.Other != "" && s.names.brief(q.Other).Type == "" {
		return nil, fmt.Errorf("graph: relations of %q: Other %q: entity %w", q.EntityID, q.Other, ErrNotFound)
	}
	end, err := s.beginRead()
	if err != nil {
		return nil, err
	}
	defer end()
	if ctx.Err() != nil {
		return nil, fmt.Errorf("graph: relations of %q: %w", q.EntityID, ctxErr(ctx))
	}
	r := s.newReader()
	page := &RelationPage{}
	// A page whose filters leave out most relations stops after examining a bounded
	// number of them, or reading the statements of a bounded number of uncached ones,
	// and hands back a token to go on from there.
	maxExamined, maxLoads := max(20*pageSize, 2000), max(4*pageSize, 256)
	examined := 0
	last := after
	cut := func() {
		if fh == "" {
			fh = q.filterHash()
		}
		b, _ := json.Marshal(pageToken{After: last, Filter: fh})
		page.NextPageToken = base64.RawURLEncoding.EncodeToString(b)
	}
	err = r.eachRelCandidate(ctx, q, after, func(c relCand) (bool, error) {
		if examined >= maxExamined || r.edgeLoads >= maxLoads {
			cut()
			return false, nil
		}
		examined++
		ev, tl, err := r.evidenceByEvent(ctx, c.t, f, true)
		if err != nil {
			return false, err
		}
		arts, srcs, evs := tl.counts()
		if len(ev) == 0 || srcs < q.MinSources {
			last = c.key
			return true, nil
		}
		if len(page.Relations) == pageSize {
			cut()
			return false, nil
		}
		page.Relations = append(page.Relations, Relation{
			Subject:   s.names.brief(c.t.Subject),
			Predicate: c.t.Predicate,
			Object:    s.names.brief(c.t.Object),
			Evidence:  ev, Articles: arts, Sources: srcs, Events: evs, ByEvent: tl.events,
		})
		last = c.key
		return true, nil
	})
	if err != nil {
		if ctx.Err() != nil {
			err = ctxErr(ctx)
		}
		return nil, fmt.Errorf("graph: relations of %q: %w", q.EntityID, err)
	}
	return page, nil
}

// relFilter validates q and returns its evidence filter.
func (s *CayleyStore) relFilter(q RelationQuery) (evFilter, error) {
	return s.eventFilter(filterFields{
		what: "relations", entityID: q.EntityID, direction: q.Direction,
		minSources: q.MinSources, maxEvidence: q.MaxEvidence, pageSize: q.PageSize,
		from: q.From, to: q.To, predicates: q.Predicates, modalities: q.Modalities,
		dateLayout: time.RFC3339,
	})
}

// filterFields are the filter fields that relation and timeline queries share.
type filterFields struct {
	what                              string // "relations" or "timeline", for messages
	entityID                          string
	direction                         Direction
	minSources, maxEvidence, pageSize int
	from, to                          time.Time
	predicates                        []string
	modalities                        []Modality
	dateLayout                        string // how dates are written in messages
}

// eventFilter validates the shared filter fields, naming the field and value of the
// first bad one, and builds the event filter they describe (dates as UTC days).
func (s *CayleyStore) eventFilter(q filterFields) (evFilter, error) {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("graph: %s of %q: %s is %v, want %s: %w", q.what, q.entityID, field, v, want, ErrInvalidArgument)
	}
	f := evFilter{max: clamp(q.maxEvidence, s.cfg.DefaultEvidence, s.cfg.MaxEvidence), minSources: q.minSources}
	switch {
	case q.entityID == "":
		return f, bad("EntityID", `""`, "an entity IRI")
	case q.direction != Both && q.direction != Outgoing && q.direction != Incoming:
		return f, bad("Direction", q.direction, "Both, Outgoing or Incoming")
	case q.minSources < 0:
		return f, bad("MinSources", q.minSources, ">= 0")
	case q.maxEvidence < 0:
		return f, bad("MaxEvidence", q.maxEvidence, ">= 0")
	case q.pageSize < 0:
		return f, bad("PageSize", q.pageSize, ">= 0")
	case !q.from.IsZero() && !q.to.IsZero() && q.to.Before(q.from):
		return f, bad("To", q.to.Format(q.dateLayout), "not before From "+q.from.Format(q.dateLayout))
	}
	for i, p := range q.predicates {
		if !validPredicate(p) {
			return f, bad(fmt.Sprintf("Predicates[%d]", i), fmt.Sprintf("%q", p), "a relation name")
		}
	}
	if len(q.modalities) > 0 {
		f.modalities = map[Modality]bool{}
		for i, m := range q.modalities {
			if !m.Valid() {
				return f, bad(fmt.Sprintf("Modalities[%d]", i), fmt.Sprintf("%q", m), fmt.Sprint(Modalities))
			}
			f.modalities[m] = true
		}
	}
	day := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	f.from, f.to = day(q.from), day(q.to)
	return f, nil
}

// filterHash ties a page token to the query it was issued for (page size excluded).
func (q RelationQuery) filterHash() string {
	c := q
	c.PageToken, c.PageSize = "", 0
	c.Predicates = slices.Sorted(slices.Values(q.Predicates))
	c.Modalities = slices.Sorted(slices.Values(q.Modalities))
	b, _ := json.Marshal(c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// relCandidates lists the direct edges of q.EntityID that match its structural filters
// (see eachRelCandidate), sorted by key.
func (r *reader) relCandidates(ctx context.Context, q RelationQuery) ([]relCand, error) {
	var out []relCand
	err := r.eachRelCandidate(ctx, q, "", func(c relCand) (bool, error) {
		out = append(out, c)
		return true, nil
	})
	return out, err
}

// eachRelCandidate hands fn, in key order from the first key after `after`, the direct
// edges of q.EntityID that match its structural filters (predicate, direction, other
// entity), from the entity's adjacency (see relCache); with Other, from the adjacency
// of the less mentioned of the two. It stops when fn returns false or an error.
func (r *reader) eachRelCandidate(ctx context.Context, q RelationQuery, after string, fn func(relCand) (bool, error)) error {
	s := r.s
	node, flip := q.EntityID, false
	if q.Other != "" {
		if o, e := s.names.get(q.Other), s.names.get(q.EntityID); o != nil && e != nil && o.Mentions < e.Mentions {
			node, flip = q.Other, true
		}
	}
	adj, err := s.adjacency(ctx, r, node)
	if err != nil {
		return err
	}
	var preds map[string]bool
	if len(q.Predicates) > 0 {
		preds = map[string]bool{}
		for _, p := range q.Predicates {
			preds[p] = true
		}
	}
	// cand turns an edge of node into a candidate seen from q.EntityID.
	cand := func(a adjRel) (relCand, bool) {
		if preds != nil && !preds[a.pred] {
			return relCand{}, false
		}
		other, outgoing := a.other, a.out
		if flip {
			if a.other != q.EntityID {
				return relCand{}, false
			}
			other, outgoing = node, !a.out
		} else if q.Other != "" && a.other != q.Other {
			return relCand{}, false
		}
		if q.Direction == Outgoing && !outgoing || q.Direction == Incoming && outgoing {
			return relCand{}, false
		}
		c := relCand{t: edgeTriple{Subject: q.EntityID, Predicate: a.pred, Object: other}}
		if !outgoing {
			c.t = edgeTriple{Subject: other, Predicate: a.pred, Object: q.EntityID}
		}
		c.key = adjRel{pred: a.pred, other: other, out: outgoing}.key()
		return c, true
	}
	if flip {
		// Few edges: the other entity is the less mentioned one.
		var cs []relCand
		for _, a := range adj.byKey {
			if c, ok := cand(a); ok && c.key > after {
				cs = append(cs, c)
			}
		}
		sort.Slice(cs, func(i, j int) bool { return cs[i].key < cs[j].key })
		for _, c := range cs {
			if more, err := fn(c); err != nil || !more {
				return err
			}
		}
		return nil
	}
	start := 0
	if after != "" {
		start = sort.Search(len(adj.byKey), func(i int) bool { return adj.byKey[i].key() > after })
	}
	for i := start; i < len(adj.byKey); i++ {
		c, ok := cand(adj.byKey[i])
		if !ok {
			continue
		}
		if i&255 == 255 {
			if err := ctx.Err(); err != nil {
				return ctxErr(ctx)
			}
		}
		if more, err := fn(c); err != nil || !more {
			return err
		}
	}
	return nil
}

// predRefs returns the refs of the direct-edge predicates named (those not in the store
// are left out).
func (r *reader) predRefs(names []string) ([]cgraph.Ref, error) {
	var out []cgraph.Ref
	for _, n := range slices.Compact(slices.Sorted(slices.Values(names))) {
		pr, err := r.s.ref(relPred(n))
		if err != nil {
			return nil, err
		}
		if pr != nil {
			out = append(out, pr)
			r.preds[refKey(pr)] = n
		}
	}
	return out, nil
}
