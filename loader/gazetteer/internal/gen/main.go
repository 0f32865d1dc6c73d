// Command gen builds loader/gazetteer/gazetteer.tsv.gz, the compact gazetteer embedded
// in the newsgraph binary, from the shared data folder:
//
//	go run ./loader/gazetteer/internal/gen [-data ../shared/data] [-out loader/gazetteer/gazetteer.tsv.gz]
//
// Inputs (see loader/gazetteer's package doc for sources and licences):
//   - gazetteers/mledoze-countries/countries.json: countries, alternative names,
//     English demonyms, capitals;
//   - gazetteers/geonames/cities15000.zip: cities with their country and population,
//     kept when populous (MinPopulation) or a capital or a first-level seat;
//   - gazetteers/petrarch2-phoenix/*.actors.txt: persons with their dated roles, armed
//     groups;
//   - conll2003/eng.train: only to count which words are common in lower case (a city
//     called "Mobile" or "Police" is dropped) and which words start person names;
//   - orgs.tsv, roles.tsv and states.tsv beside this file: hand-curated organisations,
//     role titles and former states.
//
// The output is deterministic: the same inputs give the same bytes.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MinPopulation is the population above which a city is kept.
const MinPopulation = 50000

func main() {
	data := flag.String("data", "../shared/data", "the shared data folder")
	out := flag.String("out", "loader/gazetteer/gazetteer.tsv.gz", "output file")
	here := flag.String("curated", "loader/gazetteer/internal/gen", "folder of orgs.tsv and roles.tsv")
	flag.Parse()
	g, err := build(*data, *here)
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if _, err := zw.Write(g); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d bytes (%d uncompressed)", *out, buf.Len(), len(g))
}

type country struct {
	Name struct {
		Common   string `json:"common"`
		Official string `json:"official"`
	} `json:"name"`
	CCA2         string   `json:"cca2"`
	CCA3         string   `json:"cca3"`
	Capital      []string `json:"capital"`
	AltSpellings []string `json:"altSpellings"`
	Independent  *bool    `json:"independent"`
	Demonyms     map[string]struct {
		F string `json:"f"`
		M string `json:"m"`
	} `json:"demonyms"`
}

// acronyms of countries kept although short: the rest of the two- and three-letter
// codes ("IN", "CAN", "AND") are words.
var countryAcronyms = map[string]bool{"U.S.": true, "U.K.": true, "U.S.A.": true, "U.A.E.": true, "US": true, "USA": true, "UK": true, "UAE": true, "DRC": true, "PRC": true, "DPRK": true, "ROK": true}

// extra country aliases that the sources lack.
var extraCountryAliases = map[string][]string{
	"US": {"U.S.", "U.S.A.", "America", "United States of America"},
	"GB": {"U.K.", "Britain", "Great Britain"},
	"RU": {"Russian Federation"},
	"KR": {"Korea"},
	"NL": {"Holland"},
	"CI": {"Ivory Coast"},
	"CZ": {"Czech Republic"},
	"SY": {"Syrian Arab Republic"},
	"IR": {"Islamic Republic"},
	"AE": {"U.A.E."},
	"TR": {"Turkey"},
	"MM": {"Burma"},
	"SZ": {"Swaziland"},
	"CV": {"Cape Verde"},
	"TL": {"East Timor"},
	"MK": {"Macedonia"},
	"VA": {"Holy See"},
	"PS": {"Palestinian Territories", "Palestinian territories"},
}

// commonNames overrides the source's common name where English news uses another.
var commonNames = map[string]string{"TR": "Turkey", "CI": "Ivory Coast", "CV": "Cape Verde", "TL": "East Timor", "VA": "Vatican City"}

var extraDemonyms = map[string][]string{
	"US": {"U.S.", "US", "American"},
	"GB": {"British", "UK", "U.K."},
	"NL": {"Dutch"},
	"PH": {"Philippine"},
}

