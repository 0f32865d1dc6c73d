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
	"archive/zip"
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

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

// appendTraining appends to the CoNLL file at path repeat-1 more copies of itself and
// the CoNLL-2003 file extra.
func appendTraining(path, extra string, repeat int) error {
	self, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	for range repeat - 1 {
		f.Write(self)
	}
	if extra != "" {
		b, err := os.ReadFile(extra)
		if err != nil {
			return err
		}
		f.WriteString("-DOCSTART- -X- -X- O\n\n")
		f.Write(b)
		f.WriteString("\n")
	}
	return f.Close()
}

// writeGeo writes geo.tsv.gz: "place<TAB>container" lines from GeoNames (cities of
// over 15,000 people in their region and country, regions in their country).
func writeGeo(dir, out string) error {
	countries := map[string]string{}
	b, err := os.ReadFile(filepath.Join(dir, "countryInfo.tsv"))
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, "\t")
		if len(f) > 4 && !strings.HasPrefix(line, "#") {
			countries[f[0]] = strings.ToLower(f[4])
		}
	}
	regions := map[string]string{}
	if b, err = os.ReadFile(filepath.Join(dir, "regionInfo.tsv")); err != nil {
		return err
	}
	pairs := map[string]bool{}
	addPair := func(a, c string) {
		a, c = strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(c))
		if a != "" && c != "" && a != c && !strings.ContainsAny(a+c, "\t\n") {
			pairs[a+"\t"+c] = true
		}
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 3 || strings.HasPrefix(line, "#") {
			continue
		}
		regions[f[0]] = f[2]
		cc, _, _ := strings.Cut(f[0], ".")
		addPair(f[1], countries[cc])
		addPair(f[2], countries[cc])
	}
	zr, err := zip.OpenReader(filepath.Join(dir, "cities15000.zip"))
	if err != nil {
		return err
	}
	defer zr.Close()
	for _, zf := range zr.File {
		r, err := zf.Open()
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			f := strings.Split(sc.Text(), "\t")
			if len(f) < 11 {
				continue
			}
			for _, name := range []string{f[1], f[2]} {
				addPair(name, countries[f[8]])
				addPair(name, regions[f[8]+"."+f[10]])
			}
		}
		r.Close()
		if err := sc.Err(); err != nil {
			return err
		}
	}
	lines := make([]string, 0, len(pairs))
	for p := range pairs {
		lines = append(lines, p)
	}
	sort.Strings(lines)
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	gz, _ := gzip.NewWriterLevel(o, gzip.BestCompression)
	for _, l := range lines {
		gz.Write([]byte(l + "\n"))
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return o.Close()
}

