package graph

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

// synthNames builds an index of n entities with generated two- and three-word names
// (given name, optional particle, family name) drawn from syllables, so that names
// share words the way real ones do, and returns it with the names.
func synthNames(n int) (*nameIndex, []string) {
	syl := []string{"ka", "lo", "ve", "ri", "na", "so", "mar", "tin", "el", "ba", "ra", "di", "us", "on", "ler", "go", "vich", "ova", "sen", "ha"}
	r := rand.New(rand.NewPCG(1, 2))
	word := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		s := b.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	x := newNameIndex()
	names := make([]string, n)
	types := EntityTypes[:5]
	for i := range n {
		name := word(2) + " " + word(2+r.IntN(2))
		if r.IntN(10) == 0 {
			name = word(2) + " al-" + word(2)
		}
		names[i] = name
		e := &entInfo{IRI: fmt.Sprintf("ng:e/%s/%d", types[i%5], i), Type: types[i%5], Name: name, Mentions: r.IntN(100)}
		if r.IntN(3) == 0 {
			e.Aliases = []string{strings.Fields(name)[1]}
		}
		x.put(e)
	}
	return x, names
}

// typo changes one rune of the last word of name: deletes, doubles, replaces or swaps.
func typo(r *rand.Rand, name string) string {
	ws := strings.Fields(name)
	w := []rune(ws[len(ws)-1])
	i := 1 + r.IntN(len(w)-2)
	switch r.IntN(4) {
	case 0:
		w = append(w[:i], w[i+1:]...)
	case 1:
		w = append(w[:i+1], w[i:]...)
	case 2:
		w[i] = 'q'
	case 3:
		w[i], w[i+1] = w[i+1], w[i]
	}
	ws[len(ws)-1] = string(w)
	return strings.Join(ws, " ")
}

// TestNameIndexScale: at 120,000 entities a fuzzy search finds the entity a typo was
// made from and looks at a small share of the keys (no scan of every name); dropping
// every entity leaves the index empty.
func TestNameIndexScale(t *testing.T) {
	n := 120_000
	if testing.Short() {
		n = 20_000
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x, names := synthNames(n)
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("%d entities: %d keys, %d words, %d prefixes, %d runes, ~%d MiB",
		n, len(x.keys), len(x.words), len(x.pre), len(x.runes), (after.HeapAlloc-before.HeapAlloc)>>20)
	r := rand.New(rand.NewPCG(3, 4))
	worst := 0
	for range 200 {
		i := r.IntN(n)
		q := typo(r, names[i])
		qs := fold(q)
		if c := len(x.candidates(Fuzzy, qs)); c > worst {
			worst = c
		}
		hits, err := x.search(context.Background(), Fuzzy, qs, nil)
		if err != nil {
			t.Fatal(err)
		}
		iri := fmt.Sprintf("ng:e/%s/%d", EntityTypes[i%5], i)
		found := false
		for _, h := range hits {
			found = found || h.e.IRI == iri
		}
		if !found {
			t.Errorf("fuzzy %q (from %q) did not find %s among %d hits", q, names[i], iri, len(hits))
		}
	}
	if limit := len(x.keys) / 20; worst > limit {
		t.Errorf("a fuzzy search checked %d candidate keys of %d, want at most %d", worst, len(x.keys), limit)
	}
	t.Logf("most candidate keys checked by one fuzzy search: %d of %d", worst, len(x.keys))
	// For scale: what one search cost when it compared the query with every key.
	start := time.Now()
	sc := &scratch{}
	q := fold(typo(r, names[0]))
	for _, ke := range x.keys {
		match(Fuzzy, []rune(q), q, ke.key, ke, sc)
	}
	scan := time.Since(start)
	start = time.Now()
	if _, err := x.search(context.Background(), Fuzzy, q, nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("fuzzy %q: scanning every key %v, through the index %v", q, scan, time.Since(start))
	for i := range n {
		x.drop(fmt.Sprintf("ng:e/%s/%d", EntityTypes[i%5], i))
	}
	if len(x.ents)+len(x.keys)+len(x.words)+len(x.pre)+len(x.runes) != 0 {
		t.Errorf("after dropping every entity: %d entities, %d keys, %d words, %d prefixes, %d runes",
			len(x.ents), len(x.keys), len(x.words), len(x.pre), len(x.runes))
	}
}

// BenchmarkNameIndex searches an index of 120,000 entities:
//
//	go test ./graph -run '^$' -bench NameIndex
func BenchmarkNameIndex(b *testing.B) {
	x, names := synthNames(120_000)
	r := rand.New(rand.NewPCG(5, 6))
	for _, mode := range []struct {
		name string
		mode SearchMode
	}{{"exact", Exact}, {"prefix", Prefix}, {"fuzzy", Fuzzy}} {
		b.Run("entities=120000/mode="+mode.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				name := names[r.IntN(len(names))]
				q := fold(name)
				switch mode.mode {
				case Prefix:
					q = q[:len(q)-2]
				case Fuzzy:
					q = fold(typo(r, name))
				}
				if _, err := x.search(context.Background(), mode.mode, q, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
