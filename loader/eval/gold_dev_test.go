package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsgraph/newsgraph/loader/extract"
)

// Floors of the default extractor on ../shared/examples-dev (hand gold of real FA-KES
// and Reuters articles), set just under what it reaches: relation F1 72.73, entity
// F1 89.33, no must_not violation.
const (
	minExamplesDevRelationF1 = 72.0
	minExamplesDevEntityF1   = 89.0
	maxExamplesDevViolations = 1
)

// TestExamplesDevFloor scores the default extractor on examples-dev as `newsgraph
// eval gold ../shared/examples-dev` does and fails below the floors. It skips when
// ../shared is absent.
//
//	go test -count=1 -v -run ExamplesDevFloor ./loader/eval
func TestExamplesDevFloor(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "examples-dev")
	if _, err := os.Stat(filepath.Join(dir, "gold")); err != nil {
		t.Skipf("../shared/examples-dev absent (%v): the real-news floor needs it", err)
	}
	x, err := extract.New(extract.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	r, err := GoldDir(x, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r.Text())
	ent, violations := -1.0, 0
	for _, tb := range r.Tables {
		if strings.HasPrefix(tb.Title, "entities") {
			ent = tb.Overall.F1
		}
	}
	for _, n := range r.Notes {
		if strings.Contains(n, "must_not VIOLATED") {
			violations++
		}
	}
	if r.F1 < minExamplesDevRelationF1 {
		t.Errorf("relation F1 %.2f, floor %.2f", r.F1, minExamplesDevRelationF1)
	}
	if ent < minExamplesDevEntityF1 {
		t.Errorf("entity F1 %.2f, floor %.2f", ent, minExamplesDevEntityF1)
	}
	if violations > maxExamplesDevViolations {
		t.Errorf("%d must_not violations, at most %d", violations, maxExamplesDevViolations)
	}
}
