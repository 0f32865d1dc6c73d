package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

// Gold is a hand annotation of one article, laid out like examples/gold/*.json.
type Gold struct {
	Article  string         `json:"article"` // the article file, relative to the folder holding gold/
	Entities []GoldEntity   `json:"entities"`
	Relation []GoldRelation `json:"relations"`
	MustNot  []GoldMustNot  `json:"must_not"`
}

// GoldEntity is an entity a good extractor must find: its type, canonical name
// and the surface forms that must resolve to it.
type GoldEntity struct {
	Type    graph.EntityType `json:"type"`
	Name    string           `json:"name"`
	Aliases []string         `json:"aliases"`
}

// GoldRelation is a relation a good extractor must find, by the canonical names of
// its subject and object; Modality, if set, is the modality it must have.
type GoldRelation struct {
	Subject   string `json:"subject"`
	Predicate string `json:"predicate"`
	Object    string `json:"object"`
	Modality  string `json:"modality"`
}

// GoldMustNot is a mistake the extractor must not make: an entity (What
// "entity", by Name and optional Type) or a relation (What "relation").
type GoldMustNot struct {
	What      string           `json:"what"`
	Name      string           `json:"name"`
	Type      graph.EntityType `json:"type"`
	Subject   string           `json:"subject"`
	Predicate string           `json:"predicate"`
	Object    string           `json:"object"`
}

// GoldResult is the score of one article against its gold annotation.
type GoldResult struct {
	Entities  map[string]Counts // per entity type
	Relations map[string]Counts // per predicate: subject, predicate and object right
	Modality  map[string]Counts // per predicate: and the modality right
	Missed    []string          // gold items not found
	Spurious  []string          // extracted entities and relations no gold item matches
	Violated  []string          // must_not items the extraction contains
}

// folded returns the canonical name and aliases of an extracted entity, lower case.
func folded(e graph.ArticleEntity) map[string]bool {
	m := map[string]bool{strings.ToLower(e.Name): true}
	for _, a := range e.Aliases {
		m[strings.ToLower(a)] = true
	}
	return m
}

// matchesGold reports whether an extracted entity is the gold entity: same type,
// and its canonical name or one of its aliases is the gold name or a gold alias.
func matchesGold(e graph.ArticleEntity, g GoldEntity) bool {
	if e.Type != g.Type {
		return false
	}
	ns := folded(e)
	if ns[strings.ToLower(g.Name)] {
		return true
	}
	for _, a := range g.Aliases {
		if ns[strings.ToLower(a)] {
			return true
		}
	}
	return false
}

// ScoreGold scores an extracted article against its gold annotation. Gold and
// extracted entities are paired one to one: a gold entity takes an extracted entity
// that matches it (matchesGold), preferring one whose canonical name is the gold
// name; an extracted entity left unpaired is a false positive. A relation matches by subject, predicate and
// object, where a gold name stands for the extracted entity matched to it (or an
// entity of that canonical name); Modality also compares the modality (a gold
// relation without one accepts any). Extracted relations are counted once per
// subject, predicate and object (and modality, for Modality) and paired one to one
// with gold relations.
func ScoreGold(a *graph.Article, g Gold) GoldResult {
	res := GoldResult{Entities: map[string]Counts{}, Relations: map[string]Counts{}, Modality: map[string]Counts{}}
	matched := map[string]graph.EntityRef{}
	taken := map[int]bool{} // extracted entities matched to a gold entity
	for _, e := range a.Entities {
		c := res.Entities[string(e.Type)]
		c.Predicted++
		res.Entities[string(e.Type)] = c
	}
	for _, ge := range g.Entities {
		c := res.Entities[string(ge.Type)]
		c.Gold++
		best := -1
		for i, e := range a.Entities {
			if taken[i] || !matchesGold(e, ge) {
				continue
			}
			if best < 0 || strings.EqualFold(e.Name, ge.Name) && !strings.EqualFold(a.Entities[best].Name, ge.Name) {
				best = i
			}
		}
		if best >= 0 {
			taken[best] = true
			matched[ge.Name] = a.Entities[best].EntityRef
			c.Correct++
		} else {
			res.Missed = append(res.Missed, fmt.Sprintf("entity %s %q", ge.Type, ge.Name))
		}
		res.Entities[string(ge.Type)] = c
	}
	for i, e := range a.Entities {
		if !taken[i] {
			res.Spurious = append(res.Spurious, fmt.Sprintf("entity %s %q", e.Type, e.Name))
		}
	}
	is := func(r graph.EntityRef, name string) bool {
		if m, ok := matched[name]; ok {
			return m == r
		}
		return strings.EqualFold(r.Name, name)
	}
	type spo struct {
		s graph.EntityRef
		p string
		o graph.EntityRef
		m graph.Modality
	}
	seen, seenM := map[spo]bool{}, map[spo]bool{}
	var preds, predsM []spo
	for _, s := range a.Statements {
		k := spo{s.Subject, s.Predicate, s.Object, ""}
		if !seen[k] {
			seen[k] = true
			preds = append(preds, k)
		}
		k.m = s.Modality
		if !seenM[k] {
			seenM[k] = true
			predsM = append(predsM, k)
		}
	}
	hit := func(k spo, gr GoldRelation, modal bool) bool {
		if k.p != gr.Predicate || !is(k.s, gr.Subject) || !is(k.o, gr.Object) {
			return false
		}
		return !modal || gr.Modality == "" || string(k.m) == gr.Modality
	}
	score := func(by map[string]Counts, ps []spo, modal bool) map[int]bool {
		for _, k := range ps {
			c := by[k.p]
			c.Predicted++
			by[k.p] = c
		}
		used := map[int]bool{}
		for _, gr := range g.Relation {
			c := by[gr.Predicate]
			c.Gold++
			for i, k := range ps {
				if !used[i] && hit(k, gr, modal) {
					used[i] = true
					c.Correct++
					break
				}
			}
			by[gr.Predicate] = c
		}
		return used
	}
	used := score(res.Relations, preds, false)
	score(res.Modality, predsM, true)
	for i, k := range preds {
		if !used[i] {
			res.Spurious = append(res.Spurious, fmt.Sprintf("relation %s --%s--> %s", k.s.Name, k.p, k.o.Name))
		}
	}
	for _, gr := range g.Relation {
		found, modalOK := false, false
		for _, k := range predsM {
			if hit(k, gr, false) {
				found = true
				if hit(k, gr, true) {
					modalOK = true
				}
			}
		}
		switch {
		case !found:
			res.Missed = append(res.Missed, fmt.Sprintf("relation %s --%s--> %s", gr.Subject, gr.Predicate, gr.Object))
		case !modalOK:
			res.Missed = append(res.Missed, fmt.Sprintf("modality %s --%s--> %s: want %s", gr.Subject, gr.Predicate, gr.Object, gr.Modality))
		}
	}
	for _, mn := range g.MustNot {
		switch mn.What {
		case "entity":
			for _, e := range a.Entities {
				if (mn.Type == "" || e.Type == mn.Type) && strings.EqualFold(e.Name, mn.Name) {
					res.Violated = append(res.Violated, fmt.Sprintf("entity %s %q", e.Type, e.Name))
				}
			}
		case "relation":
			for _, k := range preds {
				if k.p == mn.Predicate && is(k.s, mn.Subject) && is(k.o, mn.Object) {
					res.Violated = append(res.Violated, fmt.Sprintf("relation %s --%s--> %s", mn.Subject, mn.Predicate, mn.Object))
				}
			}
		}
	}
	return res
}

