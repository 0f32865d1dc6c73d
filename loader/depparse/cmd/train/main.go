// Command train trains the depparse tagger and parser and writes the model.
//
//	go run ./loader/depparse/cmd/train -out loader/depparse/model.bin.gz
//
// Training is deterministic for a given set of flags.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/newsgraph/newsgraph/loader/depparse"
)

func main() {
	data := "/work/shared/data/ud-english/"
	train := flag.String("train", data+"en_ewt-ud-train.conllu,"+data+"gum-news-cc-by.conllu", "comma-separated CoNLL-U training files")
	dev := flag.String("dev", data+"en_ewt-ud-dev.conllu", "CoNLL-U development file (reported on, never trained on)")
	out := flag.String("out", "model.bin.gz", "model file to write")
	var o depparse.TrainOptions
	flag.IntVar(&o.TagEpochs, "tag-epochs", 8, "tagger epochs")
	flag.IntVar(&o.ParseEpochs, "parse-epochs", 12, "parser epochs")
	flag.IntVar(&o.Folds, "folds", 5, "jackknife folds for the parser's training tags (< 2: gold tags)")
	flag.Uint64Var(&o.Seed, "seed", 1, "random seed")
	flag.IntVar(&o.ExploreFrom, "explore-from", 2, "first epoch following the model's own moves (0: never)")
	flag.Float64Var(&o.ExploreProb, "explore-prob", 0.9, "probability of following the model's move when exploring")
	min := flag.Int("min-count", 2, "prune parser features seen fewer times")
	flag.IntVar(&o.MinQ, "min-q", 1, "prune quantized weights of smaller magnitude")
	flag.Parse()
	o.MinCount = int32(*min)
	o.Log = os.Stdout
	runtime.GOMAXPROCS(1)
	start := time.Now()
	fmt.Printf("command: train %s\n", strings.Join(os.Args[1:], " "))
	var trainSents []depparse.Sentence
	for _, path := range strings.Split(*train, ",") {
		s, err := readFile(path)
		if err != nil {
			fail(err)
		}
		fmt.Printf("read %s: %d sentences\n", path, len(s))
		trainSents = append(trainSents, s...)
	}
	devSents, err := readFile(*dev)
	if err != nil {
		fail(err)
	}
	o.EpochDone = func(epoch int, p *depparse.Parser) {
		if err := save(p, *out); err != nil {
			fail(err)
		}
		fi, _ := os.Stat(*out)
		fmt.Printf("epoch %d: wrote %s (%d bytes) at %s\n", epoch, *out, fi.Size(), time.Since(start).Round(time.Second))
	}
	if _, err := depparse.Train(trainSents, devSents, o); err != nil {
		fail(err)
	}
	fmt.Printf("done in %s\n", time.Since(start).Round(time.Second))
}

// save writes the model to path through a temporary file, so path always
// holds a complete model.
func save(p *depparse.Parser, path string) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := p.WriteModel(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func readFile(path string) ([]depparse.Sentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := depparse.ReadCoNLLU(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "train:", err)
	os.Exit(1)
}
