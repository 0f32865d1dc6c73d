package eval

import (
	"io"

	"github.com/newsgraph/newsgraph/loader/ner"
)

// CoNLL2003 tags a file in the CoNLL-2003 layout (word POS chunk tag, IOB tags,
// -DOCSTART- between documents) with t, document by document, and scores its
// spans with the exact-span rule of conlleval (ner.EvalCoNLL): a predicted span
// is correct when a gold span has the same first and last token and type. The
// report's F1 is the overall span F1.
func CoNLL2003(t *ner.Tagger, name string, r io.Reader) (Report, error) {
	sc, err := ner.EvalCoNLL(t, r)
	if err != nil {
		return Report{}, err
	}
	return coNLL2003Report(name, sc), nil
}

// coNLL2003Report turns ner's scores into a report.
func coNLL2003Report(name string, sc ner.Scores) Report {
	by := map[string]Counts{}
	for typ, c := range sc.Types {
		by[typ] = Counts{Gold: c.Gold, Predicted: c.Predicted, Correct: c.Correct}
	}
	t := NewTable("entities (exact span and type)", by)
	return Report{
		Task: "conll2003", Input: name, Tables: []Table{t},
		Notes: []string{"tokens " + itoa(sc.Tokens)},
		F1:    t.Overall.F1,
	}
}
