// Command nertrain trains the entity tagger of package ner and writes its model file.
//
// Run it from the repository root:
//
//	go run ./loader/ner/cmd/nertrain -train ../shared/data/conll2003/eng.train -dev ../shared/data/conll2003/eng.testa -out loader/ner/model.bin
//
// It reads the word clusters and the gazetteer from loader/ner/resources (made by
// cmd/nerclusters and cmd/nergazetteer) and copies them into the model. The same flags
// always give the same model.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/newsgraph/newsgraph/loader/ner"
)

func main() {
	var cfg ner.TrainConfig
	flag.StringVar(&cfg.Train, "train", "../shared/data/conll2003/eng.train", "CoNLL-2003 training file")
	flag.StringVar(&cfg.Dev, "dev", "", "CoNLL-2003 file to score the model on after training (optional)")
	flag.StringVar(&cfg.Words, "words", "loader/ner/resources/words.tsv.gz", "word table from cmd/nerclusters")
	flag.StringVar(&cfg.Gazetteer, "gazetteer", "loader/ner/resources/gazetteer.tsv.gz", "gazetteer from cmd/nergazetteer")
	flag.IntVar(&cfg.Epochs, "epochs", 10, "training epochs")
	flag.Uint64Var(&cfg.Seed, "seed", 1, "shuffling seed")
	flag.IntVar(&cfg.Stages, "stages", 2, "1, or 2 for a stacked second stage")
	flag.IntVar(&cfg.Folds, "folds", 5, "folds for the first stage's held-out labels")
	flag.IntVar(&cfg.MinCount, "mincount", 1, "drop features seen fewer times")
	flag.Float64Var(&cfg.Prune, "prune", 1, "drop weights smaller in magnitude (the weights are averaged update counts)")
	flag.IntVar(&cfg.Workers, "workers", 2, "folds trained at once")
	flag.IntVar(&cfg.Average, "average", 3, "perceptrons per stage, trained with different seeds and averaged")
	flag.Float64Var(&cfg.Dropout, "dropout", 0, "chance of hiding a token's word-form features in training")
	flag.BoolVar(&cfg.Curve, "curve", false, "score the first stage on -dev after every epoch")
	out := flag.String("out", "loader/ner/model.bin", "model file to write")
	flag.Parse()
	log.SetFlags(0)
	cfg.Log = os.Stderr

	began := time.Now()
	t, err := ner.Train(cfg)
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := t.Save(&buf); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %.1f MB; trained in %s\n", *out, float64(buf.Len())/1e6, time.Since(began).Round(time.Second))
}
