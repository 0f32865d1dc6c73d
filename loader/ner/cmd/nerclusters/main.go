// Command nerclusters builds the word table that package ner's models embed: for every
// word form seen at least -min times in the unlabelled news text, three nested cluster
// ids (coarse to fine) and how often its lower-case form is capitalised inside a
// sentence.
//
// Run it from the repository root:
//
//	go run ./loader/ner/cmd/nerclusters -data ../shared/data -out loader/ner/resources/words.tsv.gz
//
// It reads every corpora/*.jsonl file (the "title" and "text" of each article) and the
// words of conll2003/eng.train (never the development split). Each word is described
// by positive pointwise mutual information with its left, right and ±2 neighbours
// (lower-case, digits as 0); a randomised SVD reduces these to dense vectors, spherical
// k-means groups the frequent words into -k3 clusters, every word goes to its nearest
// cluster, and the cluster centres are grouped again into -k2 and -k1 clusters. All
// randomness is seeded: the same input gives the same table.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/loader/ner"
)

var began = time.Now()

func logf(format string, args ...any) {
	log.Printf("%6.1fs  %s", time.Since(began).Seconds(), fmt.Sprintf(format, args...))
}

func main() {
	data := flag.String("data", "../shared/data", "the shared data folder")
	out := flag.String("out", "loader/ner/resources/words.tsv.gz", "output file")
	minCount := flag.Int("min", 3, "least count of a word form in the table")
	coreCount := flag.Int("core", 6, "least count of a word form clustered directly")
	nctx := flag.Int("contexts", 3000, "context words")
	dim := flag.Int("dim", 100, "dimensions of the word vectors")
	k1 := flag.Int("k1", 40, "coarse clusters")
	k2 := flag.Int("k2", 200, "middle clusters")
	k3 := flag.Int("k3", 1000, "fine clusters")
	iters := flag.Int("iters", 15, "k-means iterations")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	log.SetFlags(0)

	// 1. Sentences of normalised word forms.
	var sents [][]string
	addText := func(text string) {
		for _, s := range ner.SplitSentences(text) {
			ws := make([]string, len(s))
			for i, t := range s {
				ws[i] = normDigits(t.Text)
			}
			sents = append(sents, ws)
		}
	}
	files, _ := filepath.Glob(filepath.Join(*data, "corpora", "*.jsonl"))
	slices.Sort(files)
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			log.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var a struct{ Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
				continue
			}
			addText(a.Title)
			addText(a.Text)
		}
		f.Close()
	}
	conll := filepath.Join(*data, "conll2003", "eng.train")
	f, err := os.Open(conll)
	if err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(f)
	var cur []string
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || fs[0] == "-DOCSTART-" {
			if len(cur) > 0 {
				sents = append(sents, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, normDigits(fs[0]))
	}
	if len(cur) > 0 {
		sents = append(sents, cur)
	}
	f.Close()
	ntok := 0
	for _, s := range sents {
		ntok += len(s)
	}
	logf("%d files + %s: %d sentences, %d tokens", len(files), conll, len(sents), ntok)

	// 2. Counts: forms, lower-case forms, capitalisation inside sentences.
	count := map[string]int{}
	lcount := map[string]int{}
	capMid := map[string][2]int{} // lower form → [lower-case uses, capitalised uses]
	for _, s := range sents {
		head := isHeadline(s)
		for i, w := range s {
			count[w]++
			lcount[strings.ToLower(w)]++
			if head || i == 0 || !hasLetter(w) {
				continue
			}
			if p := s[i-1]; !hasLetter(p) && !hasDigit(p) && p != "," {
				continue // after a quote, bracket, colon or dash: capitals tell nothing
			}
			r, _ := utf8.DecodeRuneInString(w)
			c := capMid[strings.ToLower(w)]
			if unicode.IsUpper(r) {
				c[1]++
			} else if unicode.IsLower(r) {
				c[0]++
			}
			capMid[strings.ToLower(w)] = c
		}
	}
	var vocab []string
	for w, c := range count {
		if c >= *minCount {
			vocab = append(vocab, w)
		}
	}
	slices.Sort(vocab)
	vid := make(map[string]int32, len(vocab))
	for i, w := range vocab {
		vid[w] = int32(i)
	}
	var ctxWords []string
	for w := range lcount {
		ctxWords = append(ctxWords, w)
	}
	slices.SortFunc(ctxWords, func(a, b string) int {
		if d := lcount[b] - lcount[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	ctxWords = append([]string{"<s>", "</s>"}, ctxWords[:min(*nctx, len(ctxWords))]...)
	cid := make(map[string]int32, len(ctxWords))
	for i, w := range ctxWords {
		cid[w] = int32(i)
	}
	C := len(ctxWords)
	D := 3 * C // left neighbour, right neighbour, ±2
	logf("vocabulary %d forms (count ≥ %d), %d context words", len(vocab), *minCount, C)

	// 3. Co-occurrence counts and PPMI rows.
	co := make([]map[int32]float32, len(vocab))
	for i := range co {
		co[i] = map[int32]float32{}
	}
	ctxOf := func(s []string, j int) int32 {
		switch {
		case j < 0:
			return 0
		case j >= len(s):
			return 1
		}
		if c, ok := cid[strings.ToLower(s[j])]; ok {
			return c
		}
		return -1
	}
	for _, s := range sents {
		for i, w := range s {
			v, ok := vid[w]
			if !ok {
				continue
			}
			if c := ctxOf(s, i-1); c >= 0 {
				co[v][c]++
			}
			if c := ctxOf(s, i+1); c >= 0 {
				co[v][int32(C)+c]++
			}
			for _, j := range []int{i - 2, i + 2} {
				if c := ctxOf(s, j); c >= 0 {
					co[v][int32(2*C)+c] += 0.5
				}
			}
		}
	}
	colSum := make([]float64, D)
	total := 0.0
	for _, m := range co {
		for c, x := range m {
			colSum[c] += float64(x)
			total += float64(x)
		}
	}
	colP := make([]float64, D)
	smooth := 0.0
	for c, x := range colSum {
		colP[c] = math.Pow(x, 0.75)
		smooth += colP[c]
	}
	rows := make([]sparse, len(vocab))
	for v, m := range co {
		rowSum := 0.0
		for _, x := range m {
			rowSum += float64(x)
		}
		keys := make([]int32, 0, len(m))
		for c := range m {
			keys = append(keys, c)
		}
		slices.Sort(keys)
		for _, c := range keys {
			pmi := math.Log(float64(m[c]) / rowSum / (colP[c] / smooth))
			if pmi > 0 {
				rows[v].idx = append(rows[v].idx, c)
				rows[v].val = append(rows[v].val, pmi)
			}
		}
		co[v] = nil
	}
	logf("PPMI rows built")

	// 4. Randomised SVD of the frequent words' rows.
	var core []int
	for v, w := range vocab {
		if count[w] >= *coreCount && len(rows[v].idx) > 0 {
			core = append(core, v)
		}
	}
	rng := rand.New(rand.NewPCG(*seed, 7))
	m := *dim + 20
	omega := newMat(D, m)
	for i := range omega.a {
		omega.a[i] = rng.NormFloat64()
	}
	coreRows := make([]sparse, len(core))
	for i, v := range core {
		coreRows[i] = rows[v]
	}
	y := mulSparse(coreRows, omega)
	for range 2 {
		orth(y)
		z := mulSparseT(coreRows, y, D)
		orth(z)
		y = mulSparse(coreRows, z)
	}
	orth(y)
	z := mulSparseT(coreRows, y, D) // Bᵀ = Aᵀ Q, D×m
	gram := newMat(m, m)            // B Bᵀ = Zᵀ Z
	for i := range D {
		zi := z.row(i)
		for a := range m {
			if zi[a] == 0 {
				continue
			}
			g := gram.row(a)
			for b := range m {
				g[b] += zi[a] * zi[b]
			}
		}
	}
	vals, vecs := jacobi(gram)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case vals[a] > vals[b]:
			return -1
		case vals[a] < vals[b]:
			return 1
		}
		return 0
	})
	// P = Z W Σ^-1.5, so a row a embeds as a·P = U Σ^0.5 for the core rows.
	k := *dim
	proj := newMat(D, k)
	for i := range D {
		zi := z.row(i)
		pi := proj.row(i)
		for j := range k {
			e := order[j]
			s := 0.0
			for a := range m {
				s += zi[a] * vecs.at(a, e)
			}
			sigma := math.Sqrt(math.Max(vals[e], 1e-12))
			pi[j] = s / math.Pow(sigma, 1.5)
		}
	}
	emb := mulSparse(rows, proj)
	for v := range vocab {
		normalize(emb.row(v))
	}
	logf("SVD: %d core words, %d dimensions (top singular values %.1f %.1f %.1f)", len(core), k,
		math.Sqrt(vals[order[0]]), math.Sqrt(vals[order[1]]), math.Sqrt(vals[order[2]]))

	// 5. Spherical k-means on the core words, then every word to its nearest centre,
	// then the centres grouped into the coarser levels.
	coreEmb := newMat(len(core), k)
	weights := make([]float64, len(core))
	for i, v := range core {
		copy(coreEmb.row(i), emb.row(v))
		weights[i] = 1
	}
	cent3 := kmeans(coreEmb, weights, *k3, *iters, *seed+3)
	fine := assign(emb, cent3)
	logf("k-means: %d fine clusters", *k3)
	w3 := make([]float64, *k3)
	for v := range vocab {
		w3[fine[v]]++
	}
	cent2 := kmeans(cent3, w3, *k2, *iters*2, *seed+2)
	mid := assign(cent3, cent2)
	w2 := make([]float64, *k2)
	for c, p := range mid {
		w2[p] += w3[c]
	}
	cent1 := kmeans(cent2, w2, *k1, *iters*2, *seed+1)
	coarse := assign(cent2, cent1)
	logf("k-means: %d middle and %d coarse clusters", *k2, *k1)

	// 6. Write the table: form, coarse, middle, fine (1-based), capitalisation ‰.
	of, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(of, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	fmt.Fprintf(bw, "# newsgraph entity-tagger word table, made by loader/ner/cmd/nerclusters from %d tokens of %s and conll2003/eng.train\n", ntok, strings.Join(baseNames(files), ", "))
	fmt.Fprintln(bw, "# form\tcoarse\tmiddle\tfine\tcapitalised per mille inside sentences (-1 unknown)")
	for v, w := range vocab {
		c := capMid[strings.ToLower(w)]
		mille := -1
		if c[0]+c[1] >= 3 {
			mille = 1000 * c[1] / (c[0] + c[1])
		}
		f3 := fine[v]
		fmt.Fprintf(bw, "%s\t%d\t%d\t%d\t%d\n", w, coarse[mid[f3]]+1, mid[f3]+1, f3+1, mille)
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := of.Close(); err != nil {
		log.Fatal(err)
	}
	logf("wrote %s: %d forms", *out, len(vocab))
	printSample(vocab, fine, count)
}

func baseNames(paths []string) []string {
	var out []string
	for _, p := range paths {
		out = append(out, "corpora/"+filepath.Base(p))
	}
	return out
}

// printSample logs a few fine clusters with their most frequent members.
func printSample(vocab []string, fine []int, count map[string]int) {
	members := map[int][]string{}
	for v, w := range vocab {
		members[fine[v]] = append(members[fine[v]], w)
	}
	for _, probe := range []string{"Clinton", "Germany", "Reuters", "Monday", "Moscow", "Syrian", "bank", "Ltd"} {
		for v, w := range vocab {
			if w != probe {
				continue
			}
			ms := members[fine[v]]
			slices.SortFunc(ms, func(a, b string) int { return count[b] - count[a] })
			log.Printf("  %-8s cluster %4d: %s", probe, fine[v]+1, strings.Join(ms[:min(12, len(ms))], " "))
		}
	}
}

func normDigits(s string) string {
	if !strings.ContainsFunc(s, unicode.IsDigit) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '0'
		}
		return r
	}, s)
}

