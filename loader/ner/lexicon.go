package ner

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/newsgraph/newsgraph/internal/hugemem"
)

// The gazetteer categories, one bit each in a phrase's category set.
const (
	gazCountry = iota
	gazDemonym
	gazCity
	gazRegion
	gazOrg
	gazPerson
	gazFirstName
	gazLastName
	numGaz
)

// gazNames are the category names used in the gazetteer TSV file.
var gazNames = [numGaz]string{"country", "demonym", "city", "region", "org", "person", "first", "last"}

// gazPrefix marks a phrase that starts a longer phrase.
const gazPrefix = 1 << 16

// maxPhrase is the longest gazetteer phrase matched, in tokens.
const maxPhrase = 8

// numClusters is the number of cluster granularities (coarse to fine).
const numClusters = 3

// wordEntry is what the word table knows about one word form.
type wordEntry struct {
	cl [numClusters]uint16 // cluster ids, 1-based (0 = unknown)
}

// lexicon holds the word clusters, the corpus case ratios and the gazetteer, keyed
// by hashes (see hash.go). It is read-only once built.
type lexicon struct {
	words    map[uint64]wordEntry // hashNorm(form, normDigits)
	capRatio map[uint64]uint8     // hashNorm(form, normDigits|normLower) → bucket 1..6
	phrases  *featTable           // phrase hash of lower-case words → category bits | gazPrefix
	firstMax map[uint64]uint8     // first word's lower-case hash → longest phrase length

	// Every word of the table (and the pads, ids 0 and 1) analysed once, so that
	// stages can sum their word features once per model rather than per document.
	vocab    *featTable // mix(hashNorm(form, normDigits)) → index in vinfo
	vinfo    []wordInfo
	vinfoMem *hugemem.Region // where vinfo lives

	// Kept for writing the model back out.
	wordList []wordRecord
	gazList  []gazRecord
}

// wordRecord is one line of the word table: a digit-normalised form, its clusters and
// the per-mille share of capitalised mid-sentence uses of its lower-case form (-1 when
// too rare to tell).
type wordRecord struct {
	Form     string
	Clusters [numClusters]uint16
	CapMille int16
}

// gazRecord is one gazetteer phrase (lower-case words joined by single spaces) and its
// category bits.
type gazRecord struct {
	Phrase string
	Cats   uint16
}

// capBucket turns a per-mille capitalisation ratio into a small bucket.
func capBucket(mille int16) uint8 {
	switch {
	case mille < 0:
		return 0
	case mille < 10:
		return 1
	case mille < 200:
		return 2
	case mille < 500:
		return 3
	case mille < 800:
		return 4
	case mille < 990:
		return 5
	}
	return 6
}

func newLexicon(words []wordRecord, gaz []gazRecord) *lexicon {
	lx := &lexicon{
		words:    make(map[uint64]wordEntry, len(words)),
		capRatio: make(map[uint64]uint8, len(words)),
		firstMax: make(map[uint64]uint8, len(gaz)),
		wordList: words,
		gazList:  gaz,
	}
	for _, w := range words {
		lx.words[hashNorm(fnvOffset, w.Form, normDigits)] = wordEntry{cl: w.Clusters}
		if w.CapMille >= 0 {
			lx.capRatio[hashNorm(fnvOffset, w.Form, normDigits|normLower)] = capBucket(w.CapMille)
		}
	}
	lx.vocab = newFeatTable(len(words) + 2)
	for _, w := range append(padWords[:], wordForms(words)...) {
		h := mix(hashNorm(fnvOffset, w, normDigits))
		if lx.vocab.get(h) < 0 {
			lx.vocab.insert(h, int32(len(lx.vinfo)))
			lx.vinfo = append(lx.vinfo, wordInfo{})
		}
	}
	phrases := make(map[uint64]int32, len(gaz))
	for _, g := range gaz {
		ws := strings.Fields(g.Phrase)
		if len(ws) == 0 || len(ws) > maxPhrase {
			continue
		}
		h := uint64(fnvOffset)
		for i, w := range ws {
			if i > 0 {
				phrases[h] |= gazPrefix
				h = hashByte(h, ' ')
			}
			h = hashNorm(h, w, normDigits|normLower)
		}
		phrases[h] |= int32(g.Cats)
		f := hashNorm(fnvOffset, ws[0], normDigits|normLower)
		if uint8(len(ws)) > lx.firstMax[f] {
			lx.firstMax[f] = uint8(len(ws))
		}
	}
	lx.phrases = newFeatTable(len(phrases))
	for h, v := range phrases {
		lx.phrases.insert(mix(h), v)
	}
	// Word infos need the clusters and case ratios in place.
	vinfo, mem := hugemem.Alloc[wordInfo](len(lx.vinfo))
	for _, w := range append(padWords[:], wordForms(words)...) {
		vinfo[lx.vocab.get(mix(hashNorm(fnvOffset, w, normDigits)))] = newWordInfo(lx, w)
	}
	lx.vinfo, lx.vinfoMem = vinfo, mem
	return lx
}

func wordForms(words []wordRecord) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w.Form
	}
	return out
}

// lookupWord finds a word's clusters: the form as written, else title-cased, else
// lower-cased (digits normalised throughout).
func (lx *lexicon) lookupWord(w string) (wordEntry, bool) {
	for _, mode := range [...]int{normDigits, normDigits | normTitle, normDigits | normLower} {
		if e, ok := lx.words[hashNorm(fnvOffset, w, mode)]; ok {
			return e, true
		}
	}
	return wordEntry{}, false
}

// readGzipLines calls fn for each line of a file, gunzipping names ending in ".gz".
func readGzipLines(path string, fn func(line string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := fn(line); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// readWordTable reads the word table written by cmd/nerclusters: lines
// "form<TAB>c1<TAB>c2<TAB>c3<TAB>capMille" (capMille is -1 when unknown).
func readWordTable(path string) ([]wordRecord, error) {
	var out []wordRecord
	err := readGzipLines(path, func(line string) error {
		f := strings.Split(line, "\t")
		if len(f) != 2+numClusters {
			return fmt.Errorf("want %d fields, have %d", 2+numClusters, len(f))
		}
		var rec wordRecord
		rec.Form = f[0]
		for i := range numClusters {
			c, err := strconv.ParseUint(f[1+i], 10, 16)
			if err != nil {
				return err
			}
			rec.Clusters[i] = uint16(c)
		}
		m, err := strconv.ParseInt(f[1+numClusters], 10, 16)
		if err != nil {
			return err
		}
		rec.CapMille = int16(m)
		out = append(out, rec)
		return nil
	})
	return out, err
}

// readGazetteer reads the gazetteer written by cmd/nergazetteer: lines
// "phrase<TAB>cat,cat…".
func readGazetteer(path string) ([]gazRecord, error) {
	idx := map[string]int{}
	for i, n := range gazNames {
		idx[n] = i
	}
	var out []gazRecord
	err := readGzipLines(path, func(line string) error {
		phrase, cats, ok := strings.Cut(line, "\t")
		if !ok {
			return fmt.Errorf("no tab")
		}
		var bits uint16
		for _, c := range strings.Split(cats, ",") {
			i, ok := idx[c]
			if !ok {
				return fmt.Errorf("unknown category %q", c)
			}
			bits |= 1 << i
		}
		out = append(out, gazRecord{phrase, bits})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Phrase < out[j].Phrase })
	return out, err
}
