// Package eval scores newsgraph's entity tagger and extractor against annotated
// data: CoNLL-2003 (entity spans, scored by loader/ner's exact-span rule),
// CoNLL04 (entities and strict relations on single sentences) and gold files laid
// out like examples/gold (entities by type and name or alias, relations by
// subject, predicate and object, with and without modality, and must_not items).
//
// Scoring is separate from reading and from running the extractor, so that every
// rule is testable on tiny hand-made inputs. Every table prints one row per type
// and ends with a line "F1 <overall F1>".
package eval

import (
	"fmt"
	"sort"
	"strings"
)

// Counts are the numbers behind precision, recall and F1.
type Counts struct {
	Gold      int `json:"gold"`      // items in the gold data
	Predicted int `json:"predicted"` // items predicted
	Correct   int `json:"correct"`   // predicted items that match a gold item
}

// Add returns the sum of c and d.
func (c Counts) Add(d Counts) Counts {
	return Counts{Gold: c.Gold + d.Gold, Predicted: c.Predicted + d.Predicted, Correct: c.Correct + d.Correct}
}

// Precision is Correct/Predicted in percent (0 when nothing was predicted).
func (c Counts) Precision() float64 {
	if c.Predicted == 0 {
		return 0
	}
	return 100 * float64(c.Correct) / float64(c.Predicted)
}

// Recall is Correct/Gold in percent (0 when there is nothing in the gold data).
func (c Counts) Recall() float64 {
	if c.Gold == 0 {
		return 0
	}
	return 100 * float64(c.Correct) / float64(c.Gold)
}

// F1 is the harmonic mean of precision and recall, in percent.
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Row is one named line of a table.
type Row struct {
	Name string `json:"name"`
	Counts
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Table is a block of rows and their total.
type Table struct {
	Title   string `json:"title"`
	Rows    []Row  `json:"rows"`
	Overall Row    `json:"overall"`
}

// NewTable builds a table from counts per name (rows sorted by name) and an
// overall row summing them.
func NewTable(title string, by map[string]Counts) Table {
	t := Table{Title: title}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	sort.Strings(names)
	var all Counts
	for _, n := range names {
		t.Rows = append(t.Rows, row(n, by[n]))
		all = all.Add(by[n])
	}
	t.Overall = row("overall", all)
	return t
}

func row(name string, c Counts) Row {
	return Row{Name: name, Counts: c, Precision: round2(c.Precision()), Recall: round2(c.Recall()), F1: round2(c.F1())}
}

func round2(f float64) float64 {
	return float64(int64(f*100+0.5)) / 100
}

// Text formats the table: a title line, a header and one line per row and overall.
func (t Table) Text() string {
	var b strings.Builder
	if t.Title != "" {
		fmt.Fprintf(&b, "%s\n", t.Title)
	}
	fmt.Fprintf(&b, "%-14s %7s %7s %7s %9s %7s %7s\n", "type", "gold", "pred", "correct", "precision", "recall", "F1")
	for _, r := range append(t.Rows[:len(t.Rows):len(t.Rows)], t.Overall) {
		fmt.Fprintf(&b, "%-14s %7d %7d %7d %9.2f %7.2f %7.2f\n", r.Name, r.Gold, r.Predicted, r.Correct, r.Precision, r.Recall, r.F1)
	}
	return b.String()
}

// Report is the result of one evaluation: its tables and the F1 that sums it up.
type Report struct {
	Task   string   `json:"task"`             // conll2003, conll04, gold
	Input  string   `json:"input"`            // the file or folder evaluated
	Tables []Table  `json:"tables"`           // entities, relations…
	Notes  []string `json:"notes,omitempty"`  // what was counted how; must_not violations
	F1     float64  `json:"f1"`               // the headline figure (see each task)
	Errors []string `json:"errors,omitempty"` // items that could not be evaluated
}

// Text formats the report: every table, the notes, and a last line "F1 <number>".
func (r Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", r.Task, r.Input)
	for _, t := range r.Tables {
		b.WriteString("\n")
		b.WriteString(t.Text())
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "%s\n", n)
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "error: %s\n", e)
	}
	fmt.Fprintf(&b, "\nF1 %.2f\n", r.F1)
	return b.String()
}
