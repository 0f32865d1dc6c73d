package extract_test

import (
	"fmt"
	"time"

	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
)

func ExampleExtractor_Extract() {
	x, err := extract.New(extract.DefaultConfig())
	if err != nil {
		panic(err)
	}
	d := doc.Document{
		ID:        "example",
		Published: time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC),
		Text:      "Two hospitals in Aleppo were bombed on Tuesday by suspected Russian warplanes.",
	}
	a, err := x.Extract(d)
	if err != nil {
		panic(err)
	}
	for _, s := range a.Statements {
		fmt.Println(s.Subject.Name, s.Predicate, s.Object.Name, s.Modality, s.EventDate.Format("2006-01-02"))
	}
	// Output:
	// Russia bombed hospitals in Aleppo hedged 2016-09-27
	// hospitals in Aleppo located_in Aleppo asserted 2016-09-28
	// Russia bombed Aleppo hedged 2016-09-27
}
