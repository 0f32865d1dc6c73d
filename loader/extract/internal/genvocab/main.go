// Command genvocab writes loader/extract/vocabulary.tsv, the relation vocabulary
// embedded in the extractor, from PETRARCH's CAMEO verb dictionary (MIT licence) plus
// the hand-added entries of extra.tsv beside this file:
//
//	go run ./loader/extract/internal/genvocab [-cameo ../shared/data/cameo/CAMEO.2.0.txt]
//
// A CAMEO verb block "---  WARN   [130]  ---" lists verbs ("THREATEN", "PILLORY
// {PILLORYING PILLORIES PILLORIED }", "+TAKE_OVER {...}") that take the block's event
// code unless they carry their own ("CONDEMN [111]"). Codes map to relations: 13x
// warned; 111, 112 condemned; 1831–1833 and 195 bombed; 171, 192 seized; 041–046 and
// the meeting verbs of 040 met; other 18x and 19x attacked. Verbs that are too general
// to mean the relation on their own in news text ("take", "face", "hit") are left out,
// and a few verbs are moved to a more specific relation ("bomb" → bombed, "kill" →
// killed); both lists are below. Patterns ("- * ...") are not used.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"strconv"
	"strings"
)

// skip lists CAMEO verbs too general or too ambiguous for their block's relation.
var skip = map[string]bool{}

// move reassigns verbs to a more specific relation than their block's.
var move = map[string]string{
	"BOMB": "bombed", "BOMBARD": "bombed", "SHELL": "bombed",
	"KILL": "killed", "MURDER": "killed", "SLAY": "killed", "ASSASSINATE": "killed",
	"BEHEAD": "killed", "DECAPITATE": "killed", "+WIPE_OUT": "killed", "+GUN_DOWN": "killed",
	"MASSACRE": "killed", "BUTCHER": "killed", "SLAUGHTER": "killed", "EXECUTE": "killed",
}

// meetBlocks are the blocks of code 040 (consult) that mean meeting; the rest of 040
// (arrive, assemble, consider, hear…) does not.
var meetBlocks = map[string]bool{"MEET_PEOPLE": true}

func init() {
	for _, w := range strings.Fields(`TAKE CATCH GRAB SNATCH MATCH CONFLICT QUARREL HAMMER HIT FIRE STONE STRUGGLE
	PIT CHARGE FACE CONFRONT ENCOUNTER BRAVE INTERACT CALL INHABIT RESIDE INFEST LECTURE FAULT DIE ENGAGE
	EXTRACT NATIONALIZE OVERTURN REVOLUTIONISE REVOLUTIONIZE SUBVERT PIRATE STEAL RIP ABUSE HURT SLAP WHIP CANE FLOG
	RAMPAGE KICK BLOW BLAST EXPLODE DETONATE TORCH PELT CONVICT INDICT IMPLICATE SCORN RIDICULE DERIDE
	REPROBATE CHASTEN CONTACT +RUN_INTO +COMMUNICATE_WITH RETALIATE SIEGE STORM PUMMEL CLOBBER WRESTLE DUEL
	GRAPPLE ALTERCATE +SQUARE_OFF +FIGHT_BACK +FIGHT_DOWN +KILLED_AND +KILLED_OR +KIDNAPPED_AND_KILLED
	+ATTACKED_AND_STABBED +SHOT_AND +STAMP_OUT +STRING_UP HANG POUND RAID FLATTEN DESTROY TARGET ENCIRCLE
	RISK ENDANGER CAUTION HOST +ARREST_AND APPREHEND ARREST SUPPRESS CONFINE EXCLUDE IMPEL IMPOSE PUNISH
	RESETTLE SETTLE RESOLVE COMPROMISE +LASH_OUT +DRESS_DOWN JEER SCOFF CRUCIFY SAVAGE
	BEST MASTER OVERSHADOW RING CIRCLE SURMOUNT OVERCOME BREAK CRACK BUST SPOIL CORRUPT CONTAMINATE TEAR BEAT
	DOMINATE MAR TARNISH IMPAIR DAMAGE VITIATE DISHONOR DISHONOUR DISARM LASH THUMP PULL PLUCK DEMOLISH
	APPROPRIATE BROKER ATTEND CONVENE BRAND MOCK SNUB RAVISH REAVE OVERTAKE DEFEAT SURROUND RUIN SHATTER
	INJURE WOUND HARM MISTREAT BRUISE KIDNAP ABDUCT RAPE TORTURE REPEL REPULSE NATIONALISE CRUSH`) {
		skip[w] = true
	}
}

