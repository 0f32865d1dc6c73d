package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Size limits of what one article may carry.
const (
	maxIDBytes       = 1024
	maxTextBytes     = 4096  // title, URL, source, names, aliases, roles
	maxSentenceBytes = 16384 // one sentence
	maxEntities      = 10000
	maxStatements    = 10000
)

// normEntity is one entity of an article after validation: its IRI, the name this
// article gives it and the aliases it uses, sorted and without the name.
type normEntity struct {
	IRI     string
	Ref     EntityRef
	Aliases []string
}

// normArticle is a validated article: entities merged by IRI (statement subjects,
// objects and speakers included), statements with defaults filled in.
type normArticle struct {
	*Article
	Hash       string
	Entities   []normEntity // sorted by IRI
	Statements []Statement
}

// normalize validates a and returns its normal form; errors wrap ErrInvalidArgument and
// name the field.
func normalize(a *Article) (*normArticle, error) {
	if a == nil {
		return nil, fmt.Errorf("article is nil: %w", ErrInvalidArgument)
	}
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("article %q: %s %s: %w", a.ID, field, fmt.Sprintf(format, args...), ErrInvalidArgument)
	}
	text := func(field, v string, max int) error {
		if !utf8.ValidString(v) {
			return bad(field, "is not valid UTF-8")
		}
		if len(v) > max {
			return bad(field, "is %d bytes, want at most %d", len(v), max)
		}
		return nil
	}
	if strings.TrimSpace(a.ID) == "" {
		return nil, bad("ID", "is empty")
	}
	if err := text("ID", a.ID, maxIDBytes); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"Title", a.Title}, {"URL", a.URL}, {"Source", a.Source}, {"Hash", a.Hash}} {
		if err := text(f.name, f.v, maxTextBytes); err != nil {
			return nil, err
		}
	}
	if len(a.Entities) > maxEntities {
		return nil, bad("Entities", "has %d entities, want at most %d", len(a.Entities), maxEntities)
	}
	if len(a.Statements) > maxStatements {
		return nil, bad("Statements", "has %d statements, want at most %d", len(a.Statements), maxStatements)
	}
	ref := func(field string, r EntityRef) error {
		if !r.Type.Valid() {
			return bad(field+".Type", "is %q, want one of %v", r.Type, EntityTypes)
		}
		if err := text(field+".Name", r.Name, maxTextBytes); err != nil {
			return err
		}
		if Slug(r.Name) == "" {
			return bad(field+".Name", "%q has no letters or digits", r.Name)
		}
		return nil
	}

	n := &normArticle{Article: a, Hash: a.Hash}
	byIRI := map[string]*normEntity{}
	var order []string
	addEntity := func(r EntityRef, aliases ...string) {
		iri := r.IRI()
		e := byIRI[iri]
		if e == nil {
			e = &normEntity{IRI: iri, Ref: r}
			byIRI[iri] = e
			order = append(order, iri)
		} else if r.Name != e.Ref.Name {
			e.Aliases = append(e.Aliases, r.Name)
		}
		for _, al := range aliases {
			if al = strings.TrimSpace(al); al != "" {
				e.Aliases = append(e.Aliases, al)
			}
		}
	}
	for i, e := range a.Entities {
		field := fmt.Sprintf("Entities[%d]", i)
		if err := ref(field, e.EntityRef); err != nil {
			return nil, err
		}
		for j, al := range e.Aliases {
			if err := text(fmt.Sprintf("%s.Aliases[%d]", field, j), al, maxTextBytes); err != nil {
				return nil, err
			}
		}
		addEntity(e.EntityRef, e.Aliases...)
	}
	for i, st := range a.Statements {
		field := fmt.Sprintf("Statements[%d]", i)
		if err := ref(field+".Subject", st.Subject); err != nil {
			return nil, err
		}
		if err := ref(field+".Object", st.Object); err != nil {
			return nil, err
		}
		if !validPredicate(st.Predicate) {
			return nil, bad(field+".Predicate", "is %q, want lower-case letters, digits, '_' or '-' (at most %d bytes)", st.Predicate, maxPredicateBytes)
		}
		if err := text(field+".Role", st.Role, maxTextBytes); err != nil {
			return nil, err
		}
		if err := text(field+".Sentence", st.Sentence, maxSentenceBytes); err != nil {
			return nil, err
		}
		if st.Start < 0 || st.End < st.Start {
			return nil, bad(field+".Start/End", "are %d/%d, want 0 <= Start <= End", st.Start, st.End)
		}
		if math.IsNaN(st.Confidence) || st.Confidence <= 0 || st.Confidence > 1 {
			return nil, bad(field+".Confidence", "is %v, want in (0, 1]", st.Confidence)
		}
		if st.Modality == "" {
			st.Modality = Asserted
		}
		if !st.Modality.Valid() {
			return nil, bad(field+".Modality", "is %q, want one of %v", st.Modality, Modalities)
		}
		if st.Speaker != nil {
			if err := ref(field+".Speaker", *st.Speaker); err != nil {
				return nil, err
			}
			sp := *st.Speaker
			st.Speaker = &sp
			addEntity(sp)
		}
		if !st.EventDate.IsZero() {
			st.EventDate = st.EventDate.UTC()
		}
		st.Role = strings.TrimSpace(st.Role)
		addEntity(st.Subject)
		addEntity(st.Object)
		n.Statements = append(n.Statements, st)
	}
	slices.Sort(order)
	for _, iri := range order {
		e := byIRI[iri]
		slices.Sort(e.Aliases)
		e.Aliases = slices.Compact(e.Aliases)
		e.Aliases = slices.DeleteFunc(e.Aliases, func(s string) bool { return s == e.Ref.Name })
		n.Entities = append(n.Entities, *e)
	}
	if n.Hash == "" {
		n.Hash = contentHash(n)
	}
	return n, nil
}

// contentHash stands in for a missing Article.Hash: a hash of everything stored.
func contentHash(n *normArticle) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", n.Title, n.URL, n.Source, n.Published.UTC().Format("2006-01-02T15:04:05.999999999Z"))
	for _, e := range n.Entities {
		fmt.Fprintf(h, "%s\x00%s\x00%q\x00", e.IRI, e.Ref.Name, e.Aliases)
	}
	for i := range n.Statements {
		fmt.Fprintf(h, "%s\x00", stmtIRI("", &n.Statements[i]))
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