type builder struct {
	common    map[string]int // lower-case word → count in lower case in CoNLL
	firstPER  map[string]int
	countries []*country
	byISO3    map[string]*country
	byISO2    map[string]*country
	pop       map[string]int // ISO3 → population
	lines     []string
	titles    []roleTitle     // from roles.tsv, longest first
	places    map[string]bool // names and aliases of the countries and cities written
}

// roleTitle is a role title of roles.tsv: its words and class.
type roleTitle struct {
	words []string // lower case
	class string
}

func build(data, curated string) ([]byte, error) {
	b := &builder{byISO3: map[string]*country{}, byISO2: map[string]*country{}, places: map[string]bool{}}
	if err := b.readCoNLL(filepath.Join(data, "conll2003", "eng.train")); err != nil {
		return nil, err
	}
	if err := b.countryPopulation(filepath.Join(data, "gazetteers", "geonames", "countryInfo.tsv")); err != nil {
		return nil, err
	}
	if err := b.countries1(filepath.Join(data, "gazetteers", "mledoze-countries", "countries.json")); err != nil {
		return nil, err
	}
	if err := b.formerStates(filepath.Join(curated, "states.tsv")); err != nil {
		return nil, err
	}
	if err := b.cities(filepath.Join(data, "gazetteers", "geonames", "cities15000.zip")); err != nil {
		return nil, err
	}
	if err := b.orgs(filepath.Join(curated, "orgs.tsv")); err != nil {
		return nil, err
	}
	// Role titles first (phoenix finds them in name variants), written after the persons.
	roleLines, err := b.roles(filepath.Join(curated, "roles.tsv"))
	if err != nil {
		return nil, err
	}
	if err := b.phoenix(filepath.Join(data, "gazetteers", "petrarch2-phoenix")); err != nil {
		return nil, err
	}
	b.lines = append(b.lines, roleLines...)
	b.firstNames()
	b.commonWords()
	var out bytes.Buffer
	out.WriteString(`# newsgraph gazetteer, generated by go run ./loader/gazetteer/internal/gen; do not edit.
# Sources: mledoze/countries (ODbL 1.0), GeoNames cities15000 (CC BY 4.0), PETRARCH2
# Phoenix actor dictionaries (MIT), hand-curated orgs.tsv, roles.tsv and states.tsv.
# Records, tab-separated, lists separated by '|':
# C name iso3 population capital aliases demonyms country
# T name country population capital(0/1) aliases  city
# O name country aliases                          organisation (country "-": international)
# P name country aliases roles                    person; roles: country~title~from~to;...
# R title class                                   role title
# F word                                          first name
# W word                                          common lower-case English word
`)
	for _, l := range b.lines {
		out.WriteString(l)
		out.WriteByte('\n')
	}
	return out.Bytes(), nil
}

func (b *builder) readCoNLL(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	b.common = map[string]int{}
	b.firstPER = map[string]int{}
	sc := bufio.NewScanner(f)
	prevTag := "O"
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 4 || fs[0] == "-DOCSTART-" {
			prevTag = "O"
			continue
		}
		w, tag := fs[0], fs[3]
		if w != "" && unicode.IsLower(rune(w[0])) {
			b.common[w]++
		}
		if strings.HasSuffix(tag, "PER") && !strings.HasSuffix(prevTag, "PER") {
			b.firstPER[w]++
		}
		prevTag = tag
	}
	return sc.Err()
}

// isCommon reports whether a one-word name is also a common lower-case word.
func (b *builder) isCommon(name string) bool {
	if strings.ContainsAny(name, " -") {
		return false
	}
	return b.common[strings.ToLower(name)] >= 3
}

func clean(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "\t", " ")
	s = strings.ReplaceAll(s, "|", " ")
	return strings.Join(strings.Fields(s), " ")
}

func latin(s string) bool {
	for _, r := range s {
		if r > 0x24F && r != '’' && r != '‘' {
			return false
		}
	}
	return true
}

