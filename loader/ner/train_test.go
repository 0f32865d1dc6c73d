package ner

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestTrainTiny trains on a few sentences with tiny resources: the whole training
// path (features, folds, stacking, averaging, pruning, saving) without the data sets.
func TestTrainTiny(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var train strings.Builder
	for range 6 {
		train.WriteString(tinyCoNLL)
		train.WriteString("\n-DOCSTART- -X- O O\n\nPeter NNP I-NP I-PER\nvisited VBD I-VP O\nParis NNP I-NP I-LOC\n. . O O\n\n")
	}
	cfg := TrainConfig{
		Train:     write("train.txt", train.String()),
		Dev:       write("dev.txt", tinyCoNLL),
		Words:     write("words.tsv", "# form\tc1\tc2\tc3\tcap\nParis\t1\t2\t3\t990\nPeter\t1\t2\t4\t980\nvisited\t2\t5\t6\t0\n"),
		Gazetteer: write("gaz.tsv", "paris\tcity\nbrussels\tcity\npeter\tfirst\n"),
		Epochs:    3,
		Folds:     2,
		Average:   2,
		Prune:     0.1,
		Seed:      7,
	}
	var models [2][]byte
	for i := range models {
		tg, err := Train(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if info := tg.Info(); info.Stages != 2 || info.Average != 2 || info.DevF1 <= 0 {
			t.Errorf("info %+v", info)
		}
		var buf bytes.Buffer
		if err := tg.Save(&buf); err != nil {
			t.Fatal(err)
		}
		models[i] = buf.Bytes()
	}
	if !bytes.Equal(models[0], models[1]) {
		t.Error("two trainings with the same configuration differ")
	}
	tg, err := Load(bytes.NewReader(models[0]))
	if err != nil {
		t.Fatal(err)
	}
	doc := [][]Token{Tokenize("Peter visited Paris .")}
	want := [][]Span{{{0, 1, "PER"}, {2, 3, "LOC"}}}
	if got := tg.Tag(doc); !reflect.DeepEqual(got, want) {
		t.Errorf("tiny model: %v, want %v", got, want)
	}

	cfg.Words = filepath.Join(dir, "missing.tsv")
	if _, err := Train(cfg); err == nil {
		t.Error("a missing word table was accepted")
	}
}
