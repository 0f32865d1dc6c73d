// Command nergazetteer builds the compact gazetteer that package ner's models embed:
// lower-case phrases, tokenized like the tagger's input, with their categories
// (country, demonym, city, region, org, person, first, last).
//
// Run it from the repository root after cmd/nerclusters (whose word table it uses to
// drop one-word place names that are mostly written in lower case, like "of" or "split"):
//
//	go run ./loader/ner/cmd/nergazetteer -data ../shared/data -out loader/ner/resources/gazetteer.tsv.gz
//
// Sources (their licences apply to the output):
//   - mledoze/countries @ 5e9f3700 countries.json: names, alternative spellings,
//     capitals, English demonyms. ODbL 1.0.
//   - GeoNames via ali-hv/geobank-data @ 87f4be9e: cities15000.zip (names of cities
//     over 15,000 people), countryInfo.tsv, regionInfo.tsv (first-level regions).
//     CC BY 4.0, © GeoNames.
//   - openeventdata/petrarch2 @ 676801cd Phoenix actor dictionaries: persons (entries
//     with dated roles), international organisations and armed groups. MIT.
package main

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/newsgraph/newsgraph/loader/ner"
)

var cats = map[string]map[string]bool{} // phrase → categories

// add records name (as written) under category cat.
func add(name, cat string) {
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	var ws []string
	for _, t := range ner.Tokenize(name) {
		ws = append(ws, strings.ToLower(t.Text))
	}
	if len(ws) == 0 || len(ws) > 8 {
		return
	}
	p := strings.Join(ws, " ")
	if len(ws) == 1 && len([]rune(p)) < 2 {
		return
	}
	if cats[p] == nil {
		cats[p] = map[string]bool{}
	}
	cats[p][cat] = true
}

func main() {
	data := flag.String("data", "../shared/data", "the shared data folder")
	words := flag.String("words", "loader/ner/resources/words.tsv.gz", "word table (to drop common lower-case words); empty to skip")
	out := flag.String("out", "loader/ner/resources/gazetteer.tsv.gz", "output file")
	flag.Parse()
	log.SetFlags(0)
	gz := filepath.Join(*data, "gazetteers")

	countries(filepath.Join(gz, "mledoze-countries", "countries.json"))
	geonames(filepath.Join(gz, "geonames"))
	for _, f := range []string{"Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"} {
		phoenix(filepath.Join(gz, "petrarch2-phoenix", f), f == "Phoenix.MilNonState.actors.txt")
	}

	lowerish := map[string]bool{}
	if *words != "" {
		lowerish = lowerCaseWords(*words)
	}
	var lines []string
	dropped := 0
	for p, cs := range cats {
		var names []string
		for c := range cs {
			names = append(names, c)
		}
		slices.Sort(names)
		if !strings.Contains(p, " ") && lowerish[p] {
			// A one-word name mostly written in lower case ("split", "mobile"): keep
			// it only as a country or demonym.
			names = slices.DeleteFunc(names, func(c string) bool { return c != "demonym" && c != "country" })
			if len(names) == 0 {
				dropped++
				continue
			}
		}
		lines = append(lines, p+"\t"+strings.Join(names, ","))
	}
	slices.Sort(lines)
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	bw := bufio.NewWriter(zw)
	fmt.Fprintln(bw, "# newsgraph entity-tagger gazetteer, made by loader/ner/cmd/nergazetteer from mledoze/countries (ODbL 1.0), GeoNames (CC BY 4.0) and PETRARCH2 Phoenix dictionaries (MIT)")
	for _, l := range lines {
		fmt.Fprintln(bw, l)
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d phrases (%d common lower-case words dropped)", *out, len(lines), dropped)
}

func countries(path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var cs []struct {
		Name struct {
			Common, Official string
		}
		AltSpellings []string
		Capital      []string
		Demonyms     map[string]struct{ F, M string }
	}
	if err := json.Unmarshal(b, &cs); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	for _, c := range cs {
		add(c.Name.Common, "country")
		add(c.Name.Official, "country")
		for _, a := range c.AltSpellings {
			if len(a) > 3 && a != strings.ToUpper(a) {
				add(a, "country")
			}
		}
		for _, a := range c.Capital {
			add(a, "city")
		}
		if d, ok := c.Demonyms["eng"]; ok {
			for _, x := range []string{d.F, d.M} {
				add(x, "demonym")
				if strings.HasSuffix(x, "n") || strings.HasSuffix(x, "i") {
					add(x+"s", "demonym")
				}
			}
		}
	}
}

func geonames(dir string) {
	zr, err := zip.OpenReader(filepath.Join(dir, "cities15000.zip"))
	if err != nil {
		log.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			log.Fatal(err)
		}
		eachTSV(r, func(rec []string) {
			if len(rec) < 15 {
				return
			}
			add(rec[1], "city")
			add(rec[2], "city")
		})
		r.Close()
	}
	for _, name := range []string{"countryInfo.tsv", "regionInfo.tsv"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			log.Fatal(err)
		}
		eachTSV(f, func(rec []string) {
			if name == "countryInfo.tsv" && len(rec) > 5 {
				add(rec[4], "country")
				add(rec[5], "city")
			}
			if name == "regionInfo.tsv" && len(rec) > 2 {
				add(rec[1], "region")
				add(rec[2], "region")
			}
		})
		f.Close()
	}
}