func (b *builder) countryPopulation(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	b.pop = map[string]int{}
	for _, line := range strings.Split(string(raw), "\n") {
		fs := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(fs) < 8 {
			continue
		}
		b.pop[fs[1]], _ = strconv.Atoi(fs[7])
	}
	return nil
}

func (b *builder) countries1(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var cs []*country
	if err := json.Unmarshal(raw, &cs); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].CCA3 < cs[j].CCA3 })
	for _, c := range cs {
		if n, ok := commonNames[c.CCA2]; ok {
			c.AltSpellings = append(c.AltSpellings, c.Name.Common)
			c.Name.Common = n
		}
		b.byISO3[c.CCA3] = c
		b.byISO2[c.CCA2] = c
		var aliases []string
		add := func(a string) {
			a = clean(a)
			if a == "" || a == c.Name.Common || !latin(a) || strings.Contains(a, ",") {
				return
			}
			if isUpper(a) && len(a) <= 4 && !countryAcronyms[a] {
				return
			}
			aliases = append(aliases, a)
		}
		add(c.Name.Official)
		for _, a := range c.AltSpellings {
			add(a)
		}
		for _, a := range extraCountryAliases[c.CCA2] {
			add(a)
		}
		var dems []string
		if d, ok := c.Demonyms["eng"]; ok {
			dems = append(dems, d.M, d.F)
		}
		dems = append(dems, extraDemonyms[c.CCA2]...)
		dems = uniq(dems)
		var plural []string
		for _, d := range dems {
			if p := pluralDemonym(d); p != "" {
				plural = append(plural, p)
			}
		}
		dems = uniq(append(dems, plural...))
		capital := ""
		if len(c.Capital) > 0 {
			capital = clean(c.Capital[0])
		}
		b.places[clean(c.Name.Common)] = true
		b.lines = append(b.lines, strings.Join([]string{"C", clean(c.Name.Common), c.CCA3, strconv.Itoa(b.pop[c.CCA3]), capital, strings.Join(uniq(aliases), "|"), strings.Join(dems, "|")}, "\t"))
	}
	return nil
}

func pluralDemonym(d string) string {
	if d == "" || isUpper(d) || strings.Contains(d, ".") {
		return ""
	}
	for _, suf := range []string{"sh", "ch", "ese", "ss", "s", "x", "z", "i"} {
		if strings.HasSuffix(d, suf) && suf != "i" {
			return ""
		}
	}
	return d + "s"
}

func isUpper(s string) bool {
	has := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsUpper(r) {
			has = true
		}
	}
	return has
}

func uniq(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if x == "" || seen[x] {
			continue
		}
		seen[x] = true
		out = append(out, x)
	}
	return out
}