func hasLetter(s string) bool { return strings.ContainsFunc(s, unicode.IsLetter) }
func hasDigit(s string) bool  { return strings.ContainsFunc(s, unicode.IsDigit) }

// isHeadline reports whether a sentence is written in capitals.
func isHeadline(s []string) bool {
	upper, lower := 0, 0
	for _, w := range s {
		if !hasLetter(w) {
			continue
		}
		if strings.ContainsFunc(w, unicode.IsLower) {
			lower++
		} else {
			upper++
		}
	}
	return upper >= 2 && lower == 0
}

type sparse struct {
	idx []int32
	val []float64
}

// mat is a dense row-major matrix.
type mat struct {
	r, c int
	a    []float64
}

func newMat(r, c int) *mat             { return &mat{r, c, make([]float64, r*c)} }
func (m *mat) row(i int) []float64     { return m.a[i*m.c : (i+1)*m.c] }
func (m *mat) at(i, j int) float64     { return m.a[i*m.c+j] }
func (m *mat) set(i, j int, x float64) { m.a[i*m.c+j] = x }

// parallel runs fn over [0,n) in a few contiguous chunks at once.
func parallel(n int, fn func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for k := range w {
		lo, hi := n*k/w, n*(k+1)/w
		wg.Add(1)
		go func() { defer wg.Done(); fn(lo, hi) }()
	}
	wg.Wait()
}