func eachTSV(r io.Reader, fn func([]string)) {
	cr := csv.NewReader(r)
	cr.Comma = '\t'
	cr.Comment = '#'
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			continue
		}
		fn(rec)
	}
}

var (
	codeRe  = regexp.MustCompile(`\[([^\]]*)\]`)
	datedRe = regexp.MustCompile(`\d{6}|>\d`)
	parenRe = regexp.MustCompile(`\([^)]*\)`)
)

// titles are words that start or end Phoenix person entries but are not names.
var titles = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`secretary secretary-general general president vice minister prime
		lord lady baron king queen prince princess sheikh sheik emir dr mr mrs ms sir colonel
		col gen lt major captain admiral marshal chief chairman leader deputy ambassador envoy
		governor senator judge justice bishop archbishop pope cardinal imam ayatollah mullah
		commander director head the of un u.n. foreign defense defence interior finance former
		saint st brigadier sultan crown emperor chancellor premier speaker mayor rev reverend
		father brother sister grand ii iii iv jr jr. sr sr.`) {
		titles[w] = true
	}
}

// phoenix reads a PETRARCH actor dictionary. An entry is a head line and "+" variant
// lines, followed by its codes in brackets; codes with dates mark persons. Entries of
// country blocks (a bare three-letter code) are skipped: the other sources cover them.
func phoenix(path string, allOrgs bool) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var names []string
	var codes []string
	flush := func() {
		defer func() { names, codes = nil, nil }()
		if len(names) == 0 {
			return
		}
		dated, country := false, false
		for _, c := range codes {
			if datedRe.MatchString(c) {
				dated = true
			}
			if f := strings.Fields(c); len(f) == 1 && len(f[0]) == 3 {
				country = true
			}
		}
		switch {
		case country && !dated:
			return
		case dated && !allOrgs:
			for i, n := range names {
				add(n, "person")
				if i > 0 {
					continue
				}
				ws := strings.Fields(n)
				for len(ws) > 0 && titles[strings.ToLower(ws[0])] {
					ws = ws[1:]
				}
				for len(ws) > 0 && titles[strings.ToLower(ws[len(ws)-1])] {
					ws = ws[:len(ws)-1]
				}
				if len(ws) >= 2 {
					if len(ws[0]) > 2 && !strings.Contains(ws[0], ".") {
						add(ws[0], "first")
					}
					add(ws[len(ws)-1], "last")
				}
			}
		default:
			for _, n := range names {
				add(n, "org")
			}
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		for _, m := range codeRe.FindAllStringSubmatch(line, -1) {
			codes = append(codes, m[1])
		}
		body := strings.TrimSpace(codeRe.ReplaceAllString(line, ""))
		if line[0] == ' ' || line[0] == '\t' || body == "" {
			continue
		}
		variant := strings.HasPrefix(body, "+")
		if !variant {
			flush()
		}
		body = strings.TrimPrefix(body, "+")
		if strings.ContainsAny(body, "!{}<>=") {
			continue
		}
		body = parenRe.ReplaceAllString(body, " ")
		name := strings.Join(strings.Fields(strings.ReplaceAll(body, "_", " ")), " ")
		if name == "" || len(name) < 3 {
			continue
		}
		if _, err := strconv.Atoi(name); err == nil {
			continue
		}
		names = append(names, name)
	}
	flush()
}

// lowerCaseWords returns the lower-case words that the word table says are written
// in lower case at least half the time inside sentences.
func lowerCaseWords(path string) map[string]bool {
	f, err := os.Open(path)
	if err != nil {
		log.Printf("no word table (%v): keeping every one-word name", err)
		return map[string]bool{}
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	out := map[string]bool{}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		rec := strings.Split(sc.Text(), "\t")
		if len(rec) < 5 || strings.HasPrefix(rec[0], "#") {
			continue
		}
		m, err := strconv.Atoi(rec[len(rec)-1])
		if err == nil && m >= 0 && m < 500 {
			out[strings.ToLower(rec[0])] = true
		}
	}
	return out
}
