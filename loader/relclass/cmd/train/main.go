// Command train builds loader/relclass's embedded models from CoNLL04:
//
//	go run ./loader/relclass/cmd/train -data ../shared/data -out loader/relclass
//
// It writes entities.bin (loader/ner's perceptron trained on CoNLL04's entity
// annotation, Peop/Loc/Org/Other as PER/LOC/ORG/MISC, with loader/ner's word clusters
// and gazetteer) and relations.bin (the pairwise relation classifier trained on the
// gold entities and relations of conll04_train.json), and prints the strict dev scores.
// The data: CoNLL04 from YoumiMa/TablERT-CNN @ 055333c2 : data/datasets/conll04/
// (research use).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/newsgraph/newsgraph/loader/ner"
	"github.com/newsgraph/newsgraph/loader/relclass"
)

var toNER = map[string]string{"Peop": "PER", "Loc": "LOC", "Org": "ORG", "Other": "MISC"}

// writeCoNLL writes sentences in the CoNLL-2003 layout (IOB2 tags, one document per
// sentence) for ner.Train.
func writeCoNLL(path string, sents []relclass.Sentence) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for _, s := range sents {
		tags := make([]string, len(s.Tokens))
		for i := range tags {
			tags[i] = "O"
		}
		for _, e := range s.Entities() {
			for k := e.Start; k < e.End; k++ {
				p := "I-"
				if k == e.Start {
					p = "B-"
				}
				tags[k] = p + toNER[e.Type]
			}
		}
		fmt.Fprintln(w, "-DOCSTART- -X- -X- O")
		fmt.Fprintln(w)
		for i, t := range s.Tokens {
			fmt.Fprintf(w, "%s _ _ %s\n", t, tags[i])
		}
		fmt.Fprintln(w)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func read(path string) []relclass.Sentence {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	s, err := relclass.ReadSentences(f)
	if err != nil {
		log.Fatal(err)
	}
	return s
}

func main() {
	data := flag.String("data", "../shared/data", "shared data folder")
	out := flag.String("out", "loader/relclass", "folder for entities.bin and relations.bin")
	res := flag.String("resources", "loader/ner/resources", "loader/ner's words.tsv.gz and gazetteer.tsv.gz")
	nerEpochs := flag.Int("ner-epochs", 10, "entity tagger epochs")
	stages := flag.Int("stages", 1, "entity tagger stages")
	relEpochs := flag.Int("epochs", 10, "relation classifier epochs")
	bias := flag.Float64("bias", 0, "no-relation bias")
	seed := flag.Uint64("seed", 1, "seed")
	skipNER := flag.Bool("skip-ner", false, "keep the existing entities.bin")
	flag.Parse()

	train := read(filepath.Join(*data, "conll04", "conll04_train.json"))
	devPath := filepath.Join(*data, "conll04", "conll04_dev.json")

	var tagger *ner.Tagger
	entPath := filepath.Join(*out, "entities.bin")
	if *skipNER {
		f, err := os.Open(entPath)
		if err != nil {
			log.Fatal(err)
		}
		if tagger, err = ner.Load(bufio.NewReader(f)); err != nil {
			log.Fatal(err)
		}
		f.Close()
	} else {
		tmp, err := os.MkdirTemp("", "relclass")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		tr, dv := filepath.Join(tmp, "train.conll"), filepath.Join(tmp, "dev.conll")
		if err := writeCoNLL(tr, train); err != nil {
			log.Fatal(err)
		}
		if err := writeCoNLL(dv, read(devPath)); err != nil {
			log.Fatal(err)
		}
		tagger, err = ner.Train(ner.TrainConfig{Train: tr, Dev: dv, Epochs: *nerEpochs, Stages: *stages, Seed: *seed,
			Words: filepath.Join(*res, "words.tsv.gz"), Gazetteer: filepath.Join(*res, "gazetteer.tsv.gz"), Log: os.Stderr})
		if err != nil {
			log.Fatal(err)
		}
		f, err := os.Create(entPath)
		if err != nil {
			log.Fatal(err)
		}
		if err := tagger.Save(f); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}

	m, err := relclass.TrainRelations(train, relclass.TrainConfig{Epochs: *relEpochs, Seed: *seed, NoneBias: float32(*bias)})
	if err != nil {
		log.Fatal(err)
	}
	f, err := os.Create(filepath.Join(*out, "relations.bin"))
	if err != nil {
		log.Fatal(err)
	}
	if err := m.Save(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}

	x := &relclass.Extractor{Tagger: tagger, Relations: m}
	g, _ := os.Open(devPath)
	sg, err := x.EvalGoldEntities(g)
	g.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("dev, relations between gold entities:\n%s\n", sg.Table())
	g, _ = os.Open(devPath)
	s, err := x.Eval(g)
	g.Close()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("dev, end to end (strict):\n%s", s.Table())
}
