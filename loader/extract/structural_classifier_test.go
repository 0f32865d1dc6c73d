package extract

import (
	"errors"
	"testing"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/ner"
)

func stmtSet(a *graph.Article) map[string]graph.Statement {
	m := map[string]graph.Statement{}
	for _, s := range a.Statements {
		m[s.Subject.Name+" "+s.Predicate+" "+s.Object.Name] = s
	}
	return m
}

func TestClassifierStage(t *testing.T) {
	text := "John Smith, president of Acme Corp., lives in Boston. Walesa said Solidarity wants to avoid unrest."
	d := doc.Document{ID: "c1", Text: text}
	cfg := DefaultConfig()
	cfg.ClassifierPredicates = AllClassifierPredicates
	x, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The default configuration takes all five predicates from the classifier.
	def, err := newTestExtractor(t).Extract(d)
	if err != nil {
		t.Fatal(err)
	}
	if got := stmtSet(def); got["Acme Corp based_in Boston"].Predicate == "" || got["Walesa member_of Solidarity"].Predicate == "" {
		t.Errorf("default configuration: %v, want based_in and member_of", got)
	}
	a, err := x.Extract(d)
	if err != nil {
		t.Fatal(err)
	}
	got := stmtSet(a)
	// a person working for a body under a title the sentence gives holds that role
	if r := got["John Smith holds_role Acme Corp"].Role; r != "president" {
		t.Errorf("John Smith holds_role Acme Corp: role %q, want president (%v)", r, got)
	}
	for _, want := range []string{"John Smith holds_role Acme Corp", "Acme Corp based_in Boston", "Walesa member_of Solidarity"} {
		s, ok := got[want]
		if !ok {
			t.Errorf("no %q in %v", want, got)
			continue
		}
		if s.Confidence < 0.5 || s.Confidence > 0.95 || s.Sentence == "" || s.Start >= s.End {
			t.Errorf("%q: confidence %.2f, evidence %q [%d, %d)", want, s.Confidence, s.Sentence, s.Start, s.End)
		}
	}
	// deterministic
	for range 3 {
		b, _ := x.Extract(d)
		if len(b.Statements) != len(a.Statements) || len(b.Entities) != len(a.Entities) {
			t.Fatal("not deterministic")
		}
		for i := range b.Statements {
			if b.Statements[i] != a.Statements[i] {
				t.Fatalf("not deterministic: %v vs %v", b.Statements[i], a.Statements[i])
			}
		}
	}
	// Explain shows the classifier's relations
	ex, err := x.Explain(d)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range ex.Sentences {
		n += len(s.Relations)
	}
	if n != len(a.Statements) {
		t.Errorf("explain has %d relations, extract %d", n, len(a.Statements))
	}
	// the switch turns the stage off
	off, err := New(Config{NoRelationClassifier: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := off.Extract(d)
	if err != nil {
		t.Fatal(err)
	}
	for k := range stmtSet(b) {
		if k == "Walesa member_of Solidarity" || k == "John Smith member_of Acme Corp" {
			t.Errorf("classifier off, but %q", k)
		}
	}
}

// benchExtract extracts the FA-KES corpus with x, reporting tokens per second of
// wall time and of process CPU time (steadier on a shared machine).
func benchExtract(b *testing.B, x *Extractor) {
	docs := readCorpus(b, corpusPath("fakes-syria-dev.jsonl"), 0)
	tokens := 0
	var toks []token
	for _, d := range docs {
		toks = tokenize(d.Text, toks)
		tokens += len(toks)
	}
	x.Extract(docs[0]) // load the models
	b.ReportAllocs()
	b.ResetTimer()
	c0 := stageCPU()
	for b.Loop() {
		for _, d := range docs {
			if _, err := x.Extract(d); err != nil {
				b.Fatal(err)
			}
		}
	}
	total := float64(tokens) * float64(b.N)
	b.ReportMetric(total/b.Elapsed().Seconds(), "tokens/s")
	if c := stageCPU() - c0; c0 >= 0 && c > 0 {
		b.ReportMetric(total/c, "cpu-tokens/s")
	}
}

// BenchmarkExtractClassifier compares extraction with and without the classifier
// stage, with DefaultConfig and with the ner tagger set explicitly:
//
//	go test -run '^$' -bench ExtractClassifier -benchtime 3x -count 3 -cpu 1 ./loader/extract
func BenchmarkExtractClassifier(b *testing.B) {
	mk := func(cfg Config) *Extractor {
		x, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		return x
	}
	t, err := ner.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("default/off", func(b *testing.B) { benchExtract(b, mk(Config{NoRelationClassifier: true})) })
	b.Run("default/on", func(b *testing.B) { benchExtract(b, mk(Config{})) })
	b.Run("ner/off", func(b *testing.B) { benchExtract(b, mk(Config{Tagger: NERTagger{T: t}, NoRelationClassifier: true})) })
	b.Run("ner/on", func(b *testing.B) { benchExtract(b, mk(Config{Tagger: NERTagger{T: t}})) })
}

// TestClassifierStageConcurrent extracts the same articles from several goroutines
// with one Extractor and compares with a sequential run.
func TestClassifierStageConcurrent(t *testing.T) {
	texts := []string{
		"John Smith, president of Acme Corp., lives in Boston. Walesa said Solidarity wants to avoid unrest.",
		"Gary Hess, an Emery employee, saw the plane go down. Jack Ruby shot Lee Harvey Oswald in Dallas, Texas.",
		"Sun Hung Kai Properties, a Hong Kong construction firm, said Morgan City, La., was flooded.",
	}
	x := newTestExtractor(t)
	want := make([]*graph.Article, len(texts))
	for i, s := range texts {
		a, err := x.Extract(doc.Document{ID: "d", Text: s})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = a
	}
	done := make(chan error)
	for g := range 4 {
		go func() {
			var err error
			for r := range 20 {
				i := (g + r) % len(texts)
				a, _ := x.Extract(doc.Document{ID: "d", Text: texts[i]})
				if len(a.Statements) != len(want[i].Statements) {
					err = errDiff
					continue
				}
				for k := range a.Statements {
					if a.Statements[k] != want[i].Statements[k] {
						err = errDiff
					}
				}
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

var errDiff = errors.New("concurrent extraction differs from sequential")
