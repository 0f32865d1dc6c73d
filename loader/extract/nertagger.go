package extract

import (
	"strings"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/ner"
)

// NERTagger adapts a loader/ner entity tagger to the Tagger interface: it tags the
// whole text as one document (ner.Tagger.TagText: the tagger's document-level
// features need it) and maps PER to person, ORG to organisation and LOC to city.
// MISC spans (nationalities, events, products) are dropped: the rules type
// demonyms and unknown names themselves. Since the extractor tries its gazetteer,
// role, district and facility rules first, the tagger's spans only decide names
// those rules do not know.
//
// It is the default Tagger: New uses it with the embedded model (ner.Default)
// unless Config.Tagger or Config.NoTagger say otherwise; "newsgraph extract
// --ner=false" and "newsgraph eval ... --ner=false" switch it off. With it the
// reference-article gold test stays at 19/19 entities and 16/16 relations; entity
// F1 on CoNLL04 dev rises from 61.6 to 68.1 and strict relation F1 from 61.4 to
// 61.9 (with the relation classifier; before it, 42.5 to 60.3 and 6.91 to 6.95);
// in FA-KES it types more names (persons 572 to 897, "other" 2583 to 1167, when
// it was written).
//
// Cost, one core, FA-KES development articles, on a machine shared with other
// builds (load average 6-7 on 2 cores; BenchmarkExtract, BenchmarkExtractRules,
// BenchmarkExtractClassifier): tagging takes about 0.35 CPU seconds per 137k
// tokens; the rules alone run about 700-800k tokens per CPU second, with the
// tagger about 150-210k, with the tagger and the relation classifier about
// 90-145k (wall-clock tokens/s are lower at that load). Tagging allocates little
// (about 2 MB per 402 articles) and the model adds about 62 MB of live memory.
type NERTagger struct {
	T *ner.Tagger
}

// tagger returns the Tagger the configuration asks for: none with NoTagger,
// else Tagger, else the embedded loader/ner tagger.
func (cfg Config) tagger() (Tagger, error) {
	switch {
	case cfg.NoTagger:
		return nil, nil
	case cfg.Tagger != nil:
		return cfg.Tagger, nil
	}
	t, err := ner.Default()
	if err != nil {
		return nil, err
	}
	return NERTagger{T: t}, nil
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
	var out []Span
	for _, s := range n.T.TagText(text) {
		typ, ok := nerTypes[s.Label]
		if !ok || s.Start < 0 || s.End > len(text) || s.Start >= s.End {
			continue
		}
		end := s.End
		if text[end-1] == '.' && end-1 > s.Start {
			// loader/ner keeps the stop of abbreviations ("Acme Corp."), the
			// extractor's tokenizer only that of dotted ones ("U.S."): the name is
			// "Acme Corp", before a stop.
			w := text[s.Start : end-1]
			w = w[strings.LastIndexAny(w, " \t\r\n")+1:]
			if !strings.Contains(w, ".") {
				end--
			}
		}
		out = append(out, Span{Start: s.Start, End: end, Type: typ})
	}
	return out
}
