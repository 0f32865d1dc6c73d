package graph_test

import (
	"context"
	"fmt"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// Store an article, then ask who John Kerry warned and how to get from him to Russia.
func Example() {
	ctx := context.Background()
	cfg := graph.DefaultConfig()
	cfg.Backend = graph.BackendMemstore // or: cfg.Path = "/var/lib/newsgraph" for bolt
	s, err := graph.Open(ctx, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	kerry := graph.EntityRef{Type: graph.Person, Name: "John Kerry"}
	lavrov := graph.EntityRef{Type: graph.Person, Name: "Sergei Lavrov"}
	russia := graph.EntityRef{Type: graph.State, Name: "Russia"}
	day := time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)
	res, err := s.PutArticles(ctx, []*graph.Article{{
		ID: "us-threatens-to-end-syria-talks", Title: "US threatens to end Syria talks with Russia",
		Source: "The New Arab", Published: day, Hash: "sha256:1",
		Entities: []graph.ArticleEntity{{EntityRef: kerry, Aliases: []string{"Kerry"}}},
		Statements: []graph.Statement{
			{Subject: kerry, Predicate: "warned", Object: lavrov, EventDate: day, Confidence: 0.9,
				Sentence: "Kerry phoned his Russian counterpart to deliver the ultimatum."},
			{Subject: lavrov, Predicate: "holds_role", Object: russia, Role: "Foreign Minister", Confidence: 1,
				Sentence: "He informed the foreign minister (Lavrov)."},
		},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res[0].Status)

	page, _ := s.Relations(ctx, graph.RelationQuery{EntityID: kerry.IRI(), Predicates: []string{"warned"}})
	for _, r := range page.Relations {
		fmt.Printf("%s %s %s: %q (%s)\n", r.Subject.Name, r.Predicate, r.Object.Name, r.Evidence[0].Sentence, r.Evidence[0].Source)
	}
	paths, _ := s.Paths(ctx, graph.PathQuery{From: kerry.IRI(), To: russia.IRI()})
	for _, h := range paths[0].Hops {
		fmt.Printf("%s -%s-> %s\n", h.From.Name, h.Predicate, h.To.Name)
	}
	found, _ := s.SearchEntities(ctx, graph.SearchQuery{Text: "kery", Mode: graph.Fuzzy})
	fmt.Println(found[0].ID, found[0].Aliases)
	// Output:
	// stored
	// John Kerry warned Sergei Lavrov: "Kerry phoned his Russian counterpart to deliver the ultimatum." (The New Arab)
	// John Kerry -warned-> Sergei Lavrov
	// Sergei Lavrov -holds_role-> Russia
	// ng:e/person/john_kerry [Kerry]
}