func (b *builder) cities(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	if len(zr.File) == 0 {
		return fmt.Errorf("%s: empty archive", path)
	}
	f, err := zr.File[0].Open()
	if err != nil {
		return err
	}
	defer f.Close()
	type city struct {
		name, country string
		pop           int
		capital       bool
		aliases       []string
	}
	var cities []city
	r := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := r.ReadString('\n')
		if line != "" {
			fs := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
			if len(fs) >= 15 {
				pop, _ := strconv.Atoi(fs[14])
				code := fs[7]
				capital := code == "PPLC"
				c := b.byISO2[fs[8]]
				if c != nil && (pop >= MinPopulation || capital || code == "PPLA" && pop >= 50000) {
					name := fs[1]
					if !latin1(name) {
						name = fs[2] // "Al Bab" rather than "Al Bāb"
					}
					name = strings.TrimSuffix(clean(name), ", D.C.")
					if name != "" && !(b.isCommon(name) && pop < 1000000) {
						var al []string
						if fs[2] != name && !b.isCommon(fs[2]) {
							al = append(al, clean(fs[2]))
						}
						for _, v := range variants(name) {
							if !b.isCommon(v) {
								al = append(al, v)
							}
						}
						if pop >= MinPopulation {
							for _, a := range strings.Split(fs[3], ",") {
								a = clean(a)
								if len(a) < 4 || !asciiName(a) || b.isCommon(a) || a == name || !sameStart(a, name) || strings.Count(a, " ") > 1 {
									continue
								}
								al = append(al, a)
							}
						}
						cities = append(cities, city{name, clean(c.Name.Common), pop, capital, uniq(al)})
					}
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	sort.Slice(cities, func(i, j int) bool {
		if cities[i].pop != cities[j].pop {
			return cities[i].pop > cities[j].pop
		}
		return cities[i].name+cities[i].country < cities[j].name+cities[j].country
	})
	for _, c := range cities {
		b.places[c.name] = true
		for _, a := range c.aliases {
			b.places[a] = true
		}
		cap := "0"
		if c.capital {
			cap = "1"
		}
		b.lines = append(b.lines, strings.Join([]string{"T", c.name, c.country, strconv.Itoa(c.pop), cap, strings.Join(c.aliases, "|")}, "\t"))
	}
	return nil
}

// latin1 reports whether s uses only Latin-1 letters ("Zürich", not "Ḩamāh").
func latin1(s string) bool {
	for _, r := range s {
		if r > 0xFF {
			return false
		}
	}
	return true
}

// variants returns the spellings English news uses for transliterated names: without
// the Arabic article ("Ar Raqqah" → "Raqqah") and without a final h ("Hamah" → "Hama",
// "Raqqa").
func variants(name string) []string {
	var out []string
	base := name
	for _, art := range []string{"Al ", "Ar ", "As ", "Ad ", "An ", "At ", "Az ", "Ash ", "Adh ", "Al-", "Ar-", "As-", "Ad-", "An-", "At-", "Az-", "Ash-"} {
		if strings.HasPrefix(name, art) && len(name) > len(art)+3 {
			base = name[len(art):]
			out = append(out, base)
			break
		}
	}
	if strings.HasSuffix(base, "ah") && len(base) > 4 {
		out = append(out, base[:len(base)-1])
	}
	return out
}

// sameStart reports whether two spellings of a name start with the same two letters
// ("Hama", "Hamah"), which keeps transliterations and drops other names ("Federal City").
func sameStart(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	return len(a) >= 2 && len(b) >= 2 && a[:2] == b[:2]
}

// asciiName accepts a capitalised ASCII name with lower-case letters ("Halab", "Alep"),
// which excludes codes ("ALP") and transliterations with marks.
func asciiName(s string) bool {
	if s == "" || !unicode.IsUpper(rune(s[0])) {
		return false
	}
	lower := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z', c == ' ', c == '-':
		default:
			return false
		}
	}
	return lower
}

func (b *builder) orgs(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for i, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) != 3 {
			return fmt.Errorf("%s:%d: want 3 tab-separated columns, got %d", path, i+1, len(fs))
		}
		b.lines = append(b.lines, strings.Join([]string{"O", fs[0], fs[1], fs[2]}, "\t"))
	}
	return nil
}

// formerStates reads states.tsv: states that no longer exist, as C records without a
// population.
func (b *builder) formerStates(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for i, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) != 5 {
			return fmt.Errorf("%s:%d: want 5 tab-separated columns, got %d", path, i+1, len(fs))
		}
		if fs[2] == "-" {
			fs[2] = ""
		}
		b.lines = append(b.lines, strings.Join([]string{"C", fs[0], fs[1], "0", fs[2], fs[3], fs[4]}, "\t"))
	}
	return nil
}

// roles reads roles.tsv into b.titles and returns its R records.
func (b *builder) roles(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lines []string
	for i, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) != 2 {
			return nil, fmt.Errorf("%s:%d: want 2 tab-separated columns, got %d", path, i+1, len(fs))
		}
		lines = append(lines, "R\t"+fs[0]+"\t"+fs[1])
		b.titles = append(b.titles, roleTitle{words: strings.Fields(strings.ToLower(fs[0])), class: fs[1]})
	}
	sort.SliceStable(b.titles, func(i, j int) bool { return len(b.titles[i].words) > len(b.titles[j].words) })
	return lines, nil
}

