package extract

import (
	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/ner"
)

// NERTagger adapts a loader/ner entity tagger to the Tagger interface: it splits
// the text into sentences with ner.SplitSentences, tags the whole document (the
// tagger's document-level features need it) and maps PER to person, ORG to
// organisation and LOC to city. MISC spans (nationalities, events, products) are
// dropped: the rules type demonyms and unknown names themselves. Since the
// extractor tries its gazetteer, role, district and facility rules first, the
// tagger's spans only decide names those rules do not know.
//
// It is not the default Tagger (DefaultConfig has none). Measured when it was
// written: the reference-article gold test stays at 19/19 entities and 16/16
// relations with it; it raises entity F1 on CoNLL04 dev from 42.5 to 60.3 (Peop
// recall 37.8 to 64.3, Loc 56.2 to 76.7) and types more names in FA-KES (persons
// 572 to 897, "other" 2583 to 1167), but strict relation F1 on CoNLL04 moves only
// from 6.91 to 6.95 and FA-KES statements from 1304 to 1379; and extraction on one
// core falls from about 580k to about 105k tokens/s in the same run (79k-120k over
// several runs on a shared machine: BenchmarkExtract vs BenchmarkExtractNER), too
// close to the 100k tokens/s floor to make it the default. Use it with
// Config.Tagger, or "newsgraph extract --ner" and "newsgraph eval ... --ner".
type NERTagger struct {
	T *ner.Tagger
}

// nerTypes maps CoNLL-2003 labels to entity types.
var nerTypes = map[string]graph.EntityType{
	"PER": graph.Person,
	"ORG": graph.Organisation,
	"LOC": graph.City,
}

// Tag returns the tagger's spans of text with byte offsets, ordered by Start.
func (n NERTagger) Tag(text string) []Span {
	if n.T == nil || text == "" {
		return nil
	}
	sents := ner.SplitSentences(text)
	var out []Span
	for i, spans := range n.T.Tag(sents) {
		for _, s := range spans {
			typ, ok := nerTypes[s.Label]
			if !ok || s.Start < 0 || s.End > len(sents[i]) || s.Start >= s.End {
				continue
			}
			out = append(out, Span{Start: sents[i][s.Start].Start, End: sents[i][s.End-1].End, Type: typ})
		}
	}
	return out
}
