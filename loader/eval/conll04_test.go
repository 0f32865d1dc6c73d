package eval

import (
	"os"
	"testing"

	"github.com/newsgraph/newsgraph/loader/extract"
)

// minCoNLL04DevF1 is the floor of the product extractor's strict relation F1 on
// CoNLL04 dev (issue 4) with every classifier relation kept: what `newsgraph eval
// conll04 --classifier all conll04_dev.json` prints.
const minCoNLL04DevF1 = 60

// TestCoNLL04DevFloor scores the extractor on CoNLL04 dev, as the eval command does,
// with all five of the classifier's relations kept, and fails below the floor; the
// default configuration (located_in and based_in from the classifier, see
// extract.DefaultClassifierPredicates) and the classifier off are only logged.
//
//	go test -count=1 -v -run CoNLL04DevFloor ./loader/eval
func TestCoNLL04DevFloor(t *testing.T) {
	p := sharedData(t, "conll04/conll04_dev.json")
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	sents, err := ReadCoNLL04(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	all := extract.DefaultConfig()
	all.ClassifierPredicates = extract.AllClassifierPredicates
	xa, err := extract.New(all)
	if err != nil {
		t.Fatal(err)
	}
	r := CoNLL04(xa, p, sents)
	t.Logf("\n%s", r.Text())
	if len(r.Errors) > 0 {
		t.Errorf("errors %q", r.Errors)
	}
	if r.F1 < minCoNLL04DevF1 {
		t.Errorf("CoNLL04 dev strict relation F1 %.2f < %d", r.F1, minCoNLL04DevF1)
	}
	cfg := extract.DefaultConfig()
	cfg.NoRelationClassifier = true
	x, err := extract.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("without the relation classifier: F1 %.2f", CoNLL04(x, p, sents).F1)
	t.Logf("default configuration: F1 %.2f", CoNLL04(testExtractor(t), p, sents).F1)
}