// tuneBiases sets m.ClassBias by coordinate ascent on dev's end-to-end strict F1: two
// rounds over the relation types, each bias from -15 to +15 in steps of 5.
func tuneBiases(tagger *ner.Tagger, m *relclass.Model, devPath string) {
	dev := read(devPath)
	x := &relclass.Extractor{Tagger: tagger, Relations: m}
	ents := make([][]relclass.Entity, len(dev))
	for i, s := range dev {
		ents[i] = x.Entities(s.Tokens)
	}
	score := func() float64 {
		var sc relclass.Scores
		for i, s := range dev {
			ge, gr, _ := s.GoldRelations()
			sc.Add(ge, gr, ents[i], m.Classify(s.Tokens, ents[i]))
		}
		return sc.RelOverall.F1()
	}
	m.ClassBias = make([]float32, len(m.Classes))
	best := score()
	for range 2 {
		for c := 1; c < len(m.Classes); c++ {
			keep := m.ClassBias[c]
			for b := float32(-15); b <= 15; b += 5 {
				m.ClassBias[c] = b
				if f := score(); f > best+1e-9 {
					best, keep = f, b
				}
			}
			m.ClassBias[c] = keep
		}
	}
	fmt.Fprintf(os.Stderr, "tuned class biases %v %v: dev F1 %.2f\n", m.Classes, m.ClassBias, best)
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
	nerEpochs := flag.Int("ner-epochs", 15, "entity tagger epochs")
	stages := flag.Int("stages", 1, "entity tagger stages")
	relEpochs := flag.Int("epochs", 10, "relation classifier epochs")
	bias := flag.Float64("bias", -15, "no-relation bias")
	seed := flag.Uint64("seed", 1, "seed")
	skipNER := flag.Bool("skip-ner", false, "keep the existing entities.bin")
	average := flag.Int("average", 4, "entity perceptrons averaged per stage")
	dropout := flag.Float64("dropout", 0, "entity tagger word dropout")
	folds := flag.Int("folds", 0, "also train the relation classifier on entities tagged by taggers trained on the other folds (0: gold entities only)")
	extra := flag.String("extra", "", "CoNLL-2003 file added to the entity tagger's training data (\"\" for none)")
	repeat := flag.Int("repeat", 1, "times CoNLL04 train is repeated in the entity tagger's training data")
	relAverage := flag.Int("rel-average", 5, "relation perceptrons averaged")
	geo := flag.Bool("geo", false, "only write geo.tsv.gz from GeoNames (embedded: build again before training)")
	tune := flag.Bool("tune", true, "tune a bias per relation type on dev (end to end), by coordinate ascent on a grid of step 5")
	sweep := flag.String("sweep", "", "comma-separated no-relation biases to score on dev (end to end) before saving")
	flag.Parse()

	if *geo {
		if err := writeGeo(filepath.Join(*data, "gazetteers", "geonames"), filepath.Join(*out, "geo.tsv.gz")); err != nil {
			log.Fatal(err)
		}
		fmt.Fprintln(os.Stderr, "wrote geo.tsv.gz; run again to train with it")
		return
	}
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
		if *extra != "" || *repeat > 1 {
			if err := appendTraining(tr, *extra, *repeat); err != nil {
				log.Fatal(err)
			}
		}
		tagger, err = ner.Train(ner.TrainConfig{Train: tr, Dev: dv, Epochs: *nerEpochs, Stages: *stages, Seed: *seed,
			Average: *average, Dropout: *dropout,
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

	rcfg := relclass.TrainConfig{Epochs: *relEpochs, Seed: *seed, NoneBias: float32(*bias), Average: *relAverage}
	var m *relclass.Model
	if *folds > 1 {
		// Entities of every training sentence from a tagger that did not see it.
		pred := make([][]relclass.Entity, len(train))
		tmp, err := os.MkdirTemp("", "relclass")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(tmp)
		for k := range *folds {
			var in []relclass.Sentence
			var out []int
			for i, s := range train {
				if i%*folds == k {
					out = append(out, i)
				} else {
					in = append(in, s)
				}
			}
			tr := filepath.Join(tmp, fmt.Sprintf("fold%d.conll", k))
			if err := writeCoNLL(tr, in); err != nil {
				log.Fatal(err)
			}
			ft, err := ner.Train(ner.TrainConfig{Train: tr, Epochs: *nerEpochs, Stages: *stages, Seed: *seed + uint64(k) + 1,
				Average: *average, Dropout: *dropout,
				Words: filepath.Join(*res, "words.tsv.gz"), Gazetteer: filepath.Join(*res, "gazetteer.tsv.gz")})
			if err != nil {
				log.Fatal(err)
			}
			fx := &relclass.Extractor{Tagger: ft}
			for _, i := range out {
				pred[i] = fx.Entities(train[i].Tokens)
			}
			fmt.Fprintf(os.Stderr, "fold %d tagged\n", k)
		}
		m, err = relclass.TrainRelationsNoisy(train, pred, rcfg)
		if err != nil {
			log.Fatal(err)
		}
	} else {
		var err error
		m, err = relclass.TrainRelations(train, rcfg)
		if err != nil {
			log.Fatal(err)
		}
	}
	if *sweep != "" {
		for _, b := range strings.Split(*sweep, ",") {
			v, err := strconv.ParseFloat(b, 32)
			if err != nil {
				log.Fatal(err)
			}
			m.NoneBias = float32(v)
			x := &relclass.Extractor{Tagger: tagger, Relations: m}
			g, _ := os.Open(devPath)
			s, err := x.Eval(g)
			g.Close()
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf("bias %6.2f  entity F1 %.2f  relation P %.2f R %.2f F1 %.2f\n", v, s.EntityOverall.F1(), s.RelOverall.Precision(), s.RelOverall.Recall(), s.RelOverall.F1())
		}
		m.NoneBias = float32(*bias)
	}
	if *tune {
		tuneBiases(tagger, m, devPath)
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
