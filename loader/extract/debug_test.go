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
	st.run()
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