// mulSparse returns A·B for sparse rows A and dense B.
func mulSparse(a []sparse, b *mat) *mat {
	out := newMat(len(a), b.c)
	parallel(len(a), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			o := out.row(i)
			for k, j := range a[i].idx {
				x := a[i].val[k]
				for c, y := range b.row(int(j)) {
					o[c] += x * y
				}
			}
		}
	})
	return out
}

// mulSparseT returns Aᵀ·B (d×B.c) for sparse rows A of width d.
func mulSparseT(a []sparse, b *mat, d int) *mat {
	out := newMat(d, b.c)
	for i := range a {
		bi := b.row(i)
		for k, j := range a[i].idx {
			x := a[i].val[k]
			o := out.row(int(j))
			for c, y := range bi {
				o[c] += x * y
			}
		}
	}
	return out
}

// orth orthonormalises the columns of m in place (modified Gram-Schmidt).
func orth(m *mat) {
	cols := make([][]float64, m.c)
	for j := range cols {
		cols[j] = make([]float64, m.r)
		for i := range m.r {
			cols[j][i] = m.at(i, j)
		}
	}
	for j := range cols {
		for p := range j {
			d := dot(cols[j], cols[p])
			for i := range cols[j] {
				cols[j][i] -= d * cols[p][i]
			}
		}
		n := math.Sqrt(dot(cols[j], cols[j]))
		if n < 1e-12 {
			clear(cols[j])
			continue
		}
		for i := range cols[j] {
			cols[j][i] /= n
		}
	}
	for j := range cols {
		for i := range m.r {
			m.set(i, j, cols[j][i])
		}
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func normalize(v []float64) {
	n := math.Sqrt(dot(v, v))
	if n == 0 {
		return
	}
	for i := range v {
		v[i] /= n
	}
}

// jacobi returns the eigenvalues and eigenvectors (columns) of a symmetric matrix.
func jacobi(s *mat) ([]float64, *mat) {
	n := s.r
	a := &mat{n, n, slices.Clone(s.a)}
	v := newMat(n, n)
	for i := range n {
		v.set(i, i, 1)
	}
	for sweep := 0; sweep < 100; sweep++ {
		off := 0.0
		for p := range n {
			for q := p + 1; q < n; q++ {
				off += a.at(p, q) * a.at(p, q)
			}
		}
		if off < 1e-18 {
			break
		}
		for p := range n {
			for q := p + 1; q < n; q++ {
				apq := a.at(p, q)
				if math.Abs(apq) < 1e-300 {
					continue
				}
				theta := (a.at(q, q) - a.at(p, p)) / (2 * apq)
				t := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
				c := 1 / math.Sqrt(t*t+1)
				sn := t * c
				for k := range n {
					akp, akq := a.at(k, p), a.at(k, q)
					a.set(k, p, c*akp-sn*akq)
					a.set(k, q, sn*akp+c*akq)
				}
				for k := range n {
					apk, aqk := a.at(p, k), a.at(q, k)
					a.set(p, k, c*apk-sn*aqk)
					a.set(q, k, sn*apk+c*aqk)
				}
				for k := range n {
					vkp, vkq := v.at(k, p), v.at(k, q)
					v.set(k, p, c*vkp-sn*vkq)
					v.set(k, q, sn*vkp+c*vkq)
				}
			}
		}
	}
	vals := make([]float64, n)
	for i := range n {
		vals[i] = a.at(i, i)
	}
	return vals, v
}

// kmeans clusters the (unit) rows of x, weighted, into k centres by cosine, starting
// from k-means++ seeds.
func kmeans(x *mat, w []float64, k, iters int, seed uint64) *mat {
	n, d := x.r, x.c
	k = min(k, n)
	rng := rand.New(rand.NewPCG(seed, 11))
	cent := newMat(k, d)
	// k-means++ seeding on cosine distance.
	dist := make([]float64, n)
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	pick := rng.IntN(n)
	for c := range k {
		copy(cent.row(c), x.row(pick))
		total := 0.0
		cr := cent.row(c)
		for i := range n {
			dd := 1 - dot(x.row(i), cr)
			if dd < 0 {
				dd = 0
			}
			dist[i] = math.Min(dist[i], dd)
			total += dist[i] * dist[i] * w[i]
		}
		r := rng.Float64() * total
		pick = n - 1
		for i := range n {
			r -= dist[i] * dist[i] * w[i]
			if r <= 0 {
				pick = i
				break
			}
		}
	}
	for range iters {
		a := assign(x, cent)
		next := newMat(k, d)
		for i, c := range a {
			nr := next.row(c)
			for j, y := range x.row(i) {
				nr[j] += w[i] * y
			}
		}
		for c := range k {
			nr := next.row(c)
			if dot(nr, nr) == 0 {
				copy(nr, cent.row(c))
			}
			normalize(nr)
		}
		cent = next
	}
	return cent
}

// assign returns the nearest centre (largest dot product) of each row of x.
func assign(x, cent *mat) []int {
	out := make([]int, x.r)
	parallel(x.r, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			xi := x.row(i)
			best, arg := math.Inf(-1), 0
			for c := range cent.r {
				if s := dot(xi, cent.row(c)); s > best {
					best, arg = s, c
				}
			}
			out[i] = arg
		}
	})
	return out
}
