package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

// Relation is a typed relation between two typed spans of one sentence.
type Relation struct {
	Head Span   `json:"head"`
	Tail Span   `json:"tail"`
	Type string `json:"type"`
}

// CoNLL04Sentence is one sentence of a CoNLL04 file: tokens, BILOU tags and
// relations between entities given by their index in the order of the tags.
type CoNLL04Sentence struct {
	Tokens    []string `json:"tokens"`
	Tags      []string `json:"tags"`
	Relations []struct {
		Head int    `json:"head"`
		Tail int    `json:"tail"`
		Type string `json:"type"`
	} `json:"relations"`
	OrigID int `json:"orig_id"`
}

// Gold returns the sentence's entity spans and relations.
func (s CoNLL04Sentence) Gold() ([]Span, []Relation, error) {
	if len(s.Tags) != len(s.Tokens) {
		return nil, nil, fmt.Errorf("%d tokens but %d tags", len(s.Tokens), len(s.Tags))
	}
	ents, err := DecodeTags(s.Tags)
	if err != nil {
		return nil, nil, err
	}
	var rels []Relation
	for _, r := range s.Relations {
		if r.Head < 0 || r.Head >= len(ents) || r.Tail < 0 || r.Tail >= len(ents) {
			return nil, nil, fmt.Errorf("relation %s between entities %d and %d of %d", r.Type, r.Head, r.Tail, len(ents))
		}
		rels = append(rels, Relation{Head: ents[r.Head], Tail: ents[r.Tail], Type: r.Type})
	}
	return ents, rels, nil
}

// ReadCoNLL04 reads a CoNLL04 file: a JSON array of sentences.
func ReadCoNLL04(r io.Reader) ([]CoNLL04Sentence, error) {
	var out []CoNLL04Sentence
	if err := json.NewDecoder(r).Decode(&out); err != nil {
		return nil, fmt.Errorf("conll04: %w", err)
	}
	return out, nil
}

// CoNLL04Types maps newsgraph's entity types to CoNLL04's. Facilities are places
// (CoNLL04 tags "the Palace of Fine Arts" Loc); other names are Other.
var CoNLL04Types = map[graph.EntityType]string{
	graph.Person:       "Peop",
	graph.State:        "Loc",
	graph.City:         "Loc",
	graph.Facility:     "Loc",
	graph.Organisation: "Org",
	graph.Other:        "Other",
}

// CoNLL04Relations maps newsgraph's structural predicates (and killed) to CoNLL04's
// relation types.
var CoNLL04Relations = map[string]string{
	"holds_role": "Work_For",
	"member_of":  "Work_For",
	"lives_in":   "Live_In",
	"located_in": "Located_In",
	"based_in":   "OrgBased_In",
	"killed":     "Kill",
}

// ScoreRelations counts, per relation type, gold and predicted relations and the
// predicted ones that match a gold relation strictly: both spans, both entity
// types and the relation type. Duplicate predictions count once.
func ScoreRelations(gold, pred []Relation) map[string]Counts {
	by := map[string]Counts{}
	left := map[Relation]int{}
	for _, g := range gold {
		c := by[g.Type]
		c.Gold++
		by[g.Type] = c
		left[g]++
	}
	seen := map[Relation]bool{}
	for _, p := range pred {
		if seen[p] {
			continue
		}
		seen[p] = true
		c := by[p.Type]
		c.Predicted++
		if left[p] > 0 {
			left[p]--
			c.Correct++
		}
		by[p.Type] = c
	}
	return by
}

