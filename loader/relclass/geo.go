package relclass

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
)

// geo.tsv.gz holds "place<TAB>container" lines, lower-cased: GeoNames cities of over
// 15,000 people in their first-level region and country, and regions in their
// country (GeoNames, CC BY 4.0; written by cmd/train from ../shared/data/gazetteers/geonames).
//
//go:embed geo.tsv.gz
var embeddedGeo []byte

var (
	geoOnce sync.Once
	geoIn   map[string]map[string]bool
)

// geoAliases name places the way news does.
var geoAliases = map[string]string{
	"u.s": "united states", "us": "united states", "america": "united states", "usa": "united states",
	"u.k": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom", "england": "united kingdom",
	"soviet union": "russia", "ussr": "russia", "d.c": "district of columbia", "washington d.c": "washington",
	"ala": "alabama", "ariz": "arizona", "ark": "arkansas", "calif": "california", "colo": "colorado",
	"conn": "connecticut", "del": "delaware", "fla": "florida", "ga": "georgia", "ill": "illinois",
	"ind": "indiana", "kan": "kansas", "kans": "kansas", "ky": "kentucky", "la": "louisiana", "md": "maryland",
	"mass": "massachusetts", "mich": "michigan", "minn": "minnesota", "miss": "mississippi", "mo": "missouri",
	"mont": "montana", "neb": "nebraska", "nebr": "nebraska", "nev": "nevada", "n.h": "new hampshire",
	"n.j": "new jersey", "n.m": "new mexico", "n.y": "new york", "n.c": "north carolina", "n.d": "north dakota",
	"okla": "oklahoma", "ore": "oregon", "pa": "pennsylvania", "r.i": "rhode island", "s.c": "south carolina",
	"s.d": "south dakota", "tenn": "tennessee", "tex": "texas", "vt": "vermont", "va": "virginia",
	"wash": "washington", "w.va": "west virginia", "wis": "wisconsin", "wyo": "wyoming",
}

func geoKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimSuffix(s, ".")
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "the ")
	if a, ok := geoAliases[s]; ok {
		return a
	}
	return s
}

func loadGeo() {
	geoIn = map[string]map[string]bool{}
	if len(embeddedGeo) == 0 {
		return
	}
	gz, err := gzip.NewReader(bytes.NewReader(embeddedGeo))
	if err != nil {
		return
	}
	sc := bufio.NewScanner(gz)
	for sc.Scan() {
		a, b, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		m := geoIn[a]
		if m == nil {
			m = map[string]bool{}
			geoIn[a] = m
		}
		m[b] = true
	}
}

// geoContains reports whether GeoNames puts place in container.
func geoContains(place, container string) bool {
	geoOnce.Do(loadGeo)
	p, c := geoKey(place), geoKey(container)
	return p != c && geoIn[p][c]
}

// isGeo reports whether a name is a known place.
func isGeo(name string) bool {
	geoOnce.Do(loadGeo)
	return geoIn[geoKey(name)] != nil
}
