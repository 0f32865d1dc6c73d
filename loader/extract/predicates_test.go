package extract

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestPredicates: an extractor's predicates are its vocabulary's relations, the
// structural ones and those kept from the relation classifier, sorted, each once.
func TestPredicates(t *testing.T) {
	vocab := filepath.Join(t.TempDir(), "vocab.tsv")
	if err := os.WriteFile(vocab, []byte("threatened\tverb\tthreaten\tthreatens\tthreatened\tthreatened\tthreatening\nlives_in\tverb\treside\tresides\tresided\tresided\tresiding\tin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		cfg  Config
		want []string
	}{
		{"own vocabulary, no classifier", Config{VocabularyPath: vocab, NoRelationClassifier: true, NoTagger: true, NoParser: true},
			[]string{"based_in", "holds_role", "lives_in", "located_in", "member_of", "threatened"}},
		{"own vocabulary, classifier", Config{VocabularyPath: vocab, NoTagger: true, NoParser: true},
			[]string{"based_in", "holds_role", "killed", "lives_in", "located_in", "member_of", "threatened"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			x, err := New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			if got := x.Predicates(); !slices.Equal(got, tt.want) {
				t.Errorf("Predicates() = %v, want %v", got, tt.want)
			}
		})
	}
	x, err := New(Config{NoTagger: true, NoParser: true, NoRelationClassifier: true})
	if err != nil {
		t.Fatal(err)
	}
	got := x.Predicates()
	for _, w := range append(x.vocab.Relations(), StructuralPredicates...) {
		if !slices.Contains(got, w) {
			t.Errorf("Predicates() = %v lacks %q", got, w)
		}
	}
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("Predicates() = %v, want sorted, each once", got)
	}
}