func relationOf(block, code string) string {
	code = strings.SplitN(code, ":", 2)[0]
	n, err := strconv.Atoi(code)
	if err != nil {
		return ""
	}
	for n > 999 { // 1831 → 183
		if code == "1831" || code == "1832" || code == "1833" {
			return "bombed"
		}
		n /= 10
	}
	switch {
	case n >= 130 && n <= 139:
		return "warned"
	case n == 111 || n == 112:
		return "condemned"
	case n == 195:
		return "bombed"
	case n == 171 || n == 192:
		return "seized"
	case n >= 41 && n <= 46:
		return "met"
	case n == 40 && meetBlocks[block]:
		return "met"
	case n >= 180 && n <= 199:
		return "attacked"
	}
	return ""
}

type entry struct {
	rel   string
	forms [5]string
	preps string
}

func main() {
	cameo := flag.String("cameo", "../shared/data/cameo/CAMEO.2.0.txt", "CAMEO verb dictionary")
	extra := flag.String("extra", "loader/extract/internal/genvocab/extra.tsv", "hand-added entries")
	out := flag.String("out", "loader/extract/vocabulary.tsv", "output file")
	flag.Parse()
	entries, err := readCAMEO(*cameo)
	if err != nil {
		log.Fatal(err)
	}
	ex, err := os.ReadFile(*extra)
	if err != nil {
		log.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString(header)
	seen := map[string]bool{}
	for _, l := range strings.Split(string(ex), "\n") {
		if l = strings.TrimSpace(l); l == "" || l[0] == '#' {
			continue
		}
		f := strings.Split(l, "\t")
		seen[f[0]+" "+f[1]+" "+f[2]] = true
	}
	b.WriteString("\n# From CAMEO.2.0.txt\n")
	for _, e := range entries {
		if seen[e.rel+" verb "+e.forms[0]] {
			continue
		}
		seen[e.rel+" verb "+e.forms[0]] = true
		fmt.Fprintf(&b, "%s\tverb\t%s", e.rel, strings.Join(e.forms[:], "\t"))
		if e.preps != "" {
			b.WriteString("\t" + e.preps)
		}
		b.WriteByte('\n')
	}
	b.WriteString("\n# Hand-added (internal/genvocab/extra.tsv)\n")
	for _, l := range strings.Split(string(ex), "\n") {
		if t := strings.TrimSpace(l); t == "" || t[0] == '#' {
			continue
		}
		b.WriteString(strings.TrimRight(l, "\r") + "\n")
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s: %d CAMEO verbs", *out, len(entries))
}

const header = `# newsgraph relation vocabulary. Generated by go run ./loader/extract/internal/genvocab
# from PETRARCH's CAMEO.2.0.txt (MIT licence, Open Event Data Alliance) and
# internal/genvocab/extra.tsv; edit those, or copy this file and point
# extract.Config.VocabularyPath at your copy.
#
# One entry a line, tab-separated; '#' starts a comment; "-" marks an absent form:
#   relation  verb  base  s-form  past  participle  ing-form  [prepositions]
#   relation  noun  singular  plural  [prepositions]
# Phrases are lower case and may have several words ("take over"). Prepositions
# (comma-separated) introduce the object: "met with", "air strikes on", "bombing of".
# Relations: warned, condemned, bombed, attacked, seized, met, killed; others may be added.
`

func readCAMEO(path string) ([]entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []entry
	sc := bufio.NewScanner(f)
	block, code := "", ""
	inVerbs := false
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "######## TRANSFORMATIONS") {
			break
		}
		if strings.HasPrefix(line, "---") {
			inVerbs = true
			fs := strings.Fields(strings.Trim(line, "- "))
			block, code = "", ""
			if len(fs) >= 2 {
				block = fs[0]
				code = strings.Trim(strings.SplitN(fs[1], "]", 2)[0], "[")
			}
			continue
		}
		if !inVerbs {
			continue
		}
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "-") || strings.HasPrefix(line, "~") {
			continue
		}
		verb := strings.Fields(line)[0]
		vcode := code
		if i := strings.Index(line, "["); i >= 0 {
			if j := strings.Index(line[i:], "]"); j > 0 {
				vcode = line[i+1 : i+j]
			}
		}
		var forms []string
		if i := strings.Index(line, "{"); i >= 0 {
			if j := strings.Index(line[i:], "}"); j > 0 {
				forms = strings.Fields(line[i+1 : i+j])
			}
		}
		if skip[verb] {
			continue
		}
		rel := relationOf(block, vcode)
		if r, ok := move[verb]; ok {
			rel = r
		}
		if rel == "" {
			continue
		}
		base := phrase(verb)
		if base == "" || strings.Contains(base, " and") || strings.Contains(base, " or") {
			continue
		}
		out = append(out, entry{rel: rel, forms: inflect(base, forms)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].rel != out[j].rel {
			return out[i].rel < out[j].rel
		}
		return out[i].forms[0] < out[j].forms[0]
	})
	return out, sc.Err()
}

