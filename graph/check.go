package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// allQuads reads every quad of the store: a full scan, for checks and tests only.
func (s *CayleyStore) allQuads(ctx context.Context) ([]quad.Quad, error) {
	it := s.qs.QuadsAllIterator().Iterate()
	defer it.Close()
	var out []quad.Quad
	var refs []cgraph.Ref
	for it.Next(ctx) {
		r := it.Result()
		for _, d := range []quad.Direction{quad.Subject, quad.Predicate, quad.Object} {
			v, err := s.qs.QuadDirection(r, d)
			if err != nil {
				return nil, err
			}
			refs = append(refs, v)
		}
	}
	if err := it.Err(); err != nil {
		return nil, err
	}
	vs, err := cgraph.ValuesOf(ctx, s.qs, refs)
	if err != nil {
		return nil, err
	}
	for i := 0; i+2 < len(vs); i += 3 {
		out = append(out, quad.Quad{Subject: vs[i], Predicate: vs[i+1], Object: vs[i+2]})
	}
	return out, nil
}

// DumpQuads lists every quad of the store as "subject predicate object" in sorted order
// (times in UTC), so that two stores can be compared. It scans the whole store: for
// tests and debugging.
func (s *CayleyStore) DumpQuads(ctx context.Context) ([]string, error) {
	end, err := s.beginRead()
	if err != nil {
		return nil, err
	}
	defer end()
	qs, err := s.allQuads(ctx)
	if err != nil {
		return nil, fmt.Errorf("graph: dump quads: %w", err)
	}
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = valKey(q.Subject) + " " + valKey(q.Predicate) + " " + valKey(q.Object)
	}
	slices.Sort(out)
	return out, nil
}

