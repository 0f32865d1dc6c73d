package loader_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
)

// TestResolutionAcrossArticles loads articles through the pipeline into one store: an
// entity keeps one IRI (canonical name and type) across articles whatever spelling an
// article uses, its aliases accumulate, and two people who share a surname stay two
// entities, each with the surname as an alias of its own article.
func TestResolutionAcrossArticles(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	p := newPipeline(t, s, 8)
	day := time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)
	docs := []doc.Document{
		{ID: "smith-senator", Published: day, Text: "Senator John Smith criticised the ceasefire plan on Monday. " +
			"Smith said the United States could not trust Russia."},
		{ID: "smith-mayor", Published: day, Text: "Mayor Jane Smith welcomed refugees from Syria to Boston on Tuesday. " +
			"Smith said the city would help."},
		{ID: "lavrov-1", Published: day, Text: "Russian Foreign Minister Sergei Lavrov met John Kerry in Geneva on Friday. " +
			"Lavrov said the talks were useful."},
		{ID: "lavrov-2", Published: day, Text: "Sergey Lavrov condemned the air strikes on Aleppo on Saturday. " +
			"The Russian foreign minister spoke to reporters in Moscow."},
	}
	sum, err := p.Run(ctx, func(ctx context.Context, yield func(doc.Item) error) error {
		for _, d := range docs {
			if err := yield(doc.Item{Doc: d}); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil || sum.Stored != len(docs) {
		t.Fatalf("load: %+v, %v", sum, err)
	}

	people, err := s.SearchEntities(ctx, graph.SearchQuery{Text: "Smith", Types: []graph.EntityType{graph.Person}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range people {
		names = append(names, e.Name)
		if !slices.Contains(e.Aliases, "Smith") {
			t.Errorf("%s: aliases %q lack the surname of its article", e.Name, e.Aliases)
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"Jane Smith", "John Smith"}) {
		t.Errorf("persons named Smith: %q, want Jane Smith and John Smith apart", names)
	}

	lavrov, err := s.Entity(ctx, graph.EntityRef{Type: graph.Person, Name: "Sergey Lavrov"}.IRI())
	if err != nil {
		t.Fatalf("Sergey Lavrov: %v", err)
	}
	if lavrov.Mentions != 2 {
		t.Errorf("Sergey Lavrov mentioned by %d articles, want 2 (both spellings are one entity)", lavrov.Mentions)
	}
	for _, a := range []string{"Sergei Lavrov", "Lavrov", "Russian foreign minister"} {
		if !slices.Contains(lavrov.Aliases, a) {
			t.Errorf("Sergey Lavrov's aliases %q lack %q (aliases of both articles accumulate)", lavrov.Aliases, a)
		}
	}
	all, err := s.SearchEntities(ctx, graph.SearchQuery{Text: "Lavrov", Types: []graph.EntityType{graph.Person}})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 {
		t.Errorf("search Lavrov: %d persons, want 1: %+v", len(all), all)
	}
}
