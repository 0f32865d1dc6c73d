package ner

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"time"
)

// TrainConfig says what Train reads and how it trains.
type TrainConfig struct {
	Train     string  // CoNLL-2003 training file
	Dev       string  // CoNLL-2003 file scored after training ("" to skip)
	Words     string  // word table written by cmd/nerclusters
	Gazetteer string  // gazetteer written by cmd/nergazetteer
	Epochs    int     // passes over the training data (default 10)
	Seed      uint64  // seed of the shuffling: the same seed gives the same model
	Stages    int     // 1, or 2 for a second stage stacked on the first (default 2)
	Folds     int     // folds for the first stage's held-out labels (default 5)
	MinCount  int     // features seen fewer times in training are dropped (default 1)
	Prune     float64 // weights smaller than this in magnitude are dropped (default 0)
	Workers   int     // folds trained at once (default 2)
	Curve     bool    // score the first stage on Dev after every epoch (slower)
	Average   int     // perceptrons per stage and fold, trained with different seeds and averaged (default 1)
	Dropout   float64 // chance of hiding a token's word-form features during training, so that names are learned from their context, shape and clusters too (default 0)
	Log       io.Writer
}

// Train trains a tagger: an averaged structured perceptron over BILOU labels with
// first-order Viterbi decoding and, with Stages 2, a second perceptron that also sees
// the first one's labels across the document (trained on held-out first-stage labels
// from Folds-fold jackknifing). Training is deterministic for a given configuration.
func Train(cfg TrainConfig) (*Tagger, error) {
	if cfg.Epochs <= 0 {
		cfg.Epochs = 10
	}
	if cfg.Stages <= 0 {
		cfg.Stages = 2
	}
	if cfg.Folds <= 1 {
		cfg.Folds = 5
	}
	if cfg.MinCount <= 0 {
		cfg.MinCount = 1
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.Average <= 0 {
		cfg.Average = 1
	}
	logw := cfg.Log
	if logw == nil {
		logw = io.Discard
	}
	began := time.Now()
	logf := func(format string, args ...any) {
		fmt.Fprintf(logw, "%6.1fs  %s\n", time.Since(began).Seconds(), fmt.Sprintf(format, args...))
	}

	words, err := readWordTable(cfg.Words)
	if err != nil {
		return nil, err
	}
	gaz, err := readGazetteer(cfg.Gazetteer)
	if err != nil {
		return nil, err
	}
	lx := newLexicon(words, gaz)
	logf("lexicon: %d words, %d gazetteer phrases", len(words), len(gaz))

	train, err := readCoNLLFile(cfg.Train)
	if err != nil {
		return nil, err
	}
	var dev []conllDoc
	if cfg.Dev != "" {
		if dev, err = readCoNLLFile(cfg.Dev); err != nil {
			return nil, err
		}
	}
	ctxs := make([]*docCtx, len(train))
	gold := make([][][]int8, len(train))
	for d, doc := range train {
		ctxs[d] = newDocCtx(lx, doc.sents)
		gold[d] = make([][]int8, len(doc.sents))
		for s, sent := range doc.sents {
			gold[d][s] = bilou(len(sent), doc.gold[s])
		}
	}

	t := &Tagger{lx: lx, info: ModelInfo{Epochs: cfg.Epochs, Seed: cfg.Seed, Folds: cfg.Folds,
		Average: cfg.Average, Prune: cfg.Prune, Dropout: cfg.Dropout}}
	fs1 := extract(ctxs, gold, nil, cfg.MinCount)
	fs1.dropP = cfg.Dropout
	logf("stage 1: %d sentences, %d tokens, %d features", len(fs1.sents), len(fs1.gold), len(fs1.hashes))

	all := make([]int, len(fs1.sents))
	for i := range all {
		all[i] = i
	}
	var oof [][][]int8
	if cfg.Stages > 1 {
		// Held-out first-stage labels for every training document.
		oof = make([][][]int8, len(train))
		var wg sync.WaitGroup
		sem := make(chan struct{}, cfg.Workers)
		for k := range cfg.Folds {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				var in, out []int
				for i, it := range fs1.sents {
					if int(it.doc)%cfg.Folds == k {
						out = append(out, i)
					} else {
						in = append(in, i)
					}
				}
				p := trainAveraged(fs1, in, cfg.Epochs, cfg.Seed+uint64(k)+1, cfg.Average, 1)
				for _, i := range out {
					it := fs1.sents[i]
					if oof[it.doc] == nil {
						oof[it.doc] = make([][]int8, len(train[it.doc].sents))
					}
					oof[it.doc][it.sent] = p.predict(fs1, i)
				}
			}()
		}
		wg.Wait()
		logf("stage 1: %d folds trained for held-out labels", cfg.Folds)
	}
	var curve func(e int, p *perceptron)
	if cfg.Curve && dev != nil {
		curve = func(e int, p *perceptron) {
			avg := &perceptron{w: slices.Clone(p.w), u: p.u, trans: p.trans, transU: p.transU, start: p.start, startU: p.startU, c: p.c, nFeat: p.nFeat}
			avg.average()
			t := &Tagger{lx: lx, stages: []*stage{avg.toStage(fs1.hashes, cfg.Prune)}}
			t.build()
			s := evalDocs(t, dev)
			logf("stage 1 epoch %d: dev F1 %.2f", e+1, s.Overall.F1())
		}
	}
	var p1 *perceptron
	if cfg.Average > 1 {
		p1 = trainAveraged(fs1, all, cfg.Epochs, cfg.Seed, cfg.Average, cfg.Workers)
	} else {
		p1 = trainPerceptronCurve(fs1, all, cfg.Epochs, cfg.Seed, curve)
	}
	t.stages = append(t.stages, p1.toStage(fs1.hashes, cfg.Prune))
	t.build()
	logf("stage 1 trained: %d weight rows kept", len(t.stages[0].keys))
	fs1 = nil
	if dev != nil {
		s := evalDocs(t, dev)
		logf("stage 1 dev F1 %.2f (PER %.2f LOC %.2f ORG %.2f MISC %.2f)", s.Overall.F1(),
			s.Types["PER"].F1(), s.Types["LOC"].F1(), s.Types["ORG"].F1(), s.Types["MISC"].F1())
		t.info.DevF1 = s.Overall.F1()
	}

	if cfg.Stages > 1 {
		scs := make([]*stackCtx, len(train))
		for d := range train {
			scs[d] = newStackCtx(ctxs[d], oof[d])
		}
		fs2 := extract(ctxs, gold, scs, cfg.MinCount)
		fs2.dropP = cfg.Dropout
		logf("stage 2: %d features", len(fs2.hashes))
		p2 := trainAveraged(fs2, all, cfg.Epochs, cfg.Seed+1000, cfg.Average, cfg.Workers)
		t.stages = append(t.stages, p2.toStage(fs2.hashes, cfg.Prune))
		t.build()
		logf("stage 2 trained: %d weight rows kept", len(t.stages[1].keys))
		if dev != nil {
			s := evalDocs(t, dev)
			logf("stage 2 dev F1 %.2f (PER %.2f LOC %.2f ORG %.2f MISC %.2f)", s.Overall.F1(),
				s.Types["PER"].F1(), s.Types["LOC"].F1(), s.Types["ORG"].F1(), s.Types["MISC"].F1())
			t.info.DevF1 = s.Overall.F1()
		}
	}
	t.info.Stages = len(t.stages)
	return t, nil
}