// aliasTitle finds the role title that the name variants of a Phoenix entry carry
// ("RUSSIAN_FOREIGN_MINISTER_SERGEY_LAVROV", "SECRETARY_OF_STATE_JOHN_KERRY_"),
// title-cased; "" when none does or when they name roles of different classes.
func (b *builder) aliasTitle(raw []string) string {
	title, class := "", ""
	for _, r := range raw {
		ws := strings.Split(strings.ToLower(strings.Trim(r, "_")), "_")
	scan:
		for i := range ws {
			for _, t := range b.titles {
				if i+len(t.words) > len(ws) || !slices.Equal(ws[i:i+len(t.words)], t.words) {
					continue
				}
				if t.class == "legislator" {
					break scan // a seat in parliament: Phoenix codes it GOVLEG, which titleLatest leaves alone
				}
				if class != "" && class != t.class {
					return "" // two government posts: which one is the latest is not known
				}
				if title == "" {
					parts := make([]string, len(t.words))
					for k, w := range t.words {
						parts[k] = titleCase(w)
						if w == "of" || w == "the" {
							parts[k] = w
						}
					}
					title, class = strings.Join(parts, " "), t.class
				}
				break scan
			}
		}
	}
	return title
}

// titleLatest gives the title to the latest dated government role of roles
// ("country~title~from~to", codes their Phoenix codes) when that role has none: the
// role a "FOREIGN_MINISTER_…" name variant speaks of is, in Phoenix, the person's
// current government post.
func titleLatest(roles, codes []string, title string) {
	best, bestFrom := -1, ""
	for i, r := range roles {
		p := strings.Split(r, "~")
		code := strings.Fields(codes[i])[0]
		if !strings.Contains(code[3:], "GOV") || strings.Contains(code[3:], "GOVLEG") || p[2] == "" {
			continue
		}
		if p[2] > bestFrom {
			best, bestFrom = i, p[2]
		}
	}
	if best < 0 {
		return
	}
	p := strings.Split(roles[best], "~")
	if p[1] == "" {
		p[1] = title
		roles[best] = strings.Join(p, "~")
	}
}

// titleWords mark an actor-file name variant as a title, not a name.
var titleWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`SECRETARY GENERAL SECRETARY-GENERAL PRESIDENT MINISTER PRIME
	SENATOR AMBASSADOR AMB. GOVERNOR MAYOR KING QUEEN PRINCE EMIR SHEIKH DR. DR MR MR. MRS MS
	FOREIGN DEFENSE DEFENCE CHIEF COMMANDER LEADER SPOKESMAN ENVOY CHAIRMAN DIRECTOR HEAD
	GEN. GEN COL. COLONEL GENERAL PREMIER CHANCELLOR JUDGE JUSTICE REP. REPRESENTATIVE SEN.
	UN U.N. UNITED NATIONS STATE OF THE US U.S. AMERICAN RUSSIAN SYRIAN FORMER DEPUTY VICE
	AYATOLLAH CLERIC BISHOP POPE CARDINAL ARCHBISHOP SULTAN PRESIDENTIAL MINISTRY OFFICIAL
	PARTY COUNCIL ARMY FRONT GROUP MOVEMENT ORGANIZATION ORGANISATION COMMITTEE BRIGADE BRIGADES
	FORCES FORCE UNION ASSOCIATION AGENCY DEPARTMENT OFFICE COURT BANK COMPANY CORPORATION`) {
		titleWords[w] = true
	}
}

type person struct {
	name    string
	key     string
	aliases []string
	roles   []string
	country string
}

