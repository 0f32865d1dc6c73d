package graph

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// PutArticles stores articles, all in one Cayley transaction when it can. Each article
// is validated first; an invalid one gets a result with Err wrapping
// ErrInvalidArgument and is not stored. If the shared transaction fails, the articles
// are retried one by one, so a bad one does not sink the rest; an article whose own
// transaction failed gets a result with Err set. The returned error is non-nil only
// when nothing was stored (ctx done, store closed).
func (s *CayleyStore) PutArticles(ctx context.Context, articles []*Article) ([]PutResult, error) {
	results := make([]PutResult, len(articles))
	norms := make([]*normArticle, len(articles))
	var valid []int
	for i, a := range articles {
		if a != nil {
			results[i].ArticleID = a.ID
		}
		n, err := normalize(a)
		if err != nil {
			results[i].Err = fmt.Errorf("graph: put articles[%d]: %w", i, err)
			continue
		}
		norms[i] = n
		valid = append(valid, i)
	}
	if len(valid) == 0 {
		return results, nil
	}
	done, err := s.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	err = s.putBatch(ctx, norms, valid, results)
	if err == nil {
		return results, nil
	}
	if ctx.Err() != nil || errors.Is(err, errClosed) {
		return nil, err
	}
	if len(valid) == 1 {
		results[valid[0]].Err = err
		return results, nil
	}
	s.log.WarnContext(ctx, "graph: batch transaction failed, retrying its articles one by one",
		"articles", len(valid), "err", err)
	for _, i := range valid {
		if err := ctx.Err(); err != nil {
			results[i].Err = fmt.Errorf("graph: put article %q: %w", norms[i].ID, ctxErr(ctx))
			continue
		}
		if err := s.putBatch(ctx, norms, []int{i}, results); err != nil {
			results[i].Err = err
		}
	}
	return results, nil
}

// putBatch plans the articles norms[idx...] in one transaction, applies it and fills
// their results once it committed.
func (s *CayleyStore) putBatch(ctx context.Context, norms []*normArticle, idx []int, results []PutResult) error {
	n := 0
	for _, i := range idx {
		n += 16 + 4*len(norms[i].Entities) + 12*len(norms[i].Statements)
	}
	p := s.newPlan(ctx, n)
	res := make([]PutResult, len(idx))
	ids := make([]string, len(idx))
	for j, i := range idx {
		ids[j] = norms[i].ID
		r, err := p.put(norms[i])
		if err != nil {
			return fmt.Errorf("graph: put article %q: %w", norms[i].ID, err)
		}
		res[j] = r
	}
	if err := s.commit(ctx, p, "put articles "+quoteIDs(ids)); err != nil {
		return err
	}
	for j, i := range idx {
		results[i] = res[j]
	}
	return nil
}

func quoteIDs(ids []string) string {
	if len(ids) > 3 {
		return fmt.Sprintf("%q… (%d articles)", ids[:3], len(ids))
	}
	return fmt.Sprintf("%q", ids)
}

// DeleteArticle removes an article and every fact only it supported, in one
// transaction, and returns the number of quads removed; ErrNotFound when no article has
// this id.
func (s *CayleyStore) DeleteArticle(ctx context.Context, id string) (int, error) {
	if id == "" {
		return 0, fmt.Errorf("graph: delete article: id is empty: %w", ErrInvalidArgument)
	}
	done, err := s.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer done()
	p := s.newPlan(ctx, 256)
	n, err := p.delete(id)
	if err != nil {
		return 0, fmt.Errorf("graph: delete article %q: %w", id, err)
	}
	if err := s.commit(ctx, p, fmt.Sprintf("delete article %q", id)); err != nil {
		return 0, err
	}
	return n, nil
}