// CheckInvariants verifies the schema's invariants: every direct edge is backed by an
// event with a statement of a stored article, every statement belongs to exactly one
// article and one event, every entity has a type, a name and a supporting article,
// every alias is supported, and the name index and counters match the quads. It scans
// the whole store: for tests and repair tools. It returns every violation found, joined.
func (s *CayleyStore) CheckInvariants(ctx context.Context) error {
	done, err := s.beginWrite(ctx) // no commit may run meanwhile
	if err != nil {
		return err
	}
	defer done()
	end, err := s.beginRead()
	if err != nil {
		return err
	}
	defer end()
	qs, err := s.allQuads(ctx)
	if err != nil {
		return fmt.Errorf("graph: check invariants: %w", err)
	}
	type sp struct{ s, p string }
	out := map[sp][]string{}
	in := map[sp][]string{}
	var direct []quad.Quad
	for _, q := range qs {
		sv, pv, ov := plain(q.Subject), plain(q.Predicate), plain(q.Object)
		out[sp{sv, pv}] = append(out[sp{sv, pv}], ov)
		in[sp{ov, pv}] = append(in[sp{ov, pv}], sv)
		if strings.HasPrefix(pv, iriRelPredPrefix) {
			direct = append(direct, q)
		}
	}
	var errs []error
	bad := func(format string, args ...any) {
		if len(errs) < 50 {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	stmtOK := func(st string) bool {
		arts := in[sp{st, string(pStmt)}]
		return len(arts) == 1 && len(out[sp{arts[0], string(pHash)}]) == 1
	}
	for _, q := range direct {
		t := edgeTriple{asString(q.Subject), strings.TrimPrefix(asString(q.Predicate), iriRelPredPrefix), asString(q.Object)}
		edge := string(edgeIRI(t.Subject, t.Predicate, t.Object))
		backed := false
		for _, ev := range out[sp{edge, string(pOccurred)}] {
			for _, st := range in[sp{ev, string(pEvent)}] {
				if stmtOK(st) {
					backed = true
				}
			}
		}
		if !backed {
			bad("direct edge %s %s %s has no supporting statement", t.Subject, t.Predicate, t.Object)
		}
		if len(in[sp{edge, string(pHas)}]) != 1 {
			bad("direct edge %s is not registered", edge)
		}
		for _, e := range []string{t.Subject, t.Object} {
			if len(in[sp{e, string(pHas)}]) != 1 {
				bad("entity %s of direct edge %s is not registered", e, edge)
			}
		}
	}
	for _, q := range qs {
		sv, pv, ov := plain(q.Subject), plain(q.Predicate), plain(q.Object)
		switch {
		case pv == string(pEvent) && strings.HasPrefix(sv, iriStmtPrefix):
			if !stmtOK(sv) {
				bad("statement %s does not belong to exactly one stored article", sv)
			}
			edge, t, _, ok := parseEventIRI(ov)
			if !ok || !slices.Contains(out[sp{string(edge), string(pOccurred)}], ov) {
				bad("event %s of statement %s is not linked from its edge", ov, sv)
			} else if !slices.Contains(out[sp{t.Subject, string(relPred(t.Predicate))}], t.Object) {
				bad("statement %s has no direct edge %s", sv, edge)
			}
		case pv == string(pStmt):
			if len(out[sp{ov, string(pEvent)}]) != 1 {
				bad("statement %s has %d events, want 1", ov, len(out[sp{ov, string(pEvent)}]))
			}
		case pv == string(pOccurred):
			if len(in[sp{ov, string(pEvent)}]) == 0 {
				bad("event %s has no statement", ov)
			}
		case sv == string(regEntities):
			if len(out[sp{ov, string(pType)}]) != 1 || len(out[sp{ov, string(pName)}]) != 1 {
				bad("entity %s has %d types and %d names, want 1 each", ov, len(out[sp{ov, string(pType)}]), len(out[sp{ov, string(pName)}]))
			}
			if len(in[sp{string(mentionIRI(ov)), string(pMentions)}]) == 0 {
				bad("entity %s is mentioned by no article", ov)
			}
		case pv == string(pMentions):
			if len(in[sp{entityOfMention(ov), string(pHas)}]) != 1 {
				bad("article %s mentions %s, which is not registered", sv, ov)
			}
		case pv == string(pAlias):
			if len(in[sp{string(aliasIRI(sv, ov)), string(pAliased)}]) == 0 {
				bad("alias %q of %s is supported by no article", ov, sv)
			}
		}
	}
	// The name index and the counters match the quads.
	x := s.names
	x.mu.RLock()
	regs := out[sp{string(regEntities), string(pHas)}]
	if len(regs) != len(x.ents) {
		bad("name index has %d entities, the store %d", len(x.ents), len(regs))
	}
	for _, iri := range regs {
		e := x.ents[iri]
		if e == nil {
			bad("entity %s is missing from the name index", iri)
			continue
		}
		aliases := slices.Sorted(slices.Values(out[sp{iri, string(pAlias)}]))
		types, names := out[sp{iri, string(pType)}], out[sp{iri, string(pName)}]
		if !slices.Equal(aliases, e.Aliases) || len(types) != 1 || string(e.Type) != types[0] || len(names) != 1 || e.Name != names[0] {
			bad("name index has %s as %s %q %q, the store %v %v %q", iri, e.Type, e.Name, e.Aliases, types, names, aliases)
		}
		if m := len(in[sp{string(mentionIRI(iri)), string(pMentions)}]); m != e.Mentions {
			bad("name index counts %d mentions of %s, the store %d", e.Mentions, iri, m)
		}
	}
	var stmts int64
	for _, a := range out[sp{string(regArticles), string(pHas)}] {
		for _, n := range out[sp{a, string(pNumStmts)}] {
			k, _ := strconv.Atoi(n)
			stmts += int64(k)
		}
		if got, want := len(out[sp{a, string(pStmt)}]), out[sp{a, string(pNumStmts)}]; len(want) != 1 || fmt.Sprint(got) != want[0] {
			bad("article %s has %d statements, its count says %v", a, got, want)
		}
	}
	want := Stats{
		Articles:   int64(len(out[sp{string(regArticles), string(pHas)}])),
		Entities:   int64(len(regs)),
		Relations:  int64(len(direct)),
		Statements: stmts,
	}
	got := x.stats
	if !s.countQuads {
		got.Quads = 0
	} else {
		want.Quads = int64(len(qs))
	}
	if got != want {
		bad("counters are %+v, the store has %+v", got, want)
	}
	x.mu.RUnlock()
	if !s.countQuads {
		cs, err := s.qs.Stats(ctx, false)
		if err == nil && cs.Quads.Value != int64(len(qs)) {
			bad("Cayley counts %d quads, the store has %d", cs.Quads.Value, len(qs))
		}
	}
	return errors.Join(errs...)
}

// plain is a value as a plain string: IRIs and strings as they are, integers in decimal.
func plain(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return string(v)
	case quad.String:
		return string(v)
	case quad.Int:
		return strconv.FormatInt(int64(v), 10)
	}
	return valKey(v)
}