func (b *builder) phoenix(dir string) error {
	persons := map[string]*person{}
	var order []string
	for _, file := range []string{"Phoenix.International.actors.txt", "Phoenix.Countries.actors.txt"} {
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			return err
		}
		var names []string
		var codes [][2]string // code with dates, comment
		flush := func() {
			defer func() { names, codes = nil, nil }()
			if len(names) == 0 {
				return
			}
			dated := false
			for _, c := range codes {
				if strings.ContainsAny(c[0], "0123456789") {
					dated = true
				}
			}
			if !dated {
				return
			}
			var good []string
			for _, n := range names {
				if n = nameOf(n); n != "" {
					good = append(good, n)
				}
			}
			canon := ""
			for _, n := range good {
				if strings.Count(n, " ") >= 1 && strings.Count(n, " ") <= 3 {
					canon = n
					break
				}
			}
			if canon == "" {
				return
			}
			key := nameKey(canon)
			p := persons[key]
			if p == nil {
				p = &person{name: canon, key: key}
				persons[key] = p
				order = append(order, key)
			}
			p.aliases = append(p.aliases, good...)
			var roles, rcodes []string
			for _, c := range codes {
				if r := b.role(c[0], c[1]); r != "" {
					roles, rcodes = append(roles, r), append(rcodes, c[0])
				}
			}
			if t := b.aliasTitle(names); t != "" {
				titleLatest(roles, rcodes, t)
			}
			p.roles = append(p.roles, roles...)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			line = strings.TrimRight(line, "\r")
			comment := ""
			if i := strings.Index(line, "#"); i >= 0 {
				comment = strings.TrimSpace(line[i+1:])
				line = line[:i]
			}
			t := strings.TrimSpace(line)
			switch {
			case t == "" && comment == "":
				flush()
			case t == "":
			case strings.HasPrefix(t, "+"):
				names = append(names, strings.Fields(t[1:])[0])
			case strings.HasPrefix(t, "["):
				for _, c := range codesIn(t) {
					codes = append(codes, [2]string{c, comment})
				}
			case strings.HasPrefix(t, "&") || strings.HasPrefix(t, "!"):
				flush()
			default:
				flush()
				f := strings.Fields(t)
				names = append(names, f[0])
				for _, c := range codesIn(t) {
					codes = append(codes, [2]string{c, comment})
				}
			}
		}
		flush()
	}
	for _, k := range order {
		p := persons[k]
		if b.namesPlace(p) {
			continue
		}
		// "Bashar Al Assad" is also written "Bashar Assad"
		for _, a := range append([]string{p.name}, p.aliases...) {
			for _, part := range []string{" Al ", " El ", " Al-", " El-"} {
				if i := strings.Index(a, part); i > 0 {
					p.aliases = append(p.aliases, a[:i]+" "+a[i+len(part):])
				}
			}
		}
		al := uniq(p.aliases)
		var keep []string
		for _, a := range al {
			if a != p.name && !(strings.Count(a, " ") == 0 && b.isCommon(a)) {
				keep = append(keep, a)
			}
		}
		b.lines = append(b.lines, strings.Join([]string{"P", p.name, "-", strings.Join(keep, "|"), strings.Join(uniq(p.roles), ";")}, "\t"))
		first := strings.Fields(p.name)[0]
		if len(first) > 2 && !strings.Contains(first, ".") {
			b.firstPER[first] += 1
		}
	}
	return nil
}

// namesPlace reports whether a Phoenix actor entry is a place, not a person: the
// dictionaries list regions as actors ("IRAQI_KURDISTAN", with the variants ERBIL
// and SULAYMANIYAH), and an entry one of whose names is a country or city written
// from the geographic sources is one of those.
func (b *builder) namesPlace(p *person) bool {
	if b.places[p.name] {
		return true
	}
	for _, a := range p.aliases {
		if b.places[a] {
			return true
		}
	}
	return false
}

