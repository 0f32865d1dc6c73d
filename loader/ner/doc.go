// Package ner is newsgraph's entity tagger: it finds the persons (PER), locations
// (LOC), organisations (ORG) and other names (MISC: nationalities, events, products…)
// in English news text. It is pure Go (plus one SSE2 routine in Go assembly on
// amd64; -tags purego replaces it with Go), needs no files at run time (the model is
// embedded with go:embed) and is deterministic: the same document always gets the
// same spans.
//
//	tg, err := ner.Default()
//	if err != nil { … }
//	for _, s := range tg.TagText(article) { // byte offsets into article
//		fmt.Println(s.Label, article[s.Start:s.End])
//	}
//
// TagText is SplitSentences followed by Tag, which take and give tokens:
//
//	doc := ner.SplitSentences(article)     // [][]ner.Token with byte offsets
//	for i, spans := range tg.Tag(doc) {
//		for _, s := range spans {
//			first, last := doc[i][s.Start], doc[i][s.End-1]
//			fmt.Println(s.Label, article[first.Start:last.End])
//		}
//	}
//
// A Tagger keeps the scratch space of finished calls for the next ones, so tagging
// allocates little; loader/extract uses the embedded tagger by default.
//
// # Speed and memory
//
// Tagging is bound by memory reads: per token about 13 weight rows of the model's
// 49,611 feature rows and 34,609 vocabulary words (about 40 MB of tables, in huge
// pages on Linux; see internal/hugemem), then two Viterbi passes over 17 labels. The
// embedded model adds about 2 MB to a binary and, once loaded, about 62 MB of live
// memory (45 MB of tables, outside the Go heap on Linux, and 17 MB of Go heap; the
// process's resident size grows by about 80 MB). BenchmarkTag reports tokens/s
// and tokens per CPU second on the FA-KES development articles.
//
// # Model
//
// Two stacked averaged structured perceptrons over BILOU labels, each decoded with
// first-order Viterbi restricted to valid BILOU sequences. Features are hashed to
// 64-bit keys (FNV-1a, mixed); the model keeps only weights of magnitude ≥ 1 (in
// averaged update counts) as float32. The first stage sees, for each token:
//   - the word form, lower-case form, long and short shape, prefixes and suffixes of
//     1–4 letters, length, case flags;
//   - three nested word clusters (coarse/middle/fine) of the word and of its lower-case
//     form, and how often the lower-case form is capitalised inside sentences in the
//     unlabelled corpora;
//   - the same for the words at ±1 and ±2 (fewer templates), bigrams, shape trigrams,
//     cluster bigrams, neighbour word with own shape;
//   - sentence position, headline (all-caps) and table-like (mostly numbers) sentences,
//     the run of capitalised words the token is in;
//   - gazetteer matches (longest phrase per category, BILOU position) of the token and
//     its neighbours: countries, demonyms, cities, regions, organisations, persons,
//     first and last names;
//   - document-level case: whether the word appears in lower case elsewhere in the
//     document, capitalised inside a sentence elsewhere, and the longest capitalised
//     run it is part of anywhere in the document.
//
// The second stage sees all of that plus the first stage's labels around the token and
// its document-level prediction history: the type the first stage gave most often to
// the same word and to the same entity phrase elsewhere in the document, and the type
// of the word's first mention. It is trained on first-stage labels from 5-fold
// jackknifing (held-out labels), so it learns to correct realistic mistakes. Each stage
// (and each fold) is the average of 3 perceptrons trained with different shuffles.
//
// Tag needs whole documents for the document-level features: tagging an article
// sentence by sentence gives slightly worse (and different) results.
//
// # Data, sources and licences
//
// The model file (model.bin) is made from these inputs in ../shared/data; their terms
// apply to it:
//   - CoNLL-2003 English NER, eng.train (training) and eng.testa (scoring only), via
//     ZhixiuYe/HSCRF-pytorch @ 86bb6489 : data/. Reuters text; research use only. The
//     trained weights derive from it, so treat model.bin as research-use data.
//   - Word clusters and case ratios (resources/words.tsv.gz) from all unlabelled text
//     of corpora/*.jsonl — Reuters-21578 (mihaibogdan10/json-reuters-21578 @ af8b9c60;
//     research use, "Reuters-21578, Distribution 1.0") and FA-KES (fmohsen/Fake-news-res
//     @ 396124a8; CC BY 4.0, Abu Salem et al., ICWSM 2019) — plus the words of eng.train.
//   - The gazetteer (resources/gazetteer.tsv.gz) from mledoze/countries @ 5e9f3700
//     (ODbL 1.0), GeoNames cities15000, countryInfo and regionInfo via
//     ali-hv/geobank-data @ 87f4be9e (CC BY 4.0, © GeoNames), and the PETRARCH2 Phoenix
//     actor dictionaries, openeventdata/petrarch2 @ 676801cd (MIT).
//
// The model carries its own copy of the clusters and gazetteer, so it does not change
// when loader/gazetteer (a separate, richer list for the extractor) does.
//
// # Rebuilding the model
//
// From the repository root, with ../shared/data present (about 1.5 + 0 + 2–3 minutes
// on 2 cores; every step is seeded and reproducible):
//
//	go run ./loader/ner/cmd/nerclusters -data ../shared/data -out loader/ner/resources/words.tsv.gz
//	go run ./loader/ner/cmd/nergazetteer -data ../shared/data -out loader/ner/resources/gazetteer.tsv.gz
//	go run ./loader/ner/cmd/nertrain -train ../shared/data/conll2003/eng.train -dev ../shared/data/conll2003/eng.testa -out loader/ner/model.bin
//
// nertrain prints the eng.testa scores; the same table comes from EvalCoNLL and from
// `go test -run TestEvalTesta -v ./loader/ner`, which fails if the embedded model falls
// more than 0.5 F1 below the score it was committed with. BenchmarkTag measures tagging
// speed on corpora/fakes-syria-dev.jsonl.
//
// # Caveats
//
//   - eng.testa is the development split of the same 1996 Reuters collection as the
//     training data. On later news with more unseen names, feature-based taggers of
//     this kind lose about 6 F1 (see ../shared/notes/ner.md); expect roughly 86–88
//     there, ORG and MISC being the weakest types. eng.testa was used to choose the
//     features and settings, so its score is optimistic, and the committed model's
//     93.6 is at the upper end of what these settings give: other shuffling seeds
//     give 93.4–93.6, and word clusters rebuilt from a slightly different vocabulary
//     gave 93.0. TestEvalCoNLL04 scores PER/LOC/ORG on CoNLL04 news sentences (other
//     annotators and rules, no document context): about 69 F1.
//   - CoNLL-2003 conventions are learned as they are: sports teams named after cities
//     are ORG ("Seattle beat Texas"), nationalities and adjectives of place are MISC
//     ("Russian"), a place in a company name belongs to the ORG.
//   - Text without normal capitalisation (all lower case, all capitals, chat) or with
//     stripped punctuation (as in the FA-KES corpus) is tagged less accurately.
//   - Tokenize follows CoNLL-2003 conventions, and SplitSentences is a heuristic
//     (abbreviations such as "U.S." at a sentence end do not end the sentence; new
//     lines end one only when a blank or indented line follows).
//   - Names seen in training are partly memorised (word-form features); the cluster,
//     gazetteer, shape and document-level features are what carry over to new names.
package ner
