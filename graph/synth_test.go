package graph_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// synth generates fake but realistic articles: entities drawn from a power-law
// (Zipf) distribution, so a few (the "United States" of the corpus) appear in most
// articles and most appear in few; statements between the entities of an article with
// the vocabulary's predicates, dated within a month, from a handful of outlets.
type synth struct {
	entities []graph.EntityRef
	aliases  [][]string
}

var (
	synthPreds   = []string{"warned", "bombed", "attacked", "condemned", "seized", "met", "killed", "located_in", "holds_role", "member_of"}
	synthSources = []string{"Reuters", "AP", "AFP", "BBC", "Al Jazeera", "The New Arab", "DW", "Le Monde", "El País", "TASS"}
	synthTypes   = []graph.EntityType{graph.Person, graph.State, graph.City, graph.Facility, graph.Organisation}
	syllables    = []string{"al", "ba", "ker", "ov", "ri", "sa", "mo", "na", "de", "lu", "tor", "vik", "ze", "qui", "ham"}
)

func newSynth(entities int) *synth {
	g := &synth{}
	for i := range entities {
		name := ""
		for j := 0; j < 2+i%3; j++ {
			name += syllables[(i*7+j*13+j*i)%len(syllables)]
		}
		name = fmt.Sprintf("%s %d", name, i) // unique: no two names share a slug
		ref := graph.EntityRef{Type: synthTypes[i%len(synthTypes)], Name: name}
		g.entities = append(g.entities, ref)
		g.aliases = append(g.aliases, []string{fmt.Sprintf("E%d", i), fmt.Sprintf("the %s", name)})
	}
	return g
}

// article returns article n, version v (another version has other statements).
func (g *synth) article(n, v int) *graph.Article {
	// Each article has its own generator: articles do not depend on the order asked.
	r := rand.New(rand.NewPCG(uint64(n)*1_000_003+uint64(v), 42))
	zipf := rand.NewZipf(r, 1.2, 2, uint64(len(g.entities)-1))
	ents := map[int]bool{}
	for want := 4 + r.IntN(8); len(ents) < want && len(ents) < len(g.entities); {
		ents[int(zipf.Uint64())] = true
	}
	idx := slices.Sorted(maps.Keys(ents))
	published := time.Date(2016, 9, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n%30) * 24 * time.Hour)
	a := &graph.Article{
		ID:        fmt.Sprintf("synth-%06d", n),
		Title:     fmt.Sprintf("Synthetic article %d", n),
		URL:       fmt.Sprintf("https://example.org/%d", n),
		Source:    synthSources[n%len(synthSources)],
		Published: published,
		Hash:      fmt.Sprintf("h%d-v%d", n, v),
	}
	for _, i := range idx {
		a.Entities = append(a.Entities, graph.ArticleEntity{EntityRef: g.entities[i], Aliases: g.aliases[i][:1+r.IntN(2)]})
	}
	for s := 0; s < 3+r.IntN(8); s++ {
		subj, obj := idx[r.IntN(len(idx))], idx[r.IntN(len(idx))]
		if subj == obj {
			continue
		}
		st := graph.Statement{
			Subject:    g.entities[subj],
			Predicate:  synthPreds[r.IntN(len(synthPreds))],
			Object:     g.entities[obj],
			Sentence:   fmt.Sprintf("Sentence %d of article %d, version %d.", s, n, v),
			Start:      s * 100,
			End:        s*100 + 40,
			EventDate:  published.Add(-time.Duration(r.IntN(3)) * 24 * time.Hour),
			Confidence: 0.5 + float64(r.IntN(50))/100,
			Modality:   graph.Modalities[r.IntN(len(graph.Modalities))],
		}
		if st.Modality == graph.Reported {
			sp := g.entities[idx[0]]
			st.Speaker = &sp
		}
		if st.Predicate == "holds_role" {
			st.Role = "Minister"
		}
		a.Statements = append(a.Statements, st)
	}
	return a
}