// commit applies a plan in one transaction (applyDeltas: the add path of kvwrite.go
// when it only adds quads to a bolt store, else Cayley's ApplyDeltas) and then updates
// the name index and the counters.
func (s *CayleyStore) commit(ctx context.Context, p *plan, op string) error {
	deltas := p.deltas()
	// What the plan looked at is not needed any more: let the collector have it while
	// the transaction builds up its own state.
	p.idx, p.entries, p.bySP, p.byOP, p.articles = nil, nil, nil, nil, nil
	if len(deltas) > 0 {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("graph: %s: %w", op, ctxErr(ctx))
		}
		if s.closed.Load() {
			return errClosed
		}
		if s.lockReads {
			s.rw.Lock()
		}
		if s.kv != nil {
			deltas = padDeficits(deltas)
		}
		err := s.applyDeltas(deltas)
		if s.lockReads {
			s.rw.Unlock()
		}
		if err != nil {
			return classifyWrite(op, err)
		}
	}
	p.apply(s.names)
	return nil
}

// classifyWrite turns a Cayley write error into ours. Cayley's DeltaError names the
// quad it refused; its text is kept, the type is not passed on.
func classifyWrite(op string, err error) error {
	var de *cgraph.DeltaError
	if errors.As(err, &de) {
		return fmt.Errorf("graph: %s: the store refused %s %s: %v", op, de.Delta.Action, de.Delta.Quad, de.Err)
	}
	return fmt.Errorf("graph: %s: %w", op, err)
}

// plan collects the changes of one transaction. It keeps, for every quad it looked at,
// whether the store holds it (base) and whether it will after the transaction (cur), so
// that several articles of one batch see each other's changes, a quad removed by one
// and added back by another is not written at all, and Added/Removed count real changes.
type plan struct {
	s       *CayleyStore
	ctx     context.Context
	idx     map[qkey]int32        // position in entries
	entries []planned             // in the order first seen: the order of the deltas
	bySP    map[[2]string][]int32 // entries by subject and predicate; built by hasAny
	byOP    map[[2]string][]int32 // entries by object and predicate; built by hasAny

	ents     map[string]*entInfo // entities as they will be; nil: deleted
	articles map[string]*owned   // articles planned so far; nil: deleted
	stats    Stats               // counter changes
	added    int
	removed  int
}

// planned is one quad of a plan.
type planned struct {
	k         qkey
	q         quad.Quad
	base, cur bool // in the store before and after the transaction
}

// owned is what an article owns: quads no other article shares.
type owned struct {
	hash  string
	quads []quad.Quad
}

// newPlan returns an empty plan sized for about n quads.
func (s *CayleyStore) newPlan(ctx context.Context, n int) *plan {
	return &plan{
		s: s, ctx: ctx,
		idx: make(map[qkey]int32, n), entries: make([]planned, 0, n),
		ents: map[string]*entInfo{}, articles: map[string]*owned{},
	}
}

// lookup returns the entry of k, or -1.
func (p *plan) lookup(k qkey) int {
	if i, ok := p.idx[k]; ok {
		return int(i)
	}
	return -1
}

func (p *plan) note(k qkey, q quad.Quad, present bool) int {
	i := len(p.entries)
	p.idx[k] = int32(i)
	p.entries = append(p.entries, planned{k: k, q: q, base: present, cur: present})
	if present && p.bySP != nil {
		p.index(i)
	}
	return i
}

// index adds entry i to bySP and byOP.
func (p *plan) index(i int) {
	k := p.entries[i].k
	sp, op := [2]string{k.s, k.p}, [2]string{k.o, k.p}
	p.bySP[sp] = append(p.bySP[sp], int32(i))
	p.byOP[op] = append(p.byOP[op], int32(i))
}

// present reports whether q will be in the store after the planned changes.
func (p *plan) present(q quad.Quad) (bool, error) {
	k := keyOf(q)
	if i := p.lookup(k); i >= 0 {
		return p.entries[i].cur, nil
	}
	has, err := p.s.hasQuad(p.ctx, q)
	if err != nil {
		return false, err
	}
	p.note(k, q, has)
	return has, nil
}

func (p *plan) set(i int, v bool) {
	e := &p.entries[i]
	e.cur = v
	if v {
		p.added++
		if p.bySP != nil {
			p.index(i)
		}
	} else {
		p.removed++
	}
}

// add plans to add q unless it is (or will be) there; it reports whether it will.
func (p *plan) add(q quad.Quad) (bool, error) {
	ok, err := p.present(q)
	if err != nil || ok {
		return false, err
	}
	p.set(p.lookup(keyOf(q)), true)
	return true, nil
}

