package extract

import (
	"fmt"
	"os"
	"testing"

	"github.com/newsgraph/newsgraph/loader/doc"
)

func TestDebugDump(t *testing.T) {
	path := os.Getenv("NG_DEBUG")
	if path == "" {
		t.Skip("NG_DEBUG not set")
	}
	raw, _ := os.ReadFile(path)
	d := doc.ParseText(path, raw)
	x, _ := New(DefaultConfig())
	st := &state{}
	st.reset(x, d)
	st.run(nil)
	for i, m := range st.ments {
		n := ""
		if m.ent != nil {
			n = string(m.ent.ref.Type) + ":" + m.ent.ref.Name
		}
		fmt.Printf("%d s%d k%d %q [%d..%d] as=%d %s -> %s inner=%v\n", i, m.sent, m.kind, st.text(m.as, m.e), m.s, m.e, m.as, m.typ, n, m.inner)
	}
	for _, s := range st.stmts {
		sp := ""
		if s.Speaker != nil {
			sp = s.Speaker.Name
		}
		fmt.Printf("%s --%s--> %s [%s %s %.2f %s] %s\n", s.Subject.Name, s.Predicate, s.Object.Name, s.Modality, sp, s.Confidence, s.EventDate.Format("2006-01-02"), s.Role)
	}
}

// TestDebugCorpus prints what Extract finds in the first NG_N articles of the JSON Lines
// file NG_JSONL (a development aid; skipped when unset).
func TestDebugCorpus(t *testing.T) {
	path := os.Getenv("NG_JSONL")
	if path == "" {
		t.Skip("NG_JSONL not set")
	}
	docs := readCorpus(t, path, 0)
	n, skip := 5, 0
	fmt.Sscan(os.Getenv("NG_N"), &n)
	fmt.Sscan(os.Getenv("NG_SKIP"), &skip)
	x, _ := New(DefaultConfig())
	for i := skip; i < len(docs) && i < skip+n; i++ {
		a, err := x.Extract(docs[i])
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("=== %s %s\n", a.ID, a.Title)
		for _, e := range a.Entities {
			fmt.Printf("  E %s %q %q\n", e.Type, e.Name, e.Aliases)
		}
		for _, s := range a.Statements {
			sp := ""
			if s.Speaker != nil {
				sp = " speaker=" + s.Speaker.Name
			}
			fmt.Printf("  R %s --%s--> %s [%s%s %.2f %s %s] %.150q\n", s.Subject.Name, s.Predicate, s.Object.Name, s.Modality, sp, s.Confidence, s.EventDate.Format("2006-01-02"), s.Role, s.Sentence)
		}
	}
}