func readCoNLLFile(path string) ([]conllDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	docs, err := readCoNLL(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}

// featSet is a training set with its features interned: token k's features are
// ids[offs[k]:offs[k+1]].
type featSet struct {
	sents  []sentItem
	offs   []int32
	ids    []int32
	gold   []int8
	hashes []uint64 // feature id → key
	lex    []bool   // feature id → a word-form feature (may be dropped in training)
	dropP  float64
}

type sentItem struct {
	doc, sent int32
	tok0, n   int32
}

// extract computes every token's features (with the stacked ones when scs is not nil)
// and interns them, dropping features seen fewer than minCount times.
func extract(ctxs []*docCtx, gold [][][]int8, scs []*stackCtx, minCount int) *featSet {
	fs := &featSet{offs: []int32{0}}
	index := map[uint64]int32{}
	var counts []int32
	buf := make([]uint64, 0, 128)
	for d, dc := range ctxs {
		for si, sid := range dc.sents {
			fs.sents = append(fs.sents, sentItem{int32(d), int32(si), int32(len(fs.gold)), int32(len(sid))})
			for i := range sid {
				buf = buf[:0]
				for off := -2; off <= 2; off++ {
					buf = appendWordFeats(buf, dc.word(si, i+off), off)
				}
				buf = appendTokenFeats(buf, dc, si, i)
				if scs != nil {
					buf = appendStackFeats(buf, dc, scs[d], si, i)
				}
				wi := dc.word(si, i)
				formKey, lowerKey := feat(tpl(tForm, 0), wi.form), feat(tpl(tLower, 0), wi.lower)
				for _, h := range buf {
					id, ok := index[h]
					if !ok {
						id = int32(len(fs.hashes))
						index[h] = id
						fs.hashes = append(fs.hashes, h)
						fs.lex = append(fs.lex, h == formKey || h == lowerKey)
						counts = append(counts, 0)
					}
					counts[id]++
					fs.ids = append(fs.ids, id)
				}
				fs.offs = append(fs.offs, int32(len(fs.ids)))
				fs.gold = append(fs.gold, gold[d][si][i])
			}
		}
	}
	if minCount > 1 {
		remap := make([]int32, len(fs.hashes))
		var hashes []uint64
		var lex []bool
		for id, c := range counts {
			if int(c) >= minCount {
				remap[id] = int32(len(hashes))
				hashes = append(hashes, fs.hashes[id])
				lex = append(lex, fs.lex[id])
			} else {
				remap[id] = -1
			}
		}
		ids := fs.ids[:0]
		start := int32(0)
		for k := 1; k < len(fs.offs); k++ {
			for _, id := range fs.ids[start:fs.offs[k]] {
				if r := remap[id]; r >= 0 {
					ids = append(ids, r)
				}
			}
			start = fs.offs[k]
			fs.offs[k] = int32(len(ids))
		}
		fs.ids, fs.hashes, fs.lex = ids, hashes, lex
	}
	return fs
}

// perceptron is an averaged structured perceptron being trained: w holds the current
// weights and u the time-weighted sums of updates (averaged = w - u/c).
type perceptron struct {
	w, u          []float64
	trans, transU [numLabels * numLabels]float64
	start, startU [numLabels]float64
	c             float64
	em            []float64
	vb            viterbiBuf[float64]
	pred          []int8
	drop          []bool // tokens of the sentence being trained whose word-form features are hidden
	averaged      bool
	nFeat         int
}

func newPerceptron(nFeat int) *perceptron {
	return &perceptron{
		w:     make([]float64, nFeat*numLabels),
		u:     make([]float64, nFeat*numLabels),
		c:     1,
		nFeat: nFeat,
	}
}

// decode labels sentence i of fs with the current weights into p.pred.
func (p *perceptron) decode(fs *featSet, i int) []int8 {
	const L = numLabels
	it := fs.sents[i]
	n := int(it.n)
	p.em = slices.Grow(p.em[:0], n*L)[:n*L]
	clear(p.em)
	for k := range n {
		e := p.em[k*L : k*L+L]
		tok := int(it.tok0) + k
		drop := p.drop != nil && p.drop[k]
		for _, f := range fs.ids[fs.offs[tok]:fs.offs[tok+1]] {
			if drop && fs.lex[f] {
				continue
			}
			row := p.w[int(f)*L:][:L]
			for l := range e {
				e[l] += row[l]
			}
		}
	}
	p.pred = slices.Grow(p.pred[:0], n)[:n]
	viterbi(p.em, n, &p.trans, &p.start, p.pred, &p.vb)
	return p.pred
}

// predict returns a copy of the labels of sentence i.
func (p *perceptron) predict(fs *featSet, i int) []int8 {
	return slices.Clone(p.decode(fs, i))
}

func (p *perceptron) update(fs *featSet, i int, gold, pred []int8) {
	const L = numLabels
	it := fs.sents[i]
	c := p.c
	for k := range gold {
		g, q := gold[k], pred[k]
		if g != q {
			tok := int(it.tok0) + k
			drop := p.drop != nil && p.drop[k]
			for _, f := range fs.ids[fs.offs[tok]:fs.offs[tok+1]] {
				if drop && fs.lex[f] {
					continue
				}
				p.w[int(f)*L+int(g)]++
				p.u[int(f)*L+int(g)] += c
				p.w[int(f)*L+int(q)]--
				p.u[int(f)*L+int(q)] -= c
			}
		}
		if k == 0 {
			if g != q {
				p.start[g]++
				p.startU[g] += c
				p.start[q]--
				p.startU[q] -= c
			}
			continue
		}
		tg, tq := int(gold[k-1])*L+int(g), int(pred[k-1])*L+int(q)
		if tg != tq {
			p.trans[tg]++
			p.transU[tg] += c
			p.trans[tq]--
			p.transU[tq] -= c
		}
	}
}

// trainPerceptron trains on the sentences listed, shuffled anew each epoch, and
// returns the averaged weights.
func trainPerceptron(fs *featSet, sents []int, epochs int, seed uint64) *perceptron {
	return trainPerceptronCurve(fs, sents, epochs, seed, nil)
}

// trainAveraged trains k perceptrons with seeds seed, seed+100, … (workers at a
// time) and returns the mean of their averaged weights.
func trainAveraged(fs *featSet, sents []int, epochs int, seed uint64, k, workers int) *perceptron {
	ps := make([]*perceptron, k)
	var wg sync.WaitGroup
	sem := make(chan struct{}, workers)
	for i := range k {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ps[i] = trainPerceptron(fs, sents, epochs, seed+100*uint64(i))
		}()
	}
	wg.Wait()
	p := ps[0]
	for _, q := range ps[1:] {
		for i, x := range q.w {
			p.w[i] += x
		}
		for i, x := range q.trans {
			p.trans[i] += x
		}
		for i, x := range q.start {
			p.start[i] += x
		}
	}
	inv := 1 / float64(k)
	for i := range p.w {
		p.w[i] *= inv
	}
	for i := range p.trans {
		p.trans[i] *= inv
	}
	for i := range p.start {
		p.start[i] *= inv
	}
	return p
}