// addNew is add for a quad known to be missing from the store unless the plan says
// otherwise: an article's own quads that its old version did not have, the type, name
// and registry link of an entity the name index does not know, an alias it does not
// list, the date of a new event. It reports whether the quad is added.
func (p *plan) addNew(q quad.Quad) bool {
	k := keyOf(q)
	i := p.lookup(k)
	if i < 0 {
		i = p.note(k, q, false)
	}
	if p.entries[i].cur {
		return false
	}
	p.set(i, true)
	return true
}

// remove plans to remove q if it is there.
func (p *plan) remove(q quad.Quad) error {
	ok, err := p.present(q)
	if err != nil || !ok {
		return err
	}
	p.set(p.lookup(keyOf(q)), false)
	return nil
}

// removeKnown is remove for a quad just read from the store.
func (p *plan) removeKnown(q quad.Quad) {
	k := keyOf(q)
	i := p.lookup(k)
	if i < 0 {
		i = p.note(k, q, true)
	}
	if p.entries[i].cur {
		p.set(i, false)
	}
}

// deltas returns the net changes of the plan.
func (p *plan) deltas() []cgraph.Delta {
	n := 0
	for i := range p.entries {
		if p.entries[i].cur != p.entries[i].base {
			n++
		}
	}
	ds := make([]cgraph.Delta, 0, n)
	for i := range p.entries {
		e := &p.entries[i]
		if e.cur == e.base {
			continue
		}
		a := cgraph.Delete
		if e.cur {
			a = cgraph.Add
		}
		ds = append(ds, cgraph.Delta{Quad: e.q, Action: a})
	}
	return ds
}

// hasAny reports whether, after the planned changes, some quad has node in direction
// dir and predicate pred. It stops at the first one: a busy node costs no more than an
// idle one. It resolves names while its iterator is open, which is safe only because
// it runs in the writer: on bolt a second read transaction can deadlock only with a
// commit that grows the file, and commits run in the writer too.
func (p *plan) hasAny(dir quad.Direction, node, pred quad.Value) (bool, error) {
	if p.bySP == nil {
		p.bySP, p.byOP = map[[2]string][]int32{}, map[[2]string][]int32{}
		for i := range p.entries {
			if p.entries[i].cur {
				p.index(i)
			}
		}
	}
	nk, pk := valKey(node), valKey(pred)
	idx := p.bySP
	if dir == quad.Object {
		idx = p.byOP
	}
	for _, i := range idx[[2]string{nk, pk}] {
		if p.entries[i].cur {
			return true, nil
		}
	}
	rs, err := p.s.refsOf(node, pred)
	if err != nil || rs == nil {
		return false, err
	}
	other := quad.Object
	if dir == quad.Object {
		other = quad.Subject
	}
	found := false
	var batch []cgraph.Ref
	check := func() error {
		vs, err := cgraph.ValuesOf(p.ctx, p.s.qs, batch)
		batch = batch[:0]
		if err != nil {
			return err
		}
		for _, v := range vs {
			q := quad.Quad{Subject: node, Predicate: pred, Object: v}
			if dir == quad.Object {
				q = quad.Quad{Subject: v, Predicate: pred, Object: node}
			}
			if i := p.lookup(keyOf(q)); i < 0 || p.entries[i].cur {
				found = true
				return nil
			}
		}
		return nil
	}
	err = p.s.scan(p.ctx, dir, rs[0], rs[1], func(q cgraph.Ref) (bool, error) {
		o, err := p.s.qs.QuadDirection(q, other)
		if err != nil {
			return false, err
		}
		batch = append(batch, o)
		if len(batch) < 32 {
			return true, nil
		}
		err = check()
		return !found && err == nil, err
	})
	if err == nil && !found && len(batch) > 0 {
		err = check()
	}
	return found, err
}

// entity returns the entity as it will be after the planned changes (a copy the plan
// may change), or nil.
func (p *plan) entity(iri string) *entInfo {
	if e, ok := p.ents[iri]; ok {
		return e
	}
	e := p.s.names.get(iri)
	p.ents[iri] = e
	return e
}