func phrase(w string) string {
	w = strings.ToLower(strings.Trim(strings.TrimPrefix(w, "+"), "_"))
	return strings.ReplaceAll(w, "_", " ")
}

// inflect returns base, s-form, past, participle and ing-form, from the listed
// irregular forms where given and by the regular rules otherwise.
func inflect(base string, listed []string) [5]string {
	words := strings.SplitN(base, " ", 2)
	head, rest := words[0], ""
	if len(words) == 2 {
		rest = " " + words[1]
	}
	f := [5]string{base, regS(head) + rest, regEd(head) + rest, regEd(head) + rest, regIng(head) + rest}
	var past, pp string
	for _, l := range listed {
		p := phrase(l)
		h := strings.SplitN(p, " ", 2)[0]
		switch {
		case p == base:
		case strings.HasSuffix(h, "ing"):
			f[4] = p
		case strings.HasSuffix(h, "s") && !strings.HasSuffix(h, "ss"):
			f[1] = p
		case strings.HasSuffix(h, "n") && !strings.HasSuffix(head, "n"):
			pp = p
		default:
			past = p
		}
	}
	if past == "" {
		past = pp
	}
	if pp == "" {
		pp = past
	}
	if past != "" {
		f[2], f[3] = past, pp
	}
	return f
}

func isVowel(c byte) bool { return strings.IndexByte("aeiou", c) >= 0 }

// double reports whether the final consonant doubles before -ed and -ing ("stab").
func double(w string) bool {
	n := len(w)
	if n < 3 || n > 4 {
		return false
	}
	c := w[n-1]
	return strings.IndexByte("bdgmnprt", c) >= 0 && isVowel(w[n-2]) && !isVowel(w[n-3])
}

func regS(w string) string {
	switch {
	case strings.HasSuffix(w, "y") && len(w) > 1 && !isVowel(w[len(w)-2]):
		return w[:len(w)-1] + "ies"
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "sh"), strings.HasSuffix(w, "ch"),
		strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"), strings.HasSuffix(w, "o"):
		return w + "es"
	}
	return w + "s"
}

func regEd(w string) string {
	switch {
	case strings.HasSuffix(w, "e"):
		return w + "d"
	case strings.HasSuffix(w, "y") && len(w) > 1 && !isVowel(w[len(w)-2]):
		return w[:len(w)-1] + "ied"
	case double(w):
		return w + w[len(w)-1:] + "ed"
	}
	return w + "ed"
}

func regIng(w string) string {
	switch {
	case strings.HasSuffix(w, "ie"):
		return w[:len(w)-2] + "ying"
	case strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "ee") && len(w) > 2:
		return w[:len(w)-1] + "ing"
	case double(w):
		return w + w[len(w)-1:] + "ing"
	}
	return w + "ing"
}
