package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
)

// gold is the hand annotation of a reference article (testdata/*.json).
type gold struct {
	Entities []struct {
		Type    graph.EntityType `json:"type"`
		Name    string           `json:"name"`
		Aliases []string         `json:"aliases"`
	} `json:"entities"`
	Relations []struct {
		Subject   string `json:"subject"`
		Predicate string `json:"predicate"`
		Object    string `json:"object"`
		Modality  string `json:"modality"`
	} `json:"relations"`
	MustNot []struct {
		What      string           `json:"what"`
		Name      string           `json:"name"`
		Type      graph.EntityType `json:"type"`
		Subject   string           `json:"subject"`
		Predicate string           `json:"predicate"`
		Object    string           `json:"object"`
	} `json:"must_not"`
}

// goldScore holds the shares of gold items an extraction got right.
type goldScore struct {
	entities, relations float64
	mustNot             []string // violated must_not items
}

// names returns the canonical name and the aliases of an extracted entity, folded.
func names(e graph.ArticleEntity) map[string]bool {
	m := map[string]bool{strings.ToLower(e.Name): true}
	for _, a := range e.Aliases {
		m[strings.ToLower(a)] = true
	}
	return m
}

// scoreGold compares an article with its gold annotation and logs a table of every item.
func scoreGold(t *testing.T, a *graph.Article, g gold) goldScore {
	t.Helper()
	var sc goldScore
	// gold entity name → the extracted entity it matched
	matched := map[string]*graph.ArticleEntity{}
	found := 0
	for _, ge := range g.Entities {
		var best *graph.ArticleEntity
		for i := range a.Entities {
			e := &a.Entities[i]
			if e.Type != ge.Type {
				continue
			}
			ns := names(*e)
			if ns[strings.ToLower(ge.Name)] {
				best = e
				break
			}
			for _, al := range ge.Aliases {
				if ns[strings.ToLower(al)] && best == nil {
					best = e
				}
			}
		}
		status := "MISS"
		var missing []string
		if best != nil {
			matched[ge.Name] = best
			ns := names(*best)
			for _, al := range ge.Aliases {
				if !ns[strings.ToLower(al)] {
					missing = append(missing, al)
				}
			}
			if len(missing) == 0 {
				status = "ok"
				found++
			} else {
				status = "ALIAS"
			}
		}
		got := "-"
		if best != nil {
			got = fmt.Sprintf("%s %q %q", best.Type, best.Name, best.Aliases)
		}
		t.Logf("entity   %-5s %-12s %-26q got %s missing aliases %q", status, ge.Type, ge.Name, got, missing)
	}
	sc.entities = float64(found) / float64(len(g.Entities))

	refMatches := func(r graph.EntityRef, goldName string) bool {
		if e, ok := matched[goldName]; ok {
			return e.EntityRef == r
		}
		return strings.EqualFold(r.Name, goldName)
	}
	rfound := 0
	for _, gr := range g.Relations {
		var hit *graph.Statement
		for i := range a.Statements {
			s := &a.Statements[i]
			if s.Predicate == gr.Predicate && refMatches(s.Subject, gr.Subject) && refMatches(s.Object, gr.Object) {
				hit = s
				break
			}
		}
		status, detail := "MISS", ""
		if hit != nil {
			rfound++
			status = "ok"
			detail = fmt.Sprintf("%s conf %.2f", hit.Modality, hit.Confidence)
			if gr.Modality != "" && string(hit.Modality) != gr.Modality {
				detail += " (gold modality " + gr.Modality + ")"
			}
		}
		t.Logf("relation %-5s %s --%s--> %s %s", status, gr.Subject, gr.Predicate, gr.Object, detail)
	}
	sc.relations = float64(rfound) / float64(len(g.Relations))

	for _, mn := range g.MustNot {
		switch mn.What {
		case "entity":
			for _, e := range a.Entities {
				if (mn.Type == "" || e.Type == mn.Type) && strings.EqualFold(e.Name, mn.Name) {
					sc.mustNot = append(sc.mustNot, fmt.Sprintf("entity %s %q", e.Type, e.Name))
				}
			}
		case "relation":
			for _, s := range a.Statements {
				if s.Predicate == mn.Predicate && refMatches(s.Subject, mn.Subject) && refMatches(s.Object, mn.Object) {
					sc.mustNot = append(sc.mustNot, fmt.Sprintf("relation %s %s %s", mn.Subject, mn.Predicate, mn.Object))
				}
			}
		}
	}
	for _, v := range sc.mustNot {
		t.Logf("must_not VIOLATED %s", v)
	}
	return sc
}

func TestGoldReference(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no gold files in testdata: %v", err)
	}
	x, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, gf := range files {
		t.Run(filepath.Base(gf), func(t *testing.T) {
			raw, err := os.ReadFile(gf)
			if err != nil {
				t.Fatal(err)
			}
			var g gold
			if err := json.Unmarshal(raw, &g); err != nil {
				t.Fatalf("%s: %v", gf, err)
			}
			art := strings.TrimSuffix(gf, ".json") + ".txt"
			text, err := os.ReadFile(art)
			if err != nil {
				t.Fatal(err)
			}
			d := doc.ParseText(art, text)
			a, err := x.Extract(d)
			if err != nil {
				t.Fatal(err)
			}
			sc := scoreGold(t, a, g)
			t.Logf("entities %.0f%%, relations %.0f%%, must_not violations %d", 100*sc.entities, 100*sc.relations, len(sc.mustNot))
			if sc.entities < 0.90 {
				t.Errorf("entities: %.0f%% of gold found with their aliases, want >= 90%%", 100*sc.entities)
			}
			if sc.relations < 0.80 {
				t.Errorf("relations: %.0f%% of gold found, want >= 80%%", 100*sc.relations)
			}
			if len(sc.mustNot) > 0 {
				t.Errorf("must_not violated: %q", sc.mustNot)
			}
		})
	}
}