// readOwned returns what an article owns after the planned changes, or nil when it is
// not stored.
func (p *plan) readOwned(id string) (*owned, error) {
	if o, ok := p.articles[id]; ok {
		return o, nil
	}
	a := articleIRI(id)
	ls, err := p.s.links(p.ctx, quad.Subject, a, nil)
	if err != nil {
		return nil, err
	}
	o := &owned{}
	for _, l := range ls {
		o.quads = append(o.quads, quad.Quad{Subject: a, Predicate: l.Pred, Object: l.Other})
		switch l.Pred {
		case pHash:
			o.hash = asString(l.Other)
		case pStmt:
			sls, err := p.s.linksRef(p.ctx, quad.Subject, l.OtherRef, nil, nil)
			if err != nil {
				return nil, err
			}
			for _, sl := range sls {
				o.quads = append(o.quads, quad.Quad{Subject: l.Other, Predicate: sl.Pred, Object: sl.Other})
			}
		}
	}
	if len(o.quads) == 0 {
		return nil, nil
	}
	o.quads = append(o.quads, quad.Quad{Subject: regArticles, Predicate: pHas, Object: a})
	return o, nil
}

// buildOwned returns the quads an article owns: its node, its links to the entities and
// aliases it supports, its statements.
func buildOwned(n *normArticle) []quad.Quad {
	a := articleIRI(n.ID)
	qs := []quad.Quad{
		{Subject: regArticles, Predicate: pHas, Object: a},
		{Subject: a, Predicate: pID, Object: quad.String(n.ID)},
		{Subject: a, Predicate: pHash, Object: quad.String(n.Hash)},
	}
	lit := func(s, p quad.Value, v string) {
		if v != "" {
			qs = append(qs, quad.Quad{Subject: s, Predicate: p, Object: quad.String(v)})
		}
	}
	lit(a, pTitle, n.Title)
	lit(a, pURL, n.URL)
	lit(a, pSource, n.Source)
	if !n.Published.IsZero() {
		qs = append(qs, quad.Quad{Subject: a, Predicate: pPublished, Object: timeValue(n.Published)})
	}
	for _, e := range n.Entities {
		qs = append(qs, quad.Quad{Subject: a, Predicate: pMentions, Object: mentionIRI(e.IRI)})
		qs = append(qs, quad.Quad{Subject: a, Predicate: pAliased, Object: aliasIRI(e.IRI, e.Ref.Name)})
		for _, al := range e.Aliases {
			qs = append(qs, quad.Quad{Subject: a, Predicate: pAliased, Object: aliasIRI(e.IRI, al)})
		}
	}
	seen := map[quad.IRI]bool{}
	for i := range n.Statements {
		st := &n.Statements[i]
		id := stmtIRI(n.ID, st)
		if seen[id] {
			continue
		}
		seen[id] = true
		edge := edgeIRI(st.Subject.IRI(), st.Predicate, st.Object.IRI())
		qs = append(qs,
			quad.Quad{Subject: a, Predicate: pStmt, Object: id},
			quad.Quad{Subject: id, Predicate: pEvent, Object: eventIRI(edge, eventDay(st.EventDate))},
			quad.Quad{Subject: id, Predicate: pStart, Object: quad.Int(st.Start)},
			quad.Quad{Subject: id, Predicate: pEnd, Object: quad.Int(st.End)},
			quad.Quad{Subject: id, Predicate: pConfidence, Object: quad.Float(st.Confidence)},
			quad.Quad{Subject: id, Predicate: pModality, Object: quad.String(st.Modality)},
		)
		lit(id, pSentence, st.Sentence)
		lit(id, pRole, st.Role)
		if st.Speaker != nil {
			qs = append(qs, quad.Quad{Subject: id, Predicate: pSpeaker, Object: quad.String(st.Speaker.IRI())})
		}
	}
	qs = append(qs, quad.Quad{Subject: a, Predicate: pNumStmts, Object: quad.Int(len(seen))})
	return qs
}

// supports is what an article supports among the shared nodes.
type supports struct {
	ents    map[string]*normEntity // by entity IRI; nil value when read from the store
	aliases map[[2]string]bool     // entity IRI, alias
	events  map[quad.IRI]bool
	stmts   int
}

