package gazetteer

import (
	"strings"
	"testing"
	"time"
)

func TestDefault(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		phrase string
		kind   Kind
		name   string
		via    Via
	}{
		{"Russian", Country, "Russia", ByDemonym},
		{"US", Country, "United States", ByAlias},
		{"U.S.", Country, "United States", ByAlias},
		{"United Kingdom", Country, "United Kingdom", ByName},
		{"Aleppo", City, "Aleppo", ByName},
		{"Washington", City, "Washington", ByName},
		{"state department", Organisation, "State Department", ByName},
		{"UN Security Council", Organisation, "UN Security Council", ByName},
		{"Ban Ki-moon", Person, "Ban Ki-Moon", ByName},
		{"Sergei Lavrov", Person, "Sergey Lavrov", ByAlias},
		{"National Coalition for Syrian Revolution and Opposition Forces", Organisation, "Syrian National Coalition", ByAlias},
		{"U.N. Commission of Inquiry", Organisation, "UN Commission of Inquiry on Syria", ByAlias},
		{"Islamic State in Iraq and the Levant", Organisation, "Islamic State", ByAlias},
	}
	for _, c := range cases {
		ms := g.Lookup(Key(Split(c.phrase)))
		if len(ms) == 0 {
			t.Errorf("%q: not found", c.phrase)
			continue
		}
		m := ms[0]
		if m.Kind != c.kind || m.Name != c.name || m.Via != c.via {
			t.Errorf("%q: got %v %q via %d, want %v %q via %d", c.phrase, m.Kind, m.Name, m.Via, c.kind, c.name, c.via)
		}
	}
	if !g.Lookup("washington")[0].Capital {
		t.Error("Washington is not a capital")
	}
	lav := g.Lookup("sergey lavrov")[0]
	if got := lav.CountryAt(time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)); got != "Russia" {
		t.Errorf("Lavrov's country in 2016: %q", got)
	}
	if c, ok := g.RoleClass("secretary of state"); !ok || c != "foreign" {
		t.Errorf("secretary of state: %q %v", c, ok)
	}
	if e := g.BySurname("lavrov", time.Date(2016, 9, 28, 0, 0, 0, 0, time.UTC)); e == nil || e.Name != "Sergey Lavrov" {
		t.Errorf("BySurname(lavrov) = %v", e)
	}
	if !g.IsCommonWord("talks") || g.IsCommonWord("aleppo") {
		t.Error("common words")
	}
	if !g.IsFirstName("John") || g.IsFirstName("The") {
		t.Error("first names")
	}
	if len(g.Lookup("police")) > 0 || len(g.Lookup("in")) > 0 {
		t.Error("common words must not be names")
	}
	// The Phoenix actor dictionaries list regions and states as actors ("IRAQI_KURDISTAN"
	// with the variants ERBIL and SULAYMANIYAH): none of them is a person.
	for _, phrase := range []string{"Iraqi Kurdistan", "Republika Srpska", "Donets Basin", "Al 'iraq"} {
		for _, m := range g.Lookup(Key(Split(phrase))) {
			if m.Kind == Person {
				t.Errorf("%q is the person %q", phrase, m.Name)
			}
		}
	}
}

func TestSplitKey(t *testing.T) {
	got := Key(Split("Ban Ki-moon's  U.S. state’s"))
	if want := "ban ki moon 's u.s. state 's"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := Load("x.tsv", strings.NewReader("# c\nC\tonly\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "x.tsv:2:") {
		t.Errorf("got %v, want an error naming x.tsv:2", err)
	}
	_, err = Load("x.tsv", strings.NewReader("P\tA B\t-\t\tRussia~x~2004-13-01~\n"))
	if err == nil || !strings.Contains(err.Error(), "x.tsv:1:") {
		t.Errorf("got %v", err)
	}
}

// TestHolderOf: the holder of a role class in a country on a day, from the Phoenix
// roles (titles from the dictionary's comments and from name variants such as
// "SECRETARY_OF_STATE_JOHN_KERRY_"); the latest started role wins; nobody when the
// data does not know.
func TestHolderOf(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int) time.Time { return time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		country, class string
		at             time.Time
		want           string
	}{
		{"Russia", "foreign", day(2016), "Sergey Lavrov"},
		{"United States", "foreign", day(2016), "John Kerry"},      // over Clinton, whose role Phoenix left open
		{"United States", "foreign", day(2010), "Hillary Clinton"}, // before Kerry's
		{"United States", "head", day(2016), "Barack Obama"},
		{"United States", "defence", day(2016), "Ashton Carter"},
		{"Russia", "foreign", day(2001), ""}, // Lavrov's title starts in 2004; his predecessor has none
		{"Russia", "foreign", time.Time{}, ""},
		{"Nowhere", "foreign", day(2016), ""},
	}
	for _, c := range cases {
		got := ""
		if e := g.HolderOf(c.country, c.class, c.at); e != nil {
			got = e.Name
		}
		if got != c.want {
			t.Errorf("HolderOf(%q, %q, %s) = %q, want %q", c.country, c.class, c.at.Format("2006-01-02"), got, c.want)
		}
	}
}

func TestNear(t *testing.T) {
	g, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		phrase string
		want   string // "" for no match
	}{
		{"Syrian Obervatory for Human Rights", "Syrian Observatory for Human Rights"},   // a letter dropped
		{"Syrian Observatorry for Human Rights", "Syrian Observatory for Human Rights"}, // one added
		{"Syrian Observatory for Human Rigths", ""},                                     // two letters swapped: two edits
		{"Syrian Obervatory for Human Right", ""},                                       // two words differ
		{"Syrian Observatory for Human Rights", ""},                                     // no typo: Lookup's job
		{"Syrian Observatory", ""},                                                      // too short
		{"Syrain Observatory for Human Rights", ""},                                     // the first word must match
	}
	for _, c := range cases {
		m, ok := g.Near(strings.Split(Key(Split(c.phrase)), " "))
		got := ""
		if ok {
			got = m.Name
		}
		if got != c.want {
			t.Errorf("Near(%q) = %q, want %q", c.phrase, got, c.want)
		}
	}
}
