// Package relclass extracts CoNLL04's structural relations (Work_For, Live_In,
// Located_In, OrgBased_In, Kill) between entities (Peop, Loc, Org, Other) of a
// sentence, in pure Go and deterministically, from models embedded with go:embed:
//
//   - entities.bin: loader/ner's averaged perceptron (first-order Viterbi over BILOU
//     labels, its word clusters and gazetteer) trained on CoNLL04's own entity
//     annotation, Peop/Loc/Org/Other as PER/LOC/ORG/MISC (4 perceptrons averaged,
//     15 epochs, one stage);
//   - relations.bin: a pairwise classifier, an averaged multiclass perceptron (5
//     averaged, 10 epochs) over ordered entity pairs, with features of the types,
//     order and distance, the words and bigrams between, the words between with
//     other entities replaced by their types, head words and entity texts, the words
//     around the pair, whether the tail is the nearest entity of its type, how many
//     entities of each type the sentence has and whether the head is the first, cue words
//     ("of", "in", "'s", ",", "said"…), and place-in-place facts from GeoNames
//     (geo.tsv.gz). A relation type is only predicted between the entity types it
//     was seen with in training; a no-relation bias and a bias per relation type are
//     tuned on dev.
//
// Models are built from ../shared/data (CoNLL04 from YoumiMa/TablERT-CNN @ 055333c2,
// research use; GeoNames, CC BY 4.0) by
//
//	go run ./loader/relclass/cmd/train -data ../shared/data -geo   # geo.tsv.gz
//	go run ./loader/relclass/cmd/train -data ../shared/data        # entities.bin, relations.bin
//
// Classify hashes the features as it produces them and keeps the weights in an
// open-addressing table (fast.go; TestFastFeaturesSame checks it against the plain
// feature strings); ClassifyScored also gives each relation's margin and reuses a
// Scratch. loader/extract runs this package as a stage of the product's extractor.
//
// Models are scored by `go test -run TestEvalDev -v ./loader/relclass` (strict: both entity
// spans and types and the relation type right; the test fails below minDevF1).
package relclass
