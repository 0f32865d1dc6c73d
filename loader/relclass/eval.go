package relclass

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Counts are the numbers behind precision and recall.
type Counts struct {
	Gold, Predicted, Correct int
}

// Precision is Correct/Predicted in percent (0 when nothing was predicted).
func (c Counts) Precision() float64 { return pct(c.Correct, c.Predicted) }

// Recall is Correct/Gold in percent (0 when there is no gold item).
func (c Counts) Recall() float64 { return pct(c.Correct, c.Gold) }

// F1 is the harmonic mean of precision and recall, in percent.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

// Scores are strict scores: an entity is correct when its span and type are; a
// relation when its type and both entities' spans and types are.
type Scores struct {
	Entities, Relations       map[string]Counts
	EntityOverall, RelOverall Counts
	Sentences                 int
}

func (s *Scores) init() {
	if s.Entities == nil {
		s.Entities = map[string]Counts{}
		s.Relations = map[string]Counts{}
	}
}

// relKey identifies a relation by its entities' spans and types.
type relKey struct {
	h, t Entity
	typ  string
}

// Add counts one sentence.
func (s *Scores) Add(goldE []Entity, goldR []Relation, predE []Entity, predR []Relation) {
	s.init()
	s.Sentences++
	inE := map[Entity]bool{}
	for _, e := range goldE {
		if inE[e] {
			continue
		}
		inE[e] = true
		bump(s.Entities, e.Type, &s.EntityOverall, 1, 0, 0)
	}
	seenE := map[Entity]bool{}
	for _, e := range predE {
		if seenE[e] {
			continue
		}
		seenE[e] = true
		ok := 0
		if inE[e] {
			ok = 1
		}
		bump(s.Entities, e.Type, &s.EntityOverall, 0, 1, ok)
	}
	inR := map[relKey]bool{}
	for _, r := range goldR {
		k := relKey{goldE[r.Head], goldE[r.Tail], r.Type}
		if inR[k] {
			continue
		}
		inR[k] = true
		bump(s.Relations, r.Type, &s.RelOverall, 1, 0, 0)
	}
	seenR := map[relKey]bool{}
	for _, r := range predR {
		k := relKey{predE[r.Head], predE[r.Tail], r.Type}
		if seenR[k] {
			continue
		}
		seenR[k] = true
		ok := 0
		if inR[k] {
			ok = 1
		}
		bump(s.Relations, r.Type, &s.RelOverall, 0, 1, ok)
	}
}

func bump(m map[string]Counts, typ string, all *Counts, g, p, c int) {
	x := m[typ]
	x.Gold += g
	x.Predicted += p
	x.Correct += c
	m[typ] = x
	all.Gold += g
	all.Predicted += p
	all.Correct += c
}

// Table formats the scores: entities per type, relations per type, and a last line
// "F1 <strict relation F1>".
func (s Scores) Table() string {
	var b strings.Builder
	row := func(name string, c Counts) {
		fmt.Fprintf(&b, "%-12s %6d %6d %6d %7.2f %7.2f %7.2f\n", name, c.Gold, c.Predicted, c.Correct, c.Precision(), c.Recall(), c.F1())
	}
	head := func(what string) {
		fmt.Fprintf(&b, "%-12s %6s %6s %6s %7s %7s %7s\n", what, "gold", "found", "right", "P", "R", "F1")
	}
	keys := func(m map[string]Counts) []string {
		var k []string
		for t := range m {
			k = append(k, t)
		}
		slices.Sort(k)
		return k
	}
	head("entity")
	for _, t := range keys(s.Entities) {
		row(t, s.Entities[t])
	}
	row("overall", s.EntityOverall)
	head("relation")
	for _, t := range keys(s.Relations) {
		row(t, s.Relations[t])
	}
	row("overall", s.RelOverall)
	fmt.Fprintf(&b, "F1 %.2f\n", s.RelOverall.F1())
	return b.String()
}

// Eval extracts entities and relations from every sentence of a file in the CoNLL04
// JSON layout and scores them strictly against the file's annotation.
func (x *Extractor) Eval(r io.Reader) (Scores, error) {
	sents, err := ReadSentences(r)
	if err != nil {
		return Scores{}, err
	}
	var s Scores
	s.init()
	for _, sent := range sents {
		ge, gr, err := sent.GoldRelations()
		if err != nil {
			return Scores{}, err
		}
		pe, pr := x.Extract(sent.Tokens)
		s.Add(ge, gr, pe, pr)
	}
	return s, nil
}

// EvalGoldEntities scores the relation classifier alone: relations are classified
// between the gold entities.
func (x *Extractor) EvalGoldEntities(r io.Reader) (Scores, error) {
	sents, err := ReadSentences(r)
	if err != nil {
		return Scores{}, err
	}
	var s Scores
	s.init()
	for _, sent := range sents {
		ge, gr, err := sent.GoldRelations()
		if err != nil {
			return Scores{}, err
		}
		s.Add(ge, gr, ge, x.Classify(sent.Tokens, ge))
	}
	return s, nil
}

// Eval scores the default extractor on a file in the CoNLL04 JSON layout.
func Eval(r io.Reader) (Scores, error) {
	x, err := Default()
	if err != nil {
		return Scores{}, err
	}
	return x.Eval(r)
}
