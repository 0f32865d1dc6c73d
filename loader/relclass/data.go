package relclass

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Sentence is one sentence in the CoNLL04 JSON layout (as in conll04_train.json):
// tokens, BILOU entity tags (U-Peop, B-Org … L-Org, O) and relations between
// entities, numbered in the order they appear.
type Sentence struct {
	Tokens    []string `json:"tokens"`
	Tags      []string `json:"tags"`
	Relations []struct {
		Head int    `json:"head"`
		Tail int    `json:"tail"`
		Type string `json:"type"`
	} `json:"relations"`
}

// ReadSentences reads a JSON array of sentences in the CoNLL04 layout.
func ReadSentences(r io.Reader) ([]Sentence, error) {
	var s []Sentence
	if err := json.NewDecoder(r).Decode(&s); err != nil {
		return nil, fmt.Errorf("relclass: read: %w", err)
	}
	return s, nil
}

// Entities returns the sentence's gold entities from its BILOU tags.
func (s *Sentence) Entities() []Entity {
	return spansBILOU(s.Tags)
}

// GoldRelations returns the sentence's relations with their entities resolved.
func (s *Sentence) GoldRelations() ([]Entity, []Relation, error) {
	ents := s.Entities()
	var rels []Relation
	for _, r := range s.Relations {
		if r.Head < 0 || r.Head >= len(ents) || r.Tail < 0 || r.Tail >= len(ents) {
			return nil, nil, fmt.Errorf("relclass: relation %d→%d of %d entities", r.Head, r.Tail, len(ents))
		}
		rels = append(rels, Relation{Head: r.Head, Tail: r.Tail, Type: r.Type})
	}
	return ents, rels, nil
}

// spansBILOU reads spans from BILOU (or BIO) tags leniently: a span starts at B-X or
// U-X, or at I-X/L-X after a token not of type X, and ends after L-X or U-X.
func spansBILOU(tags []string) []Entity {
	var out []Entity
	start, typ := -1, ""
	closeAt := func(i int) {
		if start >= 0 {
			out = append(out, Entity{Start: start, End: i, Type: typ})
		}
		start, typ = -1, ""
	}
	for i, t := range tags {
		if t == "O" || len(t) < 3 || t[1] != '-' {
			closeAt(i)
			continue
		}
		p, ty := t[0], t[2:]
		if p == 'B' || p == 'U' || ty != typ {
			closeAt(i)
			start, typ = i, ty
		}
		if p == 'L' || p == 'U' {
			closeAt(i + 1)
		}
	}
	closeAt(len(tags))
	return out
}

// normWord lower-cases a word and folds digits to 0.
func normWord(w string) string {
	w = strings.ToLower(w)
	if strings.ContainsAny(w, "0123456789") {
		b := []byte(w)
		for i, c := range b {
			if c >= '0' && c <= '9' {
				b[i] = '0'
			}
		}
		w = string(b)
	}
	return w
}