// PredictCoNLL04 runs the extractor on the tokens of one sentence (joined by single
// spaces) and returns its entity spans, typed by CoNLL04Types, and its relations,
// typed by CoNLL04Relations. Only names and districts count as entity spans (not
// pronouns, roles or demonyms); a relation is anchored on mentions of its subject
// and object in the text (preferring a pair that is in gold, so that an entity
// mentioned twice is not penalised), and dropped, counted in unanchored, when one
// of them is not mentioned by name (a country known from the gazetteer, a pronoun).
func PredictCoNLL04(x *extract.Extractor, id string, tokens []string, gold []Relation) (ents []Span, rels []Relation, unanchored int, err error) {
	var b strings.Builder
	starts := make([]int, len(tokens))
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		starts[i] = b.Len()
		b.WriteString(t)
	}
	text := b.String()
	ex, err := x.Explain(doc.Document{ID: id, Text: text})
	if err != nil {
		return nil, nil, 0, err
	}
	// token covering byte offset off
	tokAt := func(off int) int {
		k := 0
		for k+1 < len(starts) && starts[k+1] <= off {
			k++
		}
		return k
	}
	byEnt := map[graph.EntityRef][]Span{}
	seen := map[Span]bool{}
	for _, s := range ex.Sentences {
		for _, m := range s.Mentions {
			if m.Kind != "name" && m.Kind != "district" {
				continue
			}
			typ, ok := CoNLL04Types[m.Type]
			if !ok || m.End <= m.Start {
				continue
			}
			sp := Span{Start: tokAt(m.Start), End: tokAt(m.End-1) + 1, Type: typ}
			if m.Entity != nil {
				byEnt[*m.Entity] = append(byEnt[*m.Entity], sp)
			}
			if !seen[sp] {
				seen[sp] = true
				ents = append(ents, sp)
			}
		}
	}
	inGold := map[Relation]bool{}
	for _, g := range gold {
		inGold[g] = true
	}
	for _, st := range ex.Article.Statements {
		rt, ok := CoNLL04Relations[st.Predicate]
		if !ok {
			continue
		}
		hs, ts := byEnt[st.Subject], byEnt[st.Object]
		if len(hs) == 0 || len(ts) == 0 {
			unanchored++
			continue
		}
		r := Relation{Head: hs[0], Tail: ts[0], Type: rt}
	pairs:
		for _, h := range hs {
			for _, t := range ts {
				if c := (Relation{Head: h, Tail: t, Type: rt}); inGold[c] {
					r = c
					break pairs
				}
			}
		}
		rels = append(rels, r)
	}
	return ents, rels, unanchored, nil
}

// CoNLL04 scores the extractor on CoNLL04 sentences: entity spans (exact span and
// type) and relations (strict). The report's F1 is the overall strict relation F1.
func CoNLL04(x *extract.Extractor, name string, sents []CoNLL04Sentence) Report {
	entBy, relBy := map[string]Counts{}, map[string]Counts{}
	var errs []string
	unanchored := 0
	for i, s := range sents {
		gents, grels, err := s.Gold()
		if err != nil {
			errs = append(errs, fmt.Sprintf("sentence %d (orig_id %d): %v", i, s.OrigID, err))
			continue
		}
		pents, prels, un, err := PredictCoNLL04(x, fmt.Sprintf("conll04-%d", i), s.Tokens, grels)
		if err != nil {
			errs = append(errs, fmt.Sprintf("sentence %d (orig_id %d): %v", i, s.OrigID, err))
			continue
		}
		unanchored += un
		for k, c := range ScoreSpans(gents, pents) {
			entBy[k] = entBy[k].Add(c)
		}
		for k, c := range ScoreRelations(grels, prels) {
			relBy[k] = relBy[k].Add(c)
		}
	}
	rt := NewTable("relations (strict: both spans, both types, relation type)", relBy)
	return Report{
		Task: "conll04", Input: name,
		Tables: []Table{NewTable("entities (exact span and type)", entBy), rt},
		Notes: []string{
			fmt.Sprintf("sentences %d", len(sents)),
			"types: person→Peop, state/city/facility→Loc, organisation→Org, other→Other; holds_role/member_of→Work_For, lives_in→Live_In, located_in→Located_In, based_in→OrgBased_In, killed→Kill",
			fmt.Sprintf("relations not counted because an argument is not named in the sentence (gazetteer country, pronoun): %d", unanchored),
			"relations are the extractor's statements: its rules and, unless Config.NoRelationClassifier, its relation classifier (loader/relclass)",
			"F1 is the overall strict relation F1",
		},
		F1:     rt.Overall.F1,
		Errors: errs,
	}
}
