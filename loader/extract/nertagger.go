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