// GoldDir extracts every article named by the gold files dir/gold/*.json (their
// "article" field, relative to dir) with x and scores it. The report has three
// tables: entities, relations (subject, predicate, object) and relations with
// modality; its notes list what was missed, what was extracted that no gold
// item matches, and every must_not violation; its F1 is
// the overall relation F1 (subject, predicate and object).
func GoldDir(x *extract.Extractor, dir string) (Report, error) {
	files, err := filepath.Glob(filepath.Join(dir, "gold", "*.json"))
	if err != nil {
		return Report{}, err
	}
	if len(files) == 0 {
		return Report{}, fmt.Errorf("%s: no gold files in %s", dir, filepath.Join(dir, "gold"))
	}
	sort.Strings(files)
	ents, rels, mods := map[string]Counts{}, map[string]Counts{}, map[string]Counts{}
	r := Report{Task: "gold", Input: dir}
	var violated []string
	for _, gf := range files {
		raw, err := os.ReadFile(gf)
		if err != nil {
			return Report{}, err
		}
		var g Gold
		if err := json.Unmarshal(raw, &g); err != nil {
			return Report{}, fmt.Errorf("%s: %w", gf, err)
		}
		if g.Article == "" {
			r.Errors = append(r.Errors, fmt.Sprintf("%s: no \"article\" field", gf))
			continue
		}
		ap := filepath.Join(dir, filepath.FromSlash(g.Article))
		text, err := os.ReadFile(ap)
		if err != nil {
			r.Errors = append(r.Errors, fmt.Sprintf("%s: %v", gf, err))
			continue
		}
		a, err := x.Extract(doc.ParseText(ap, text))
		if err != nil {
			r.Errors = append(r.Errors, fmt.Sprintf("%s: %v", ap, err))
			continue
		}
		res := ScoreGold(a, g)
		for k, c := range res.Entities {
			ents[k] = ents[k].Add(c)
		}
		for k, c := range res.Relations {
			rels[k] = rels[k].Add(c)
		}
		for k, c := range res.Modality {
			mods[k] = mods[k].Add(c)
		}
		base := filepath.Base(gf)
		for _, m := range res.Missed {
			r.Notes = append(r.Notes, fmt.Sprintf("%s: missed %s", base, m))
		}
		for _, m := range res.Spurious {
			r.Notes = append(r.Notes, fmt.Sprintf("%s: spurious %s", base, m))
		}
		for _, v := range res.Violated {
			violated = append(violated, fmt.Sprintf("%s: must_not VIOLATED %s", base, v))
		}
	}
	rt := NewTable("relations (subject, predicate, object)", rels)
	r.Tables = []Table{
		NewTable("entities (type and canonical name or alias)", ents),
		rt,
		NewTable("relations with modality", mods),
	}
	r.Notes = append(r.Notes, violated...)
	r.Notes = append(r.Notes, fmt.Sprintf("gold files %d, must_not violations %d", len(files), len(violated)))
	r.Notes = append(r.Notes, "F1 is the overall relation F1 (subject, predicate, object)")
	r.F1 = rt.Overall.F1
	return r, nil
}
