package graphtest

import (
	"time"

	"github.com/newsgraph/newsgraph/graph"
)

// Entities of the fixtures, modelled on examples/articles/2016-09-28-us-threatens-to-end-syria-talks.txt.
var (
	US          = graph.EntityRef{Type: graph.State, Name: "United States"}
	Russia      = graph.EntityRef{Type: graph.State, Name: "Russia"}
	Kerry       = graph.EntityRef{Type: graph.Person, Name: "John Kerry"}
	Lavrov      = graph.EntityRef{Type: graph.Person, Name: "Sergei Lavrov"}
	Kirby       = graph.EntityRef{Type: graph.Person, Name: "John Kirby"}
	Ban         = graph.EntityRef{Type: graph.Person, Name: "Ban Ki-moon"}
	EastAleppo  = graph.EntityRef{Type: graph.City, Name: "East Aleppo"}
	Aleppo      = graph.EntityRef{Type: graph.City, Name: "Aleppo"}
	Farafira    = graph.EntityRef{Type: graph.City, Name: "Farafira"}
	Hospitals   = graph.EntityRef{Type: graph.Facility, Name: "East Aleppo hospitals"}
	SyrianArmy  = graph.EntityRef{Type: graph.Organisation, Name: "Syrian Army"}
	StateDept   = graph.EntityRef{Type: graph.Organisation, Name: "State Department"}
	UNSC        = graph.EntityRef{Type: graph.Organisation, Name: "UN Security Council"}
	Syria       = graph.EntityRef{Type: graph.State, Name: "Syria"}
	Yemen       = graph.EntityRef{Type: graph.State, Name: "Yemen"}
	Sanaa       = graph.EntityRef{Type: graph.City, Name: "Sanaa"}
	Damascus    = graph.EntityRef{Type: graph.City, Name: "Damascus"}
	Assad       = graph.EntityRef{Type: graph.Person, Name: "Bashar al-Assad"}
	Zurich      = graph.EntityRef{Type: graph.City, Name: "Zürich"}
	Switzerland = graph.EntityRef{Type: graph.State, Name: "Switzerland"}
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ent(r graph.EntityRef, aliases ...string) graph.ArticleEntity {
	return graph.ArticleEntity{EntityRef: r, Aliases: aliases}
}

func st(s graph.EntityRef, p string, o graph.EntityRef, m graph.Modality, date time.Time, sentence string, start int) graph.Statement {
	return graph.Statement{
		Subject: s, Predicate: p, Object: o, Modality: m, EventDate: date,
		Sentence: sentence, Start: start, End: start + len(sentence), Confidence: 0.9,
	}
}

const (
	sWarned  = "The US has warned that it could end talks with Russia on the Syrian conflict unless Moscow ends its bombing of rebel-held eastern Aleppo."
	sPhoned  = "US Secretary of State John Kerry phoned his Russian counterpart on Wednesday to deliver the ultimatum after two hospitals were bombed in the morning by suspected Russian war planes."
	sInform  = `"He informed the foreign minister (Lavrov) that the United States is making preparations to suspend US-Russia bilateral engagement on Syria ... unless Russia takes immediate steps to end the assault on Aleppo and restore the cessation of hostilities," state department spokesman John Kirby said in a statement.`
	sSeized  = "The Syrian army said on Tuesday that it had seized the rebel-held district of Farafira, located north-west of Aleppo's historic citadel."
	sBombing = "Intense bombardments of residential districts by Syrian and Russian warplanes have also been accompanied by advances on the ground."
)

// SyriaTalks is the reference article: Kerry warned Lavrov, the US warned Russia
// (hedged), Russia bombed hospitals in East Aleppo (hedged), the Syrian Army seized
// Farafira (reported by the army), Farafira is located in Aleppo, Kerry holds the role
// of Secretary of State of the United States.
func SyriaTalks() *graph.Article {
	kerryRole := st(Kerry, "holds_role", US, graph.Asserted, time.Time{}, sPhoned, 455)
	kerryRole.Role = "Secretary of State"
	kirbyRole := st(Kirby, "holds_role", StateDept, graph.Asserted, time.Time{}, sInform, 634)
	kirbyRole.Role = "spokesman"
	reported := st(Kerry, "warned", Lavrov, graph.Reported, day(2016, 9, 28), sInform, 634)
	reported.Speaker = &Kirby
	seized := st(SyrianArmy, "seized", Farafira, graph.Reported, day(2016, 9, 27), sSeized, 2301)
	seized.Speaker = &SyrianArmy
	return &graph.Article{
		ID:        "2016-09-28-us-threatens-to-end-syria-talks",
		Title:     "US threatens to end Syria talks with Russia",
		URL:       "examples/articles/2016-09-28-us-threatens-to-end-syria-talks.txt",
		Source:    "The New Arab",
		Published: day(2016, 9, 28),
		Hash:      "sha256:syria-talks-v1",
		Entities: []graph.ArticleEntity{
			ent(US, "US", "Washington"),
			ent(Russia, "Moscow", "Russian"),
			ent(Kerry, "Kerry", "US Secretary of State John Kerry", "the US secretary of state"),
			ent(Lavrov, "Lavrov", "Sergei Lavrov"),
			ent(Kirby, "Kirby"),
			ent(EastAleppo, "eastern Aleppo", "rebel-held East Aleppo"),
			ent(Aleppo),
			ent(Hospitals, "two hospitals"),
			ent(SyrianArmy, "Syrian army"),
			ent(StateDept, "state department"),
			ent(Ban, "UN Secretary-General Ban Ki-moon", "Moon"),
			ent(UNSC),
			ent(Farafira),
		},
		Statements: []graph.Statement{
			st(US, "warned", Russia, graph.Hedged, day(2016, 9, 28), sWarned, 310),
			st(Kerry, "warned", Lavrov, graph.Asserted, day(2016, 9, 28), sPhoned, 455),
			st(Kerry, "met", Lavrov, graph.Asserted, day(2016, 9, 28), sPhoned, 455),
			st(Russia, "bombed", Hospitals, graph.Hedged, day(2016, 9, 28), sPhoned, 455),
			st(Russia, "bombed", EastAleppo, graph.Asserted, day(2016, 9, 28), sWarned, 310),
			st(Russia, "bombed", EastAleppo, graph.Asserted, day(2016, 9, 27), sBombing, 2100),
			reported,
			seized,
			st(Farafira, "located_in", Aleppo, graph.Asserted, time.Time{}, sSeized, 2301),
			st(EastAleppo, "located_in", Aleppo, graph.Asserted, time.Time{}, sWarned, 310),
			st(Hospitals, "located_in", EastAleppo, graph.Asserted, time.Time{}, sPhoned, 455),
			kerryRole,
			kirbyRole,
		},
	}
}

// SyriaTalksV2 is SyriaTalks corrected: the Farafira statements are gone, a
// condemnation by Ban Ki-moon is new, Kerry has a new alias.
func SyriaTalksV2() *graph.Article {
	a := SyriaTalks()
	a.Hash = "sha256:syria-talks-v2"
	a.Title = "US threatens to end Syria talks with Russia (updated)"
	var sts []graph.Statement
	for _, s := range a.Statements {
		if s.Subject == Farafira || s.Object == Farafira {
			continue
		}
		sts = append(sts, s)
	}
	a.Statements = append(sts, st(Ban, "condemned", Russia, graph.Asserted, day(2016, 9, 28),
		"UN Secretary-General Ban Ki-moon has since condemned attacks on medical facilities in Syria.", 1200))
	var ents []graph.ArticleEntity
	for _, e := range a.Entities {
		if e.EntityRef == Farafira {
			continue
		}
		if e.EntityRef == Kerry {
			e.Aliases = append(e.Aliases, "Secretary Kerry")
		}
		ents = append(ents, e)
	}
	a.Entities = ents
	return a
}

// Denial is a second outlet's report the next day: Kerry's warning (the same event as in
// SyriaTalks), Russia's denial of the hospital bombing, the US condemning Russia, and the
// Syrian Army attacking East Aleppo.
func Denial() *graph.Article {
	return &graph.Article{
		ID:        "reuters-2016-09-29-russia-denies",
		Title:     "Russia denies bombing Aleppo hospitals as Kerry's warning stands",
		URL:       "https://example.org/reuters/2016-09-29/russia-denies",
		Source:    "Reuters",
		Published: day(2016, 9, 29),
		Hash:      "sha256:denial-v1",
		Entities: []graph.ArticleEntity{
			ent(US, "Washington"),
			ent(Russia, "Moscow", "Kremlin"),
			ent(Kerry, "Kerry"),
			ent(Lavrov, "Lavrov"),
			ent(Hospitals, "hospitals"),
			ent(EastAleppo, "East Aleppo"),
			ent(SyrianArmy, "government forces"),
		},
		Statements: []graph.Statement{
			st(Kerry, "warned", Lavrov, graph.Asserted, day(2016, 9, 28),
				"On Wednesday Kerry warned Lavrov that Washington could suspend talks.", 0),
			st(Russia, "bombed", Hospitals, graph.Negated, day(2016, 9, 28),
				"Moscow denied that its aircraft bombed the hospitals.", 70),
			st(US, "condemned", Russia, graph.Asserted, day(2016, 9, 29),
				"Washington condemned Moscow over the assault.", 130),
			st(SyrianArmy, "attacked", EastAleppo, graph.Asserted, day(2016, 9, 29),
				"Government forces attacked East Aleppo from the south.", 180),
		},
	}
}

// UNMeeting links Ban Ki-moon to Lavrov and the UN Security Council, and Assad to Damascus.
func UNMeeting() *graph.Article {
	return &graph.Article{
		ID:        "un-2016-09-30-meeting",
		Title:     "Ban meets Lavrov at the Security Council",
		Source:    "UN News",
		Published: day(2016, 9, 30),
		Hash:      "sha256:un-v1",
		Entities: []graph.ArticleEntity{
			ent(Ban, "Ban", "Moon"),
			ent(Lavrov, "Russian Foreign Minister Sergei Lavrov"),
			ent(UNSC, "Security Council"),
			ent(Assad, "Assad"),
			ent(Damascus),
			ent(Syria),
		},
		Statements: []graph.Statement{
			st(Ban, "met", Lavrov, graph.Asserted, day(2016, 9, 30), "Ban met Lavrov on Friday.", 0),
			st(Ban, "member_of", UNSC, graph.Asserted, time.Time{}, "Ban addressed the Security Council.", 30),
			st(Assad, "based_in", Damascus, graph.Asserted, time.Time{}, "Assad spoke from Damascus.", 70),
			st(Damascus, "located_in", Syria, graph.Asserted, time.Time{}, "Damascus, the Syrian capital.", 100),
			st(Aleppo, "located_in", Syria, graph.Asserted, time.Time{}, "Aleppo, in northern Syria.", 140),
		},
	}
}

// Elsewhere is an article whose entities are not connected to the others.
func Elsewhere() *graph.Article {
	return &graph.Article{
		ID:        "elsewhere-2016-10-01",
		Title:     "Talks in Zürich",
		Source:    "Swissinfo",
		Published: day(2016, 10, 1),
		Hash:      "sha256:elsewhere-v1",
		Entities:  []graph.ArticleEntity{ent(Zurich, "Zurich"), ent(Switzerland), ent(Sanaa), ent(Yemen)},
		Statements: []graph.Statement{
			st(Zurich, "located_in", Switzerland, graph.Asserted, time.Time{}, "Zürich, Switzerland's largest city.", 0),
			st(Sanaa, "located_in", Yemen, graph.Asserted, time.Time{}, "Sanaa, Yemen's capital.", 40),
		},
	}
}