func codesIn(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "[")
		if i < 0 {
			return out
		}
		j := strings.Index(s[i:], "]")
		if j < 0 {
			return out
		}
		out = append(out, strings.TrimSpace(s[i+1:i+j]))
		s = s[i+j+1:]
	}
}

// role turns "RUSGOV >20040309" and the comment "Foreign Minister" into
// "Russia~Foreign Minister~2004-03-09~".
func (b *builder) role(code, comment string) string {
	f := strings.Fields(code)
	if len(f) == 0 || len(f[0]) < 3 {
		return ""
	}
	cc := ""
	switch {
	case strings.HasPrefix(f[0], "IGOUNO"):
		cc = "United Nations"
	default:
		if c := b.byISO3[f[0][:3]]; c != nil {
			cc = clean(c.Name.Common)
		}
	}
	if cc == "" {
		return ""
	}
	from, to := "", ""
	if len(f) > 1 {
		d := f[1]
		switch {
		case strings.HasPrefix(d, ">"):
			from = date(d[1:])
		case strings.HasPrefix(d, "<"):
			to = date(d[1:])
		case strings.Contains(d, "-"):
			p := strings.SplitN(d, "-", 2)
			from, to = date(p[0]), date(p[1])
		}
	}
	title := ""
	if comment != "" && utf8.RuneCountInString(comment) <= 40 && !strings.ContainsAny(comment, ".:;,0123456789") &&
		unicode.IsUpper([]rune(comment)[0]) && !strings.Contains(comment, "Info") && !strings.Contains(comment, "_") {
		title = clean(comment)
	}
	return cc + "~" + title + "~" + from + "~" + to
}

func date(s string) string {
	switch len(s) {
	case 6:
		y, _ := strconv.Atoi(s[:2])
		if y >= 30 {
			y += 1900
		} else {
			y += 2000
		}
		return fmt.Sprintf("%04d-%s-%s", y, s[2:4], fixDay(s[4:6]))
	case 8:
		return s[:4] + "-" + s[4:6] + "-" + fixDay(s[6:8])
	}
	return ""
}

func fixDay(d string) string {
	if d == "00" {
		return "01"
	}
	return d
}

// nameOf turns an actor-file name "SERGEY_V._LAVROV_" into "Sergey V. Lavrov", or ""
// when it is a title or not a name.
func nameOf(raw string) string {
	raw = strings.Trim(raw, "_")
	if raw == "" || strings.ContainsAny(raw, "()/&!{}0123456789") {
		return ""
	}
	words := strings.Split(raw, "_")
	for _, w := range words {
		if w == "" || titleWords[w] {
			return ""
		}
	}
	for i, w := range words {
		words[i] = titleCase(w)
	}
	return strings.Join(words, " ")
}

func titleCase(w string) string {
	rs := []rune(strings.ToLower(w))
	up := true
	for i, r := range rs {
		if up && unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
		}
		up = r == '-' || r == '.'
		if r == '\'' && i == 1 { // O'Neill
			up = true
		}
	}
	return string(rs)
}

func nameKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (b *builder) firstNames() {
	var fs []string
	for w, n := range b.firstPER {
		if n >= 2 && len(w) > 1 && unicode.IsUpper(rune(w[0])) && !isUpper(w) && b.common[strings.ToLower(w)] < 3 && asciiName(w) {
			fs = append(fs, w)
		}
	}
	sort.Strings(fs)
	for _, w := range fs {
		b.lines = append(b.lines, "F\t"+w)
	}
}

// commonWords lists words common in lower case in CoNLL-2003 (at least 5 times), so
// that a capitalised common word ("Comment", "Talks") is not taken for a name.
func (b *builder) commonWords() {
	var ws []string
	for w, n := range b.common {
		if n >= 5 && len(w) > 2 && asciiLower(w) {
			ws = append(ws, w)
		}
	}
	sort.Strings(ws)
	for _, w := range ws {
		b.lines = append(b.lines, "W\t"+w)
	}
}

func asciiLower(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
