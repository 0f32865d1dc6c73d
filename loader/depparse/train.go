package depparse

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"time"
)

// TrainOptions configures Train.
type TrainOptions struct {
	TagEpochs   int     // tagger epochs (final tagger and each jackknife fold)
	ParseEpochs int     // parser epochs
	Folds       int     // jackknife folds for the parser's training tags; < 2 trains on gold tags
	Seed        uint64  // seed of the shuffling and exploration
	ExploreFrom int     // first parser epoch (1-based) that follows the model's own moves
	ExploreProb float64 // probability of following the model's move when exploring
	MinCount    int32   // features seen fewer times are pruned from the parser
	MinQ        int     // quantized weights of smaller magnitude are pruned
	Log         io.Writer
	// EpochDone, if not nil, is called with the frozen parser after each
	// parser epoch (for example to save it, so that a cut-off run keeps
	// its last finished epoch).
	EpochDone func(epoch int, p *Parser)
}

type trainSent struct {
	words []string
	ws    []wordInfo
	gold  []int   // gold tags
	pred  []int   // tags the parser trains on
	heads []int32 // gold heads, n for the root
	rels  []int16
}

// Train trains a tagger and a parser on train and reports per-epoch figures
// on dev (which is never trained on) to o.Log.
func Train(train, dev []Sentence, o TrainOptions) (*Parser, error) {
	if len(train) == 0 {
		return nil, errors.New("no training sentences")
	}
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, format, a...)
		}
	}
	tagSet, relSet := map[string]bool{}, map[string]bool{"root": true}
	for _, s := range train {
		for _, t := range s.Tokens {
			tagSet[t.UPOS] = true
			relSet[t.Rel] = true
		}
	}
	tags := sortedKeys(tagSet)
	rels := sortedKeys(relSet)
	tagIx := indexOf(tags)
	relIx := indexOf(rels)
	ts := make([]*trainSent, len(train))
	var buf []byte
	for i, s := range train {
		n := len(s.Tokens)
		t := &trainSent{words: s.Words(), ws: make([]wordInfo, n), gold: make([]int, n), heads: make([]int32, n), rels: make([]int16, n)}
		for j, tok := range s.Tokens {
			buf = analyze(tok.Form, j, &t.ws[j], buf)
			t.gold[j] = tagIx[tok.UPOS]
			h := int32(tok.Head - 1)
			if tok.Head == 0 {
				h = int32(n)
			}
			t.heads[j] = h
			t.rels[j] = int16(relIx[tok.Rel])
		}
		t.pred = t.gold
		ts[i] = t
	}
	logf("training on %d sentences, %d tags, %d relations\n", len(ts), len(tags), len(rels))
	rng := rand.New(rand.NewPCG(o.Seed, 0x6e657773))

	// Jackknifed tags for the parser.
	if o.Folds >= 2 {
		start := time.Now()
		preds := make([][]int, len(ts))
		for k := 0; k < o.Folds; k++ {
			var in, out []*trainSent
			for i, t := range ts {
				if i%o.Folds == k {
					out = append(out, t)
				} else {
					in = append(in, t)
				}
			}
			tab, err := newSparseTable(trainTagger(in, len(tags), o.TagEpochs, rng, nil).freeze(1, 0))
			if err != nil {
				return nil, err
			}
			var tsc tagScratch
			for i, t := range ts {
				if i%o.Folds == k {
					preds[i] = make([]int, len(t.ws))
					tagWords(tab, t.ws, preds[i], &tsc)
				}
			}
			_ = out
		}
		right, all := 0, 0
		for i, t := range ts {
			t.pred = preds[i]
			for j := range t.gold {
				all++
				if t.pred[j] == t.gold[j] {
					right++
				}
			}
		}
		logf("jackknife %d folds: training-tag accuracy %.2f (%s)\n", o.Folds, pct(right, all), time.Since(start).Round(time.Second))
	}

	// Final tagger.
	var tagErr error
	tp := trainTagger(ts, len(tags), o.TagEpochs, rng, func(epoch int, p *perceptron) {
		tp, err := newParser(tags, rels, p.freeze(1, 0), emptyTable(nMoves), emptyTable(len(rels)), modelFormat, false)
		if err != nil {
			tagErr = err
			return
		}
		logf("tagger epoch %d: dev UPOS %.2f\n", epoch, Evaluate(tp, dev).UPOSAcc())
	})
	if tagErr != nil {
		return nil, tagErr
	}
	tagTab := tp.freeze(1, 0)
	logf("tagger: %d features\n", len(tagTab.keys))

	// Parser.
	pt := newPerceptron(nMoves)
	lt := newPerceptron(len(rels))
	rootRel := relIx["root"]
	var st pstate
	var feats, lfeats []uint64
	var inStack []bool
	scores := make([]int64, nMoves)
	lscores := make([]int64, len(rels))
	order := make([]int, len(ts))
	for i := range order {
		order[i] = i
	}
	var final *Parser
	for epoch := 1; epoch <= o.ParseEpochs; epoch++ {
		start := time.Now()
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		explore := o.ExploreFrom > 0 && epoch >= o.ExploreFrom
		moves, errs := 0, 0
		for _, si := range order {
			t := ts[si]
			n := len(t.ws)
			st.reset(n)
			inStack = grow(inStack, n+1)
			clear(inStack)
			f := fx{ws: t.ws, tags: t.pred, st: &st, format: modelFormat}
			for !st.terminal() {
				feats = f.features(feats[:0])
				pt.scoreInto(feats, scores)
				var c [nMoves]int
				st.costs(t.heads, inStack, &c)
				pred, gold := -1, -1
				minCost := 1 << 30
				for m := 0; m < nMoves; m++ {
					if !st.valid(m) {
						continue
					}
					if pred < 0 || scores[m] > scores[pred] {
						pred = m
					}
					minCost = min(minCost, c[m])
				}
				for m := 0; m < nMoves; m++ {
					if st.valid(m) && c[m] == minCost && (gold < 0 || scores[m] > scores[gold]) {
						gold = m
					}
				}
				pt.tick(feats)
				moves++
				if c[pred] > minCost {
					errs++
					pt.update(feats, gold, pred)
				}
				follow := gold
				if explore && rng.Float64() < o.ExploreProb {
					follow = pred
				}
				var label int16
				if follow == mShift {
					inStack[st.b] = true
				} else {
					h, d := st.arc(follow)
					inStack[d] = false
					if int(h) == n {
						label = int16(rootRel)
					} else {
						lfeats = f.labelFeatures(lfeats[:0], follow, h, d)
						lt.scoreInto(lfeats, lscores)
						guess := -1
						for r, v := range lscores {
							if r != rootRel && (guess < 0 || v > lscores[guess]) {
								guess = r
							}
						}
						label = int16(guess)
						if t.heads[d] == h {
							lt.tick(lfeats)
							lt.update(lfeats, int(t.rels[d]), guess)
							label = t.rels[d]
						}
					}
				}
				st.apply(follow, label)
			}
		}
		trainTime := time.Since(start)
		var err error
		final, err = newParser(tags, rels, tagTab, pt.freeze(o.MinCount, o.MinQ), lt.freeze(o.MinCount, o.MinQ), modelFormat, true)
		if err != nil {
			return nil, err
		}
		sc := Evaluate(final, dev)
		logf("parser epoch %d: train move errors %.2f%%, %d+%d features (%d+%d kept); dev UPOS %.2f UAS %.2f LAS %.2f (universal %.2f); %.0f tokens/s; epoch %s\n",
			epoch, pct(errs, moves), len(pt.index), len(lt.index), final.trans.nFeat, final.labeler.nFeat,
			sc.UPOSAcc(), sc.UASPct(), sc.LASPct(), sc.ULASPct(), sc.TokensPerSec(), trainTime.Round(time.Second))
		if o.EpochDone != nil {
			o.EpochDone(epoch, final)
		}
	}
	if final == nil {
		return nil, errors.New("no parser epochs")
	}
	return final, nil
}

func emptyTable(nClasses int) *frozen { return &frozen{nClasses: nClasses} }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func indexOf(ss []string) map[string]int {
	m := make(map[string]int, len(ss))
	for i, s := range ss {
		m[s] = i
	}
	return m
}

// trainTagger trains a greedy averaged-perceptron tagger; after each epoch
// it calls report (if not nil).
func trainTagger(ts []*trainSent, nTags, epochs int, rng *rand.Rand, report func(int, *perceptron)) *perceptron {
	p := newPerceptron(nTags)
	order := make([]int, len(ts))
	for i := range order {
		order[i] = i
	}
	var feats []uint64
	scores := make([]int64, nTags)
	for epoch := 1; epoch <= epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, si := range order {
			t := ts[si]
			var p1, p2 uint64
			for i := range t.ws {
				feats = tagFeatures(feats[:0], t.ws, i, p1, p2)
				p.scoreInto(feats, scores)
				g := 0
				for c, v := range scores {
					if v > scores[g] {
						g = c
					}
				}
				p.tick(feats)
				p.update(feats, t.gold[i], g)
				p2, p1 = p1, uint64(g+1)
			}
		}
		if report != nil {
			report(epoch, p)
		}
	}
	return p
}