func supportsOf(qs []quad.Quad, n *normArticle) supports {
	sp := supports{ents: map[string]*normEntity{}, aliases: map[[2]string]bool{}, events: map[quad.IRI]bool{}}
	if n != nil {
		for i := range n.Entities {
			sp.ents[n.Entities[i].IRI] = &n.Entities[i]
		}
	}
	for _, q := range qs {
		o := asString(q.Object)
		switch q.Predicate {
		case pMentions:
			if _, ok := sp.ents[entityOfMention(o)]; !ok {
				sp.ents[entityOfMention(o)] = nil
			}
		case pAliased:
			if iri, al, ok := parseAliasIRI(o); ok {
				sp.aliases[[2]string{iri, al}] = true
			}
		case pEvent:
			sp.events[quad.IRI(o)] = true
		case pNumStmts:
			sp.stmts = asInt(q.Object)
		}
	}
	return sp
}

func entityOfMention(m string) string {
	return iriEntityPrefix + strings.TrimPrefix(m, iriMentionPrefix)
}

func parseAliasIRI(s string) (entity, alias string, ok bool) {
	rest, ok := strings.CutPrefix(s, iriAliasPrefix)
	if !ok {
		return "", "", false
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) != 3 {
		return "", "", false
	}
	al, err := url.PathUnescape(parts[2])
	if err != nil {
		return "", "", false
	}
	return iriEntityPrefix + parts[0] + "/" + parts[1], al, true
}

// put plans storing one article.
func (p *plan) put(n *normArticle) (PutResult, error) {
	res := PutResult{ArticleID: n.ID}
	old, err := p.readOwned(n.ID)
	if err != nil {
		return res, err
	}
	if old != nil && old.hash == n.Hash {
		res.Status = Unchanged
		return res, nil
	}
	added, removed := p.added, p.removed
	newQuads := buildOwned(n)
	var oldQuads []quad.Quad
	res.Status = Stored
	if old != nil {
		res.Status = Replaced
		oldQuads = old.quads
	}
	if err := p.replace(oldQuads, newQuads, n); err != nil {
		return res, err
	}
	p.articles[n.ID] = &owned{hash: n.Hash, quads: newQuads}
	res.Added, res.Removed = p.added-added, p.removed-removed
	return res, nil
}

// delete plans deleting an article; it returns the number of quads removed.
func (p *plan) delete(id string) (int, error) {
	old, err := p.readOwned(id)
	if err != nil {
		return 0, err
	}
	if old == nil {
		return 0, fmt.Errorf("no article with id %q: %w", id, ErrNotFound)
	}
	removed := p.removed
	if err := p.replace(old.quads, nil, nil); err != nil {
		return 0, err
	}
	p.articles[id] = nil
	return p.removed - removed, nil
}