// trainPerceptronCurve is trainPerceptron calling after(epoch, p) after each epoch.
func trainPerceptronCurve(fs *featSet, sents []int, epochs int, seed uint64, after func(int, *perceptron)) *perceptron {
	p := newPerceptron(len(fs.hashes))
	order := slices.Clone(sents)
	for e := range epochs {
		rng := rand.New(rand.NewPCG(seed, uint64(e)))
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			it := fs.sents[i]
			gold := fs.gold[it.tok0 : it.tok0+it.n]
			if fs.dropP > 0 {
				p.drop = slices.Grow(p.drop[:0], int(it.n))[:it.n]
				for k := range p.drop {
					p.drop[k] = rng.Float64() < fs.dropP
				}
			}
			pred := p.decode(fs, i)
			if !slices.Equal(gold, pred) {
				p.update(fs, i, gold, pred)
			}
			p.c++
		}
		if after != nil {
			p.drop = nil
			after(e, p)
		}
	}
	p.drop = nil
	p.average()
	return p
}

// average replaces the weights by their averages over all updates.
func (p *perceptron) average() {
	for i := range p.w {
		p.w[i] -= p.u[i] / p.c
	}
	for i := range p.trans {
		p.trans[i] -= p.transU[i] / p.c
	}
	for i := range p.start {
		p.start[i] -= p.startU[i] / p.c
	}
	p.u = nil
	p.averaged = true
}

// toStage keeps the rows with a weight of at least prune in magnitude, as float32.
func (p *perceptron) toStage(hashes []uint64, prune float64) *stage {
	const L = numLabels
	type kept struct {
		key uint64
		id  int
	}
	var rows []kept
	for id := range p.nFeat {
		for _, x := range p.w[id*L : id*L+L] {
			if x != 0 && math.Abs(x) >= prune && float32(x) != 0 {
				rows = append(rows, kept{hashes[id], id})
				break
			}
		}
	}
	slices.SortFunc(rows, func(a, b kept) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	st := &stage{
		w:    make([]float32, len(rows)*L),
		keys: make([]uint64, len(rows)),
	}
	for r, k := range rows {
		st.keys[r] = k.key
		for l, x := range p.w[k.id*L : k.id*L+L] {
			if math.Abs(x) >= prune {
				st.w[r*L+l] = float32(x)
			}
		}
	}
	for i, x := range p.trans {
		st.trans[i] = float32(x)
	}
	for i, x := range p.start {
		st.start[i] = float32(x)
	}
	return st
}
