package graph

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// TimelineQuery asks for the events of one entity ordered by event day.
type TimelineQuery struct {
	EntityID    string
	From, To    time.Time  // event day range, inclusive; zero: open (a range leaves out undated events)
	Predicates  []string   // empty: all
	Direction   Direction  // Both, Outgoing, Incoming
	Modalities  []Modality // keep statements with these modalities; empty: all
	MinSources  int        // keep events reported by at least this many sources (SourceKey)
	MaxEvidence int        // evidence items per event; 0: store default; capped
	NewestFirst bool       // newest event first; default oldest first
	PageSize    int        // events per page; 0: store default; capped
	PageToken   string     // from TimelinePage.NextPageToken
}

// TimelineEvent is one event of a timeline: the statements that report subject
// --predicate--> object on one day.
type TimelineEvent struct {
	Date       time.Time // the event day; zero when undated
	Subject    EntityBrief
	Predicate  string
	Object     EntityBrief
	Articles   int        // distinct articles behind the matching statements
	Sources    int        // distinct sources (SourceKey) behind them
	Statements int        // matching statements
	Evidence   []Evidence // newest publication first, capped at MaxEvidence
}

// TimelinePage is one page of a timeline.
type TimelinePage struct {
	Events        []TimelineEvent
	NextPageToken string // empty on the last page
}

// timelineEntry is an event of the entity before its statements are read.
type timelineEntry struct {
	t    edgeTriple
	ev   cgraph.Ref // the event node
	date time.Time
	key  string // sort key: day (inverted when newest first), then edge key
}

// Timeline returns one page of the events of q.EntityID in event-day order (oldest
// first unless q.NewestFirst; undated events last; events of one day by edge key). It
// reads the entity's direct edges and their event links, then the statements of the
// events it returns (and of those the filters leave out on the way), never a scan of
// the store; ErrLimit when the entity has more than Config.MaxScan events.
func (s *CayleyStore) Timeline(ctx context.Context, q TimelineQuery) (*TimelinePage, error) {
	f, err := s.timelineFilter(q)
	if err != nil {
		return nil, err
	}
	fh := q.filterHash()
	var after string
	if q.PageToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(q.PageToken)
		var tok pageToken
		if err == nil {
			err = json.Unmarshal(b, &tok)
		}
		if err != nil || tok.Filter != fh {
			return nil, fmt.Errorf("graph: timeline of %q: PageToken %q was not issued for this query: %w", q.EntityID, q.PageToken, ErrInvalidArgument)
		}
		after = tok.After
	}
	pageSize := clamp(q.PageSize, s.cfg.DefaultPageSize, s.cfg.MaxPageSize)
	if s.names.get(q.EntityID) == nil {
		return nil, fmt.Errorf("graph: timeline of %q: entity %w", q.EntityID, ErrNotFound)
	}
	end, err := s.beginRead()
	if err != nil {
		return nil, err
	}
	defer end()
	r := s.newReader()
	entries, err := r.timelineEntries(ctx, q, f)
	if err != nil {
		return nil, fmt.Errorf("graph: timeline of %q: %w", q.EntityID, err)
	}
	start := sort.Search(len(entries), func(i int) bool { return entries[i].key > after })
	page := &TimelinePage{}
	pe, err := s.ref(pEvent)
	if err != nil || pe == nil {
		return page, err
	}
	for i := start; i < len(entries); i++ {
		e := entries[i]
		stmts, err := s.linksRef(ctx, quad.Object, e.ev, pe, pEvent)
		if err != nil {
			return nil, fmt.Errorf("graph: timeline of %q: %w", q.EntityID, err)
		}
		var items []Evidence
		for _, st := range stmts {
			item, err := r.statement(ctx, st.OtherRef, asString(st.Other))
			if err != nil {
				return nil, fmt.Errorf("graph: timeline of %q: %w", q.EntityID, err)
			}
			if item == nil || len(f.modalities) > 0 && !f.modalities[item.Modality] {
				continue
			}
			item.EventDate = e.date
			items = append(items, *item)
		}
		tl := newTally(f.minSources)
		if !tl.addEvent(e.date, items) {
			continue
		}
		if len(page.Events) == pageSize {
			b, _ := json.Marshal(pageToken{After: entries[i-1].key, Filter: fh})
			page.NextPageToken = base64.RawURLEncoding.EncodeToString(b)
			break
		}
		sortEventEvidence(items)
		sum := tl.events[0]
		if len(items) > f.max {
			items = items[:f.max]
		}
		page.Events = append(page.Events, TimelineEvent{
			Date: e.date, Subject: s.names.brief(e.t.Subject), Predicate: e.t.Predicate, Object: s.names.brief(e.t.Object),
			Articles: sum.Articles, Sources: sum.Sources, Statements: sum.Statements, Evidence: items,
		})
	}
	return page, nil
}