// replace plans the change of an article's owned quads from oldQuads to newQuads (n
// describes the new version; nil deletes) and of the shared nodes they support.
func (p *plan) replace(oldQuads, newQuads []quad.Quad, n *normArticle) error {
	if len(oldQuads) == 0 {
		for _, q := range newQuads {
			p.addNew(q)
		}
	} else {
		newKeys := make(map[qkey]bool, len(newQuads))
		for _, q := range newQuads {
			newKeys[keyOf(q)] = true
		}
		oldKeys := make(map[qkey]bool, len(oldQuads))
		for _, q := range oldQuads {
			k := keyOf(q)
			oldKeys[k] = true
			if !newKeys[k] {
				p.removeKnown(q)
			}
		}
		for _, q := range newQuads {
			if !oldKeys[keyOf(q)] {
				p.addNew(q)
			}
		}
	}
	was, will := supportsOf(oldQuads, nil), supportsOf(newQuads, n)
	switch {
	case len(oldQuads) == 0 && len(newQuads) > 0:
		p.stats.Articles++
	case len(oldQuads) > 0 && len(newQuads) == 0:
		p.stats.Articles--
	}
	p.stats.Statements += int64(will.stmts - was.stmts)

	// Shared nodes the article no longer supports go when nothing else does.
	for _, ev := range sortedKeys(was.events) {
		if will.events[ev] {
			continue
		}
		if err := p.dropEvent(ev); err != nil {
			return err
		}
	}
	for _, k := range sortedAliasKeys(was.aliases) {
		if will.aliases[k] {
			continue
		}
		supported, err := p.hasAny(quad.Object, aliasIRI(k[0], k[1]), pAliased)
		if err != nil {
			return err
		}
		if e := p.entity(k[0]); !supported && e != nil {
			if i, ok := slices.BinarySearch(e.Aliases, k[1]); ok {
				if err := p.remove(quad.Quad{Subject: quad.IRI(e.IRI), Predicate: pAlias, Object: quad.String(k[1])}); err != nil {
					return err
				}
				e.Aliases = slices.Delete(e.Aliases, i, i+1)
			}
		}
	}
	for _, iri := range sortedKeys(was.ents) {
		if _, ok := will.ents[iri]; ok {
			continue
		}
		if err := p.dropMention(iri); err != nil {
			return err
		}
	}

	// Shared nodes the article supports now are created when missing.
	for _, iri := range sortedKeys(will.ents) {
		if _, ok := was.ents[iri]; ok {
			continue
		}
		if err := p.addMention(will.ents[iri]); err != nil {
			return err
		}
	}
	for _, k := range sortedAliasKeys(will.aliases) {
		if was.aliases[k] {
			continue
		}
		e := p.entity(k[0])
		if e == nil || k[1] == e.Name {
			continue
		}
		i, ok := slices.BinarySearch(e.Aliases, k[1])
		if ok {
			continue
		}
		// The name index lists every alias quad of the entity: this one is missing.
		p.addNew(quad.Quad{Subject: quad.IRI(e.IRI), Predicate: pAlias, Object: quad.String(k[1])})
		e.Aliases = slices.Insert(e.Aliases, i, k[1])
	}
	for _, ev := range sortedKeys(will.events) {
		if was.events[ev] {
			continue
		}
		if err := p.addEvent(ev); err != nil {
			return err
		}
	}
	return nil
}

func (p *plan) dropEvent(ev quad.IRI) error {
	supported, err := p.hasAny(quad.Object, ev, pEvent)
	if err != nil || supported {
		return err
	}
	edge, t, day, ok := parseEventIRI(string(ev))
	if !ok {
		return fmt.Errorf("malformed event IRI %q", ev)
	}
	if err := p.remove(quad.Quad{Subject: edge, Predicate: pOccurred, Object: ev}); err != nil {
		return err
	}
	if day != undatedEvent {
		d, err := time.Parse(eventDateLayout, day)
		if err != nil {
			return fmt.Errorf("malformed event IRI %q: %w", ev, err)
		}
		if err := p.remove(quad.Quad{Subject: ev, Predicate: pDate, Object: timeValue(d)}); err != nil {
			return err
		}
	}
	if supported, err = p.hasAny(quad.Subject, edge, pOccurred); err != nil || supported {
		return err
	}
	direct := quad.Quad{Subject: quad.IRI(t.Subject), Predicate: relPred(t.Predicate), Object: quad.IRI(t.Object)}
	if ok, err := p.present(direct); err != nil {
		return err
	} else if ok {
		p.set(p.lookup(keyOf(direct)), false)
		p.stats.Relations--
	}
	return p.remove(quad.Quad{Subject: regEdges, Predicate: pHas, Object: edge})
}

func (p *plan) addEvent(ev quad.IRI) error {
	edge, t, day, ok := parseEventIRI(string(ev))
	if !ok {
		return fmt.Errorf("malformed event IRI %q", ev)
	}
	added, err := p.add(quad.Quad{Subject: edge, Predicate: pOccurred, Object: ev})
	if err != nil || !added {
		return err
	}
	if day != undatedEvent {
		d, err := time.Parse(eventDateLayout, day)
		if err != nil {
			return fmt.Errorf("malformed event IRI %q: %w", ev, err)
		}
		p.addNew(quad.Quad{Subject: ev, Predicate: pDate, Object: timeValue(d)}) // a new event has no date yet
	}
	direct := quad.Quad{Subject: quad.IRI(t.Subject), Predicate: relPred(t.Predicate), Object: quad.IRI(t.Object)}
	if added, err := p.add(direct); err != nil {
		return err
	} else if added {
		p.stats.Relations++
	}
	_, err = p.add(quad.Quad{Subject: regEdges, Predicate: pHas, Object: edge})
	return err
}

