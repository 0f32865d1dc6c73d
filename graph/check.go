package graph

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"
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

// CheckInvariants verifies the schema's invariants (see Check) and returns every
// violation found, joined (at most 50), or the error that stopped the scan. It scans
// the whole store: for tests and repair tools.
func (s *CayleyStore) CheckInvariants(ctx context.Context) error {
	r, err := s.check(ctx, 50)
	if err != nil {
		return err
	}
	errs := make([]error, len(r.Violations))
	for i, v := range r.Violations {
		errs[i] = errors.New(v)
	}
	return errors.Join(errs...)
}

// MaxCheckViolations is how many violations Check lists; it counts the others.
const MaxCheckViolations = 10_000

// CheckReport is what Check found: the size of the store and its violations.
type CheckReport struct {
	Articles int64 // registered articles
	Quads    int64 // live quads
	// Violations are the broken invariants, one line each naming the IRIs involved,
	// at most MaxCheckViolations.
	Violations []string
	// Unlisted counts the violations beyond those listed.
	Unlisted int
}

// Check verifies the schema's invariants: every statement belongs to exactly one
// stored article (registered, with its hash) whose id it carries, and has exactly one
// event; every event is linked from its edge key and has a statement; every direct edge
// is backed by an event with a statement of a stored article; every registered edge
// key has events; every article node is registered; every entity has a type, a name
// and a supporting article; every alias is supported; and the name index and the
// counters (in memory and Cayley's quad count) match the quads. It scans the whole
// store, holding the writer token so that no commit runs meanwhile. A returned error
// means the scan could not be done; violations are in the report.
func (s *CayleyStore) Check(ctx context.Context) (*CheckReport, error) {
	return s.check(ctx, MaxCheckViolations)
}

func (s *CayleyStore) check(ctx context.Context, limit int) (*CheckReport, error) {
	done, err := s.beginWrite(ctx) // no commit may run meanwhile
	if err != nil {
		return nil, err
	}
	defer done()
	end, err := s.beginRead()
	if err != nil {
		return nil, err
	}
	defer end()
	qs, err := s.allQuads(ctx)
	if err != nil {
		return nil, fmt.Errorf("graph: check invariants: %w", err)
	}
	rep := &CheckReport{Quads: int64(len(qs))}
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
	bad := func(format string, args ...any) {
		if len(rep.Violations) < limit {
			rep.Violations = append(rep.Violations, fmt.Sprintf(format, args...))
		} else {
			rep.Unlisted++
		}
	}
	stmtOK := func(st string) bool {
		arts := in[sp{st, string(pStmt)}]
		return len(arts) == 1 && len(out[sp{arts[0], string(pHash)}]) == 1
	}
	registered := func(reg quad.IRI, node string) bool {
		return slices.Contains(in[sp{node, string(pHas)}], string(reg))
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
	seen := map[string]bool{} // statement, article and event nodes checked as subjects
	for _, q := range qs {
		sv, pv, ov := plain(q.Subject), plain(q.Predicate), plain(q.Object)
		if !seen[sv] {
			switch {
			case strings.HasPrefix(sv, iriStmtPrefix):
				seen[sv] = true
				arts := in[sp{sv, string(pStmt)}]
				switch {
				case len(arts) == 0:
					bad("statement %s has no article (its %s quad remains)", sv, pv)
				case !stmtOK(sv):
					bad("statement %s does not belong to exactly one stored article (owned by %v)", sv, arts)
				case !strings.HasPrefix(sv, iriStmtPrefix+strings.TrimPrefix(arts[0], iriArticlePrefix)+"/"):
					bad("statement %s is owned by article %s, whose id it does not carry", sv, arts[0])
				}
			case strings.HasPrefix(sv, iriArticlePrefix):
				seen[sv] = true
				if !registered(regArticles, sv) {
					bad("article %s is not registered (its %s quad remains)", sv, pv)
				}
			case strings.HasPrefix(sv, iriEventPrefix):
				seen[sv] = true
				edge, _, _, ok := parseEventIRI(sv)
				if !ok || !slices.Contains(out[sp{string(edge), string(pOccurred)}], sv) {
					bad("event %s is not linked from its edge %s", sv, edge)
				}
			}
		}
		switch {
		case pv == string(pEvent) && strings.HasPrefix(sv, iriStmtPrefix):
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
		case sv == string(regEdges):
			if len(out[sp{ov, string(pOccurred)}]) == 0 {
				bad("edge %s has no event", ov)
			}
		case sv == string(regArticles):
			if n := len(out[sp{ov, string(pHash)}]); n != 1 {
				bad("article %s has %d hashes, want 1", ov, n)
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
	rep.Articles = int64(len(out[sp{string(regArticles), string(pHas)}]))
	want := Stats{
		Articles:   rep.Articles,
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
	return rep, nil
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

// ErrLocked means that another process (a running server) holds a bolt store's file.
var ErrLocked = errors.New("another process holds the store")

// lockTimeout is how long OpenReadOnly waits for another process to release the file.
const lockTimeout = time.Second

// BoltPath is the bolt file of the store in folder dir.
func BoltPath(dir string) string { return boltFile(dir) }

// OpenReadOnly opens the existing bolt store in cfg.Path without write access (bbolt's
// shared lock, so that it may run beside other readers but not beside a server) and
// loads its name index and counters, as Open does. Writes to it fail. It is for
// checks and tools that must not change the store. It fails with ErrLocked when
// another process holds the store for writing, and with an error wrapping
// fs.ErrNotExist when the folder has no store.
func OpenReadOnly(ctx context.Context, cfg Config) (*CayleyStore, error) {
	if cfg.backend() != BackendBolt {
		return nil, fmt.Errorf("graph: open read-only: backend %q, want %q: %w", cfg.Backend, BackendBolt, ErrInvalidArgument)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	file := boltFile(cfg.Path)
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("graph: open read-only: no store in %s: %w", cfg.Path, err)
	}
	db, err := bolt.Open(file, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockTimeout, FreelistType: bolt.FreelistMapType})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("graph: %w in %s (%s is locked)", ErrLocked, cfg.Path, file)
	}
	if err != nil {
		return nil, fmt.Errorf("graph: open read-only %s: %w", file, err)
	}
	qs, err := kv.New(&boltKV{db: db, dir: cfg.Path}, cgraph.Options{kv.OptNoBloom: true})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("graph: open read-only store at %q: %w", cfg.Path, err)
	}
	s := &CayleyStore{
		cfg:    cfg,
		log:    logger,
		qs:     qs,
		writer: make(chan struct{}, 1),
		names:  newNameIndex(),
	}
	s.kv, _ = qs.(*kv.QuadStore)
	s.initReadCache()
	if err := s.load(ctx); err != nil {
		qs.Close()
		return nil, fmt.Errorf("graph: load read-only store at %q: %w", cfg.Path, err)
	}
	if err := s.loadAdjacency(ctx); err != nil {
		qs.Close()
		return nil, fmt.Errorf("graph: load read-only store at %q: %w", cfg.Path, err)
	}
	return s, nil
}