// timelineEntries lists the events of the direct edges of q.EntityID that pass the
// date range, sorted by key.
func (r *reader) timelineEntries(ctx context.Context, q TimelineQuery, f evFilter) ([]timelineEntry, error) {
	s := r.s
	edges, err := r.entityEdges(ctx, q.EntityID, q.Predicates, q.Direction)
	if err != nil {
		return nil, err
	}
	var out []timelineEntry
	for _, t := range edges {
		edge := edgeIRI(t.Subject, t.Predicate, t.Object)
		evs, err := s.links(ctx, quad.Subject, edge, pOccurred)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			_, _, day, ok := parseEventIRI(asString(e.Other))
			if !ok {
				continue
			}
			var date time.Time
			if day != undatedEvent {
				date, _ = time.Parse(eventDateLayout, day)
			}
			if f.dated() && (date.IsZero() || !f.from.IsZero() && date.Before(f.from) || !f.to.IsZero() && date.After(f.to)) {
				continue
			}
			dk := day
			if date.IsZero() {
				dk = "~" // after every date, either way
			} else if q.NewestFirst {
				dk = invertDigits(day)
			}
			out = append(out, timelineEntry{t: t, ev: e.OtherRef, date: date, key: dk + "\x00" + strings.TrimPrefix(string(edge), iriEdgePrefix)})
			if len(out) > s.cfg.MaxScan {
				return nil, fmt.Errorf("more than %d events: %w", s.cfg.MaxScan, ErrLimit)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, nil
}

// entityEdges lists the direct edges of an entity with the given predicates (empty:
// all) in direction dir, read from the entity node's quads (prefix scans per predicate
// on key-value backends), at most Config.MaxScan of them.
func (r *reader) entityEdges(ctx context.Context, id string, predicates []string, dir Direction) ([]edgeTriple, error) {
	s := r.s
	nr, err := s.ref(quad.IRI(id))
	if err != nil || nr == nil {
		return nil, err
	}
	var preds []cgraph.Ref
	for _, p := range slices.Compact(slices.Sorted(slices.Values(predicates))) {
		pr, err := s.ref(relPred(p))
		if err != nil {
			return nil, err
		}
		if pr != nil {
			preds = append(preds, pr)
		}
	}
	if len(predicates) > 0 && len(preds) == 0 {
		return nil, nil
	}
	type raw struct {
		pred, other cgraph.Ref
		out         bool
	}
	var raws []raw
	for _, d := range []quad.Direction{quad.Subject, quad.Object} {
		if d == quad.Subject && dir == Incoming || d == quad.Object && dir == Outgoing {
			continue
		}
		other := quad.Object
		if d == quad.Object {
			other = quad.Subject
		}
		visit := func(q cgraph.Ref) (bool, error) {
			p, err := s.qs.QuadDirection(q, quad.Predicate)
			if err != nil {
				return false, err
			}
			o, err := s.qs.QuadDirection(q, other)
			if err != nil {
				return false, err
			}
			raws = append(raws, raw{p, o, d == quad.Subject})
			if len(raws) > s.cfg.MaxScan {
				return false, fmt.Errorf("more than %d quads on the entity: %w", s.cfg.MaxScan, ErrLimit)
			}
			return true, nil
		}
		if len(preds) == 0 {
			if err := s.scan(ctx, d, nr, nil, visit); err != nil {
				return nil, err
			}
		}
		for _, pr := range preds {
			if err := s.scan(ctx, d, nr, pr, visit); err != nil {
				return nil, err
			}
		}
	}
	refs := make([]cgraph.Ref, 0, 2*len(raws))
	for _, rw := range raws {
		refs = append(refs, rw.pred, rw.other)
	}
	vs, err := cgraph.ValuesOf(ctx, s.qs, refs)
	if err != nil {
		return nil, err
	}
	var out []edgeTriple
	for i, rw := range raws {
		p, ok := strings.CutPrefix(asString(vs[2*i]), iriRelPredPrefix)
		if !ok {
			continue // a schema predicate: type, name, alias, registry
		}
		o := asString(vs[2*i+1])
		if rw.out {
			out = append(out, edgeTriple{id, p, o})
		} else {
			out = append(out, edgeTriple{o, p, id})
		}
	}
	slices.SortFunc(out, func(a, b edgeTriple) int {
		return strings.Compare(a.Subject+"\x00"+a.Predicate+"\x00"+a.Object, b.Subject+"\x00"+b.Predicate+"\x00"+b.Object)
	})
	return slices.Compact(out), nil // a self-loop is seen from both sides
}

// invertDigits maps each digit d of a day to 9-d, so that later days sort first.
func invertDigits(day string) string {
	b := []byte(day)
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = '9' - (c - '0')
		}
	}
	return string(b)
}

// sortEventEvidence orders the statements of one event: newest publication first, then by
// article id and offset.
func sortEventEvidence(ev []Evidence) {
	sort.Slice(ev, func(i, j int) bool {
		a, b := &ev[i], &ev[j]
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

// timelineFilter validates q and returns its statement filter.
func (s *CayleyStore) timelineFilter(q TimelineQuery) (evFilter, error) {
	return s.eventFilter(filterFields{
		what: "timeline", entityID: q.EntityID, direction: q.Direction,
		minSources: q.MinSources, maxEvidence: q.MaxEvidence, pageSize: q.PageSize,
		from: q.From, to: q.To, predicates: q.Predicates, modalities: q.Modalities,
		dateLayout: time.DateOnly,
	})
}

// filterHash ties a page token to the query it was issued for (page size excluded).
func (q TimelineQuery) filterHash() string {
	c := q
	c.PageToken, c.PageSize = "", 0
	c.Predicates = slices.Sorted(slices.Values(q.Predicates))
	c.Modalities = slices.Sorted(slices.Values(q.Modalities))
	b, _ := json.Marshal(struct {
		Kind string
		Q    TimelineQuery
	}{"timeline", c})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}