func (p *plan) dropMention(iri string) error {
	e := p.entity(iri)
	if e == nil {
		return nil
	}
	e.Mentions--
	supported, err := p.hasAny(quad.Object, mentionIRI(iri), pMentions)
	if err != nil || supported {
		return err
	}
	node := quad.IRI(iri)
	qs := []quad.Quad{
		{Subject: regEntities, Predicate: pHas, Object: node},
		{Subject: node, Predicate: pType, Object: quad.String(e.Type)},
		{Subject: node, Predicate: pName, Object: quad.String(e.Name)},
	}
	for _, al := range e.Aliases {
		qs = append(qs, quad.Quad{Subject: node, Predicate: pAlias, Object: quad.String(al)})
	}
	for _, q := range qs {
		if err := p.remove(q); err != nil {
			return err
		}
	}
	p.ents[iri] = nil
	p.stats.Entities--
	return nil
}

func (p *plan) addMention(ne *normEntity) error {
	e := p.entity(ne.IRI)
	if e == nil {
		e = &entInfo{IRI: ne.IRI, Type: ne.Ref.Type, Name: ne.Ref.Name}
		p.ents[ne.IRI] = e
		p.stats.Entities++
		// The name index holds every stored entity: this one's quads are missing (or
		// removed earlier in this plan).
		node := quad.IRI(ne.IRI)
		p.addNew(quad.Quad{Subject: regEntities, Predicate: pHas, Object: node})
		p.addNew(quad.Quad{Subject: node, Predicate: pType, Object: quad.String(e.Type)})
		p.addNew(quad.Quad{Subject: node, Predicate: pName, Object: quad.String(e.Name)})
	}
	e.Mentions++
	return nil
}

// apply publishes a committed plan to the name index and the counters.
func (p *plan) apply(x *nameIndex) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for iri, e := range p.ents {
		if e == nil {
			x.drop(iri)
		} else {
			x.put(e)
		}
	}
	x.stats.Articles += p.stats.Articles
	x.stats.Entities += p.stats.Entities
	x.stats.Relations += p.stats.Relations
	x.stats.Statements += p.stats.Statements
	x.stats.Quads += int64(p.added - p.removed)
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sortedAliasKeys(m map[[2]string]bool) [][2]string {
	ks := make([][2]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
	return ks
}

// padDeficits works around a bug of Cayley's key-value backends: in a transaction that
// both adds and deletes, a node whose reference count goes down overall is left out
// of the added quads (kv's applyAddDeltas resolves only the nodes whose count goes up),
// so an added quad naming it loses that node. Repeating an added quad that names the
// node makes its count go up: the copies are dropped as duplicates. The price is that
// the node's reference count stays too high, so Cayley never collects the node (its
// quads are removed as usual).
func padDeficits(ds []cgraph.Delta) []cgraph.Delta {
	if !slices.ContainsFunc(ds, func(d cgraph.Delta) bool { return d.Action == cgraph.Delete }) {
		return ds // a bulk load of new articles: nothing to pad
	}
	net := map[string]int{}
	firstAdd := map[string]int{} // node → index of an Add that names it
	hasDelete := false
	for i, d := range ds {
		n := 1
		if d.Action == cgraph.Delete {
			n = -1
			hasDelete = true
		}
		for _, v := range []quad.Value{d.Quad.Subject, d.Quad.Predicate, d.Quad.Object} {
			k := valKey(v)
			net[k] += n
			if _, ok := firstAdd[k]; !ok && n > 0 {
				firstAdd[k] = i
			}
		}
	}
	if !hasDelete {
		return ds
	}
	keys := make([]string, 0, len(firstAdd))
	for k := range firstAdd {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if net[k] >= 0 {
			continue
		}
		d := ds[firstAdd[k]]
		for n := -net[k]; n > 0; n-- {
			ds = append(ds, d)
		}
		for _, v := range []quad.Value{d.Quad.Subject, d.Quad.Predicate, d.Quad.Object} {
			net[valKey(v)] += -net[k]
		}
		net[k] = 0
	}
	return ds
}
