package relclass

import (
	"math/rand/v2"
	"slices"
)

// TrainConfig says how the relation classifier is trained.
type TrainConfig struct {
	Epochs   int     // passes over the training pairs (default 10)
	Seed     uint64  // shuffling seed: the same seed gives the same model
	NoneBias float32 // added to the no-relation score when classifying
	Average  int     // perceptrons trained with seeds Seed, Seed+1… and averaged (default 1)
}

type instance struct {
	feats   []uint64
	gold    int
	allowed []int
}

// relSentence is a sentence with the entities the classifier is trained on and the
// relations among them.
type relSentence struct {
	tokens []string
	ents   []Entity
	rels   []Relation
	noisy  bool // predicted entities: not used to find classes and type pairs
}

// TrainRelations trains the pairwise relation classifier on sentences with their
// gold entities and relations.
func TrainRelations(sents []Sentence, cfg TrainConfig) (*Model, error) {
	var rs []relSentence
	for _, s := range sents {
		e, r, err := s.GoldRelations()
		if err != nil {
			return nil, err
		}
		rs = append(rs, relSentence{s.Tokens, e, r, false})
	}
	return trainRelations(rs, cfg), nil
}

// TrainRelationsNoisy trains the classifier on every sentence twice: with its gold
// entities, and with predicted entities (predicted[i] for sents[i], e.g. from entity
// taggers that did not see the sentence), where a predicted pair holds a gold relation
// when both its entities have the gold entities' spans and types. So the classifier
// also learns from the pairs a tagger's errors make.
func TrainRelationsNoisy(sents []Sentence, predicted [][]Entity, cfg TrainConfig) (*Model, error) {
	var rs []relSentence
	for i, s := range sents {
		e, r, err := s.GoldRelations()
		if err != nil {
			return nil, err
		}
		rs = append(rs, relSentence{s.Tokens, e, r, false})
		pe := predicted[i]
		idx := map[Entity]int{}
		for k, x := range pe {
			idx[x] = k
		}
		var pr []Relation
		for _, x := range r {
			h, ok1 := idx[e[x.Head]]
			t, ok2 := idx[e[x.Tail]]
			if ok1 && ok2 {
				pr = append(pr, Relation{Head: h, Tail: t, Type: x.Type})
			}
		}
		rs = append(rs, relSentence{s.Tokens, pe, pr, true})
	}
	return trainRelations(rs, cfg), nil
}

func trainRelations(sents []relSentence, cfg TrainConfig) *Model {
	if cfg.Epochs <= 0 {
		cfg.Epochs = 10
	}
	if cfg.Average <= 1 {
		return trainOne(sents, cfg)
	}
	var m *Model
	for k := range cfg.Average {
		c := cfg
		c.Seed = cfg.Seed + uint64(k)
		mk := trainOne(sents, c)
		if m == nil {
			m = mk
			continue
		}
		for f, w := range mk.W {
			x := m.W[f]
			if x == nil {
				x = make([]float32, len(w))
				m.W[f] = x
			}
			for c := range w {
				x[c] += w[c]
			}
		}
	}
	for _, x := range m.W {
		for c := range x {
			x[c] /= float32(cfg.Average)
		}
	}
	return m
}

func trainOne(sents []relSentence, cfg TrainConfig) *Model {
	m := &Model{Classes: []string{""}, Allowed: map[string][]int{}, NoneBias: cfg.NoneBias}
	classOf := map[string]int{}
	// classes and allowed type pairs, in a fixed order
	var types []string
	for _, s := range sents {
		if s.noisy {
			continue
		}
		for _, r := range s.rels {
			if !slices.Contains(types, r.Type) {
				types = append(types, r.Type)
			}
		}
	}
	slices.Sort(types)
	for _, t := range types {
		classOf[t] = len(m.Classes)
		m.Classes = append(m.Classes, t)
	}
	for _, s := range sents {
		if s.noisy {
			continue
		}
		for _, r := range s.rels {
			k := s.ents[r.Head].Type + "|" + s.ents[r.Tail].Type
			c := classOf[r.Type]
			if !slices.Contains(m.Allowed[k], c) {
				m.Allowed[k] = append(m.Allowed[k], c)
				slices.Sort(m.Allowed[k])
			}
		}
	}
	var data []instance
	for _, s := range sents {
		gold := map[[2]int]int{}
		for _, r := range s.rels {
			gold[[2]int{r.Head, r.Tail}] = classOf[r.Type]
		}
		for i := range s.ents {
			for j := range s.ents {
				if i == j {
					continue
				}
				al := m.Allowed[s.ents[i].Type+"|"+s.ents[j].Type]
				if len(al) == 0 {
					continue
				}
				g := gold[[2]int{i, j}]
				if g != 0 && !slices.Contains(al, g) {
					g = 0
				}
				data = append(data, instance{pairFeatures(nil, s.tokens, s.ents, i, j), g, al})
			}
		}
	}
	nc := len(m.Classes)
	w := map[uint64][]float64{}
	u := map[uint64][]float64{} // sums of updates times their step, for averaging
	step := 1.0
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	order := make([]int, len(data))
	for i := range order {
		order[i] = i
	}
	scores := make([]float64, nc)
	upd := func(fs []uint64, c int, d float64) {
		for _, f := range fs {
			x := w[f]
			if x == nil {
				x = make([]float64, nc)
				w[f] = x
				u[f] = make([]float64, nc)
			}
			x[c] += d
			u[f][c] += d * step
		}
	}
	for range cfg.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			in := &data[k]
			clear(scores)
			for _, f := range in.feats {
				if x := w[f]; x != nil {
					for c := range scores {
						scores[c] += x[c]
					}
				}
			}
			best, bs := 0, scores[0]
			for _, c := range in.allowed {
				if scores[c] > bs {
					best, bs = c, scores[c]
				}
			}
			if best != in.gold {
				upd(in.feats, in.gold, 1)
				upd(in.feats, best, -1)
			}
			step++
		}
	}
	m.W = make(map[uint64][]float32, len(w))
	for f, x := range w {
		avg := make([]float32, nc)
		nz := false
		for c := range x {
			avg[c] = float32(x[c] - u[f][c]/step)
			if avg[c] != 0 {
				nz = true
			}
		}
		if nz {
			m.W[f] = avg
		}
	}
	return m
}
