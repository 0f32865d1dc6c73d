package extract

import (
	"testing"

	"github.com/newsgraph/newsgraph/graph"
)

// TestArmiesPlacesAndResidents covers the rules that read who an actor is and where
// it lives from the words around a name: demonym armies, capitals as objects,
// organisations by the head of their name, "X-based" and "a local resident".
func TestArmiesPlacesAndResidents(t *testing.T) {
	x := newTestExtractor(t)
	cases := []struct {
		name string
		text string
		want []rel
		ents []ent
		not  []rel
	}{
		{"demonym troops are the army", "Iranian troops attacked Basra on Tuesday.",
			[]rel{{"Iranian Army", "attacked", "Basrah", ""}}, []ent{{graph.Organisation, "Iranian troops"}},
			[]rel{{"Iran", "attacked", "Basrah", ""}}},
		{"demonym soldiers", "Iraqi soldiers captured the town of Rawandiz.",
			nil, []ent{{graph.Organisation, "Iraqi Army"}}, nil},
		{"capital as object", "The White House said Washington had warned Tehran not to use the missiles.",
			[]rel{{"United States", "warned", "Iran", ""}}, nil, nil},
		{"former state", "The Soviet Union warned Pakistan on Friday.",
			[]rel{{"Soviet Union", "warned", "Pakistan", ""}}, []ent{{graph.State, "Soviet Union"}}, nil},
		{"place-based organisation", "The British-based Syrian Observatory for Human Rights said 20 people died.",
			[]rel{{"Syrian Observatory for Human Rights", "based_in", "United Kingdom", ""}}, nil, nil},
		{"organisation by its head", "The Syrian Observatory for Human Rights counted the dead. The Britain-based Observatory said 20 people died.",
			[]rel{{"Syrian Observatory for Human Rights", "based_in", "United Kingdom", ""}}, nil, nil},
		{"local resident before the name", "Shells hit Aleppo on Monday. \"My father was injured,\" a local resident Malik Kasab said.",
			[]rel{{"Malik Kasab", "lives_in", "Aleppo", ""}}, nil, nil},
		{"local activist after the name", "Troops entered Homs. Mustafa Sultan, a local activist, confirmed the toll.",
			[]rel{{"Mustafa Sultan", "lives_in", "Homs", ""}}, nil, nil},
		{"no place told", "Mustafa Sultan, a local activist, confirmed the toll.",
			nil, nil, nil},
		{"regime aircraft drop bombs on the city", "Dozens were killed in Douma in Syria. Regime aircraft have dropped more than 1000 bombs on the city.",
			[]rel{{"Syria", "bombed", "Douma", ""}}, nil, nil},
		{"distance is not containment", "Troops attacked the city of Douma, 10km northeast of Damascus.",
			nil, []ent{{graph.City, "Douma"}}, []rel{{"Douma", "located_in", "Damascus", ""}}},
		{"possessive state places", "The camp in Syria's southwestern Quneitra province was hit.",
			[]rel{{"Quneitra province", "located_in", "Syria", ""}}, nil, nil},
		{"possessive without its apostrophe", "Troops stepped up attacks on Syrias southern Daraa province on Monday.",
			[]rel{{"Daraa province", "located_in", "Syria", ""}}, nil, nil},
		{"possessive of another country's city", "Iraq's jets bombed Tehran.",
			nil, nil, []rel{{"Tehran", "located_in", "Iraq", ""}}},
		{"killing in a place attacks it", "Syrian regime forces killed 48 rebels in the village of Hardatnin in northern Syria.",
			[]rel{{"Syrian Army", "killed", "Syrian rebels", ""}, {"Syrian Army", "attacked", "Hardatnin", ""}}, nil, nil},
		{"bare troops after a preposition", "In Syria, a rebel opened fire at troops before he was executed.",
			[]rel{{"Syrian rebels", "attacked", "Syrian Army", ""}}, nil, nil},
		{"seize control of", "Rebels seized control of the town of Hardatnin in Syria on Saturday.",
			[]rel{{"Syrian rebels", "seized", "Hardatnin", ""}}, nil, nil},
		{"role after the name", "Zahran Alloush, leader of the Army of Islam, declared Damascus a military zone.",
			[]rel{{"Zahran Alloush", "holds_role", "Army of Islam", ""}}, nil, nil},
		{"body and role after the name, acronym, lost apostrophe", "\"Look at Douma,\" said Hisham Marwah the Syrian National Coalitions (SNC) vice-president. The SNC met on Monday.",
			[]rel{{"Hisham Marwah", "holds_role", "Syrian National Coalition", ""}}, []ent{{graph.Organisation, "SNC"}, {graph.Organisation, "Syrian National Coalition"}},
			[]rel{{"Hisham Marwah", "member_of", "SNC", ""}}},
		{"place noun of a name with a demonym", "Iranian troops continued their advance through the mountains of Iraqi Kurdistan.",
			nil, []ent{{graph.City, "Kurdistan"}}, nil},
		{"name of a place noun of a place", "Iran launched the new offensive among the peaks of the Haj Omran border area of northeast Iraq.",
			[]rel{{"Haj Omran", "located_in", "Iraq", ""}}, []ent{{graph.City, "Haj Omran"}}, nil},
		{"name before a place noun is a place", "Troops entered the Hayan area of northern Aleppo on Monday.",
			nil, []ent{{graph.City, "Hayan"}}, nil},
		{"each coordinated name has its own place", "Officials climbed to a poppy field along the border between Dan Sai District in Loei Province, Nakhon Thai District in Phitsanulok Province, and Lomsak District in Phetchabun Province.",
			[]rel{{"Dan Sai", "located_in", "Loei", ""}}, nil,
			[]rel{{"Dan Sai", "located_in", "Phitsanulok", ""}, {"Dan Sai", "located_in", "Phetchabun", ""}, {"Phitsanulok", "located_in", "Phetchabun", ""}}},
		{"a long name of a known organisation", "The commission condemned the crimes committed by the Syrian regime Islamic State in Iraq and the Levant militants and other armed opposition groups.",
			nil, []ent{{graph.Organisation, "Islamic State"}}, []rel{{"Islamic State", "located_in", "Iraq", ""}}},
		{"a target's container is hit too", "Russian jets bombed a hospital in Aleppo on Monday. Iranian troops are fighting in a new offensive in the mountains of Kurdistan in northern Iraq.",
			[]rel{{"Russia", "bombed", "Aleppo", ""}, {"Iranian Army", "attacked", "Iraq", ""}}, nil, nil},
		{"who repels an attack was its target; 'its troops' are the army named elsewhere", "Iran said its troops repulsed heavy Iraqi counter-attacks. IRNA said the Iranian forces were continuing to advance.",
			[]rel{{"Iraq", "attacked", "Iranian Army", ""}}, []ent{{graph.Organisation, "Iranian Army"}}, nil},
		{"'its forces' of a state whose army is named nowhere else are the state", "Iraq said its forces killed or wounded 15,000 Iranian Revolutionary Guards.",
			[]rel{{"Iraq", "killed", "Revolutionary Guards", ""}}, nil, []rel{{"Iraqi Army", "killed", "Revolutionary Guards", ""}}},
		{"who acts in a clash fights the other side", "Kurdish forces took the town after fierce clashes with Islamic State fighters.",
			[]rel{{"Kurdish forces", "attacked", "Islamic State", ""}}, nil, nil},
		{"who heads a state's team holds a role for it, and who met the team met its head", "Maynard Glitman, who heads the American team discussing medium-range nuclear forces, told reporters the text was ready. Glitman presented the draft treaty during a meeting with the Soviet team on medium-range missiles headed by Lem Masterkov.",
			[]rel{{"Maynard Glitman", "holds_role", "United States", ""}, {"Lem Masterkov", "holds_role", "Soviet Union", ""}, {"Maynard Glitman", "met", "Lem Masterkov", ""}}, nil, nil},
		{"condemning an attack nobody claimed condemns its target", "A car bomb attack on a bus convoy near Aleppo killed 126 people on Saturday. Syrian rebels condemned the attack.",
			[]rel{{"Syrian rebels", "condemned", "bus convoy near Aleppo", ""}}, nil, nil},
		{"the army of an article that names no state is its demonym forces' state", "Syrian troops advanced in Deir Ezzor. The agency quoted its reporter as saying that the army units backed by air force engaged last night in fierce clashes with Islamic State fighters in the cemetery area.",
			[]rel{{"Syrian Army", "attacked", "Islamic State", ""}}, nil, nil},
		{"troops are not ground one seizes", "Fighting went on in Syria. By Friday all but one of the villages initially taken by government forces had been recaptured by the rebels.",
			nil, nil, []rel{{"Syrian rebels", "seized", "Syrian Army", ""}}},
		{"a pronoun object of a conjunct verb is the first verb's object", "Israel seized 1200 square kilometres of the Golan Heights from Syria in 1967 and later annexed it.",
			[]rel{{"Israel", "seized", "Golan Heights", ""}}, nil, []rel{{"Israel", "seized", "Syria", ""}}},
		{"the east of a city is a part of it", "The army offensive tried to encircle the rebel-held east of Aleppo. Douma lies 10 km east of Damascus.",
			[]rel{{"East Aleppo", "located_in", "Aleppo", ""}}, []ent{{graph.City, "East Aleppo"}}, []rel{{"East Damascus", "located_in", "Damascus", ""}}},
		{"a facility 'in the village' is in the village named last", "The rebels seized control of Hardatnin village on Saturday. The opposition forces freed 150 civilians who were captured at a school in the village.",
			[]rel{{"school in Hardatnin", "located_in", "Hardatnin", ""}}, []ent{{graph.Facility, "school in Hardatnin"}}, nil},
		{"a facility 'there' is in the place named last", "The biggest destruction is in Aleppo. Militants seized an artillery school there.",
			[]rel{{"artillery school in Aleppo", "located_in", "Aleppo", ""}}, nil, nil},
		{"the regime of its leader is the state, and who says it bears responsibility condemns it", "Syrian jets bombed Khan Sheikhoun in Syria. Federica Mogherini said the regime of Assad bears primary responsibility.",
			[]rel{{"Federica Mogherini", "condemned", "Syria", ""}}, nil, nil},
		{"what is bombed is ground", "Syrian jets bombed Khan Sheikhoun in Syria on Tuesday.",
			[]rel{{"Syria", "bombed", "Khan Sheikhoun", ""}}, []ent{{graph.City, "Khan Sheikhoun"}}, []rel{{"Khan Sheikhoun", "lives_in", "Syria", ""}}},
		{"the attack believed carried out by jets is the one told before", "Warplanes releasing toxic gas targeted Tuesday the town of Khan Sheikhoun in Idlib northwestern Syria. The Syrian Observatory for Human Rights said the attack believed to have been carried out by Syrian regime or Russian jets killed 58 people.",
			[]rel{{"Syria", "bombed", "Khan Sheikhoun", graph.Hedged}, {"Russia", "bombed", "Khan Sheikhoun", graph.Hedged}}, nil,
			[]rel{{"Russia", "bombed", "Idlib", ""}, {"Russia", "bombed", "Syria", ""}, {"Russia", "attacked", "Khan Sheikhoun", ""}}},
		{"the attacks of who fired rockets are bombings", "An Israeli attack on a Syrian training camp near the Golan Heights killed three fighters on Sunday. The source also said that they were \"Israeli rockets\" but could not say more.",
			[]rel{{"Israel", "bombed", "Syrian training camp near Golan Heights", ""}}, nil, []rel{{"Israel", "attacked", "Syrian training camp near Golan Heights", ""}}},
		{"demonym starts an organisation", "The statement was released by the Syrian Revolution General Commission.",
			nil, []ent{{graph.Organisation, "Syrian Revolution General Commission"}}, nil},
		{"dateline place is no actor", "BAHRAIN, March 5 - Iranian troops are fighting in a new offensive in the mountains of Kurdistan in northern Iraq.",
			[]rel{{"Iranian Army", "attacked", "Kurdistan", ""}}, []ent{{graph.State, "Bahrain"}},
			[]rel{{"Bahrain", "attacked", "Kurdistan", ""}}},
		{"a time is no target", "The army launched the new offensive on Tuesday night among the villages of Idlib province in Syria.",
			[]rel{{"Syrian Army", "attacked", "Idlib province", ""}}, nil, nil},
		{"title, its country, then the name", "The UN special envoy for Syria Staffan de Mistura said so.",
			[]rel{{"Staffan de Mistura", "holds_role", "United Nations", ""}}, []ent{{graph.Person, "Staffan de Mistura"}}, nil},
		{"person inside a regime", "These heinous actions by the Bashar Assad regime are a consequence of weakness.",
			nil, []ent{{graph.Person, "Bashar Assad"}, {graph.State, "Syria"}}, nil},
		{"a list of villages", "Those killed were residents of the villages of al-Foua and Kefraya in Idlib province.",
			nil, []ent{{graph.City, "al-Foua"}, {graph.City, "Kefraya"}}, nil},
		{"who acts during a meeting takes part", "Glitman presented the draft treaty during a meeting at the American mission with the Soviet team.",
			[]rel{{"Glitman", "met", "Soviet Union", ""}}, nil, nil},
		{"possessed forces, a shared object, a whole number", "Iraq said its forces killed or wounded 15,000 Iranian Revolutionary Guards near Basra.",
			[]rel{{"Iraq", "killed", "Revolutionary Guards", ""}}, nil, nil},
		{"a people's forces, the people no person", "Kurdish forces control much of Hasaka province. Iran has backed dissident Kurds in the area.",
			nil, []ent{{graph.Organisation, "Kurdish forces"}}, nil},
		{"holding responsible condemns", "France holds Russia responsible for the attack on Aleppo.",
			[]rel{{"France", "condemned", "Russia", ""}}, nil, nil},
		{"an attack from the air is a bombing", "Russian warplanes attacked the town of Saraqeb in Syria on Monday.",
			[]rel{{"Russia", "bombed", "Saraqeb", ""}}, nil, []rel{{"Russia", "attacked", "Saraqeb", ""}}},
		{"an attack with rockets is a bombing", "Rebels in Syria attacked the city of Hama with rockets.",
			[]rel{{"Syrian rebels", "bombed", "Hamah", ""}}, nil, []rel{{"Syrian rebels", "attacked", "Hamah", ""}}},
		{"a village in a province", "Syrian regime forces killed 48 rebels in Hardatnin village in Aleppo.",
			[]rel{{"Hardatnin", "located_in", "Aleppo", ""}}, nil, nil},
		{"coordinated villages in a province", "Those killed were residents of the villages of al-Foua and Kefraya in Idlib province.",
			[]rel{{"al-Foua", "located_in", "Idlib province", ""}, {"Kefraya", "located_in", "Idlib province", ""}}, nil, nil},
		{"a demonym's city of X", "Bomb blasts hit the northeastern Syrian city of Qamishli near the Turkish border.",
			[]rel{{"Qamishli", "located_in", "Syria", ""}}, nil, []rel{{"Qamishli", "located_in", "Turkey", ""}}},
		{"a town in apposition", "Under the deal 2000 people were granted safe passage out of Madaya a town near Damascus besieged by government forces in Syria.",
			[]rel{{"Syrian Army", "attacked", "Madaya", ""}}, nil, nil},
		{"a title ends a run-together name, a body of a body", "\"These weapons are banned\" Peter Salama Executive Director of the WHO Health Emergencies Programme said.",
			[]rel{{"Peter Salama", "holds_role", "WHO Health Emergencies Programme", ""}}, []ent{{graph.Person, "Peter Salama"}, {graph.Organisation, "WHO Health Emergencies Programme"}}, nil},
		{"an affiliate before its name", "The rebels include fighters of Al-Qaida affiliate Al-Nusra Front.",
			[]rel{{"Nusra Front", "member_of", "Al-Qaeda", ""}}, nil, nil},
		{"an affiliate after its name", "Jabhat Fateh al-Sham, an affiliate of al Qaeda, said so.",
			[]rel{{"Nusra Front", "member_of", "Al-Qaeda", ""}}, nil, nil},
		{"weapons shot at the capital", "Rebels declared Damascus a military zone. Then the Army of Islam shot hundreds of rockets at the capital.",
			[]rel{{"Army of Islam", "bombed", "Damascus", ""}}, nil, []rel{{"Army of Islam", "attacked", "Damascus", ""}}},
		{"offensive near a port city", "Iraq said it crushed a new Iranian offensive near the strategic port city of Basra.",
			[]rel{{"Iran", "attacked", "Basrah", ""}}, []ent{{graph.City, "Basrah"}}, nil},
		{"two places in a row without their comma", "The attack on the town of Khan Sheikhoun in Idlib northwestern Syria killed dozens.",
			[]rel{{"Khan Sheikhoun", "located_in", "Idlib", ""}}, nil, []rel{{"Khan Sheikhoun", "located_in", "Syria", ""}}},
		{"a route's two ends", "Iranian troops advanced along the Haj Omran-Rawandiz axis close to the border.",
			nil, []ent{{graph.City, "Haj Omran"}, {graph.City, "Rawandiz"}}, nil},
		{"a place named before runs into a name", "Jets bombed the town of Khan Sheikhoun on Tuesday. Commenting on what happened in Khan Sheikhoun UN special envoy Staffan de Mistura said this was horrific.",
			[]rel{{"Staffan de Mistura", "holds_role", "United Nations", ""}}, []ent{{graph.City, "Khan Sheikhoun"}},
			[]rel{{"Khan Sheikhoun", "member_of", "United Nations", ""}}},
		{"the armed opposition condemns a convoy's bombing", "Syria's main armed opposition condemned the bombing of an aid convoy near Aleppo.",
			[]rel{{"Syrian rebels", "condemned", "aid convoy near Aleppo", ""}}, []ent{{graph.Facility, "aid convoy near Aleppo"}}, nil},
		{"the Golan is the Golan Heights", "Israel struck a camp near the Golan Heights. Israel seized 1200 square kilometres of the Golan in 1967.",
			[]rel{{"Israel", "seized", "Golan Heights", ""}}, nil, []rel{{"Israel", "seized", "Golan", ""}}},
		{"a described facility named later takes its name", "Israel attacked a Syrian training camp near the Golan Heights. The Al Fawwar camp in Quneitra province is used by the militia.",
			[]rel{{"Israel", "attacked", "Al Fawwar camp", ""}, {"Al Fawwar camp", "located_in", "Quneitra province", ""}}, []ent{{graph.Facility, "Al Fawwar camp"}},
			[]rel{{"Israel", "attacked", "Syrian training camp near Golan Heights", ""}}},
		{"a chain of containers gives the nearest", "Government troops shelled homes in Kafr Nabl village in Idlib in northwestern Syria on Monday.",
			[]rel{{"Kafr Nabl", "located_in", "Idlib", ""}, {"Idlib", "located_in", "Syria", ""}}, nil,
			[]rel{{"Kafr Nabl", "located_in", "Syria", ""}}},
		{"capitals as the agents of a passive", "The ceasefire was negotiated by Moscow and Washington last year.",
			nil, []ent{{graph.State, "Russia"}, {graph.State, "United States"}}, nil},
		{"counter-attack and siege nouns", "Iran said its troops repulsed a heavy Iraqi counter-attack on Fish Lake. The siege of Madaya by Syrian forces went on.",
			[]rel{{"Iraq", "attacked", "Fish Lake", ""}, {"Syrian Army", "attacked", "Madaya", ""}}, nil, nil},
		{"who ends an attack is not said to have made it; its possessor is", "The US will suspend talks unless Russia takes steps to end the assault on Aleppo. Moscow must end its bombing of eastern Aleppo.",
			[]rel{{"Russia", "bombed", "East Aleppo", ""}}, nil, []rel{{"Russia", "attacked", "Aleppo", ""}}},
		{"ending talks is no meeting", "Washington said it could end negotiations with Moscow on the Syria crisis.",
			nil, nil, []rel{{"United States", "met", "Russia", ""}}},
		{"a facility's chain reaches from its latest mention", "Jets bombed two hospitals in Aleppo on Monday. The talks went on. The talks went on. The talks went on. The talks went on. The talks went on. The talks went on. The talks went on. The talks went on. The hospitals were closed. The talks went on. The talks went on. The talks went on. The talks went on. The talks went on. The talks went on. The talks went on. The talks went on. UN Secretary-General Ban Ki-moon condemned attacks on medical facilities.",
			[]rel{{"Ban Ki-moon", "condemned", "hospitals in Aleppo", ""}}, nil, nil},
		{"an event noun takes the target its head's phrase stranded", "The death toll from a bomb attack on a crowded bus convoy outside Aleppo has reached 126. Syria's main armed opposition condemned the bombing.",
			[]rel{{"Syrian rebels", "condemned", "bus convoy outside Aleppo", ""}}, nil, nil},
		{"using weapons on a place attacks it; who says a side used banned weapons condemns it", "The Russian Defence Ministry said Syrian rebels had used chemical weapons in Aleppo.",
			[]rel{{"Syrian rebels", "attacked", "Aleppo", ""}, {"Russian Defence Ministry", "condemned", "Syrian rebels", ""}}, nil, nil},
		{"a spokesman speaks for his body", "Syrian rebels hold parts of Aleppo. A Russian Defence Ministry spokesman said the rebels had used chlorine gas in Aleppo.",
			[]rel{{"Russian Defence Ministry", "condemned", "Syrian rebels", ""}}, nil, nil},
		{"banned weapons dropped by a side", "The United States has said the deaths were caused by sarin nerve gas dropped by Syrian aircraft.",
			[]rel{{"United States", "condemned", "Syria", ""}}, nil, nil},
		{"tear gas is no weapon of war", "The Syrian Observatory said Syrian police had used tear gas in Homs.",
			nil, nil, []rel{{"Syrian Observatory", "condemned", "Syrian Police", ""}, {"Syrian Police", "attacked", "Homs", ""}}},
		{"using what is no weapon attacks nothing", "Syrian troops used the school in Homs as a base. The Syrian Observatory said Syrian troops used tanks in Homs.",
			nil, nil, []rel{{"Syrian Army", "attacked", "Homs", ""}, {"Syrian Observatory for Human Rights", "condemned", "Syrian Army", ""}}},
		{"the phrase right before a participle with a by-agent is its target", "Russia has said it believes poison gas had leaked from a rebel chemical weapons depot struck by Syrian bombs.",
			[]rel{{"Syria", "bombed", "rebel chemical weapons depot", ""}}, nil, nil},
		{"a state's city named after its possessive places a facility", "Iranian forces captured several Iraqi defence posts east of Iraq's second city, Basra, on Monday.",
			[]rel{{"Iranian Army", "seized", "Iraqi defence posts east of Basrah", ""}}, nil, nil},
		{"troops allied to a side act, on the place next to the head", "More than 120 people have been killed as troops allied to the Syrian regime stepped up attacks on Syrias Eastern Ghouta governorate focusing on the city of Douma around 10km northeast of Damascus.",
			[]rel{{"Syrian Army", "attacked", "Eastern Ghouta", ""}}, nil,
			[]rel{{"Syria", "attacked", "Eastern Ghouta", ""}, {"Syrian Army", "attacked", "Syria", ""}}},
		{"an army attacking a place of its own country does not attack the country", "Syrian troops attacked the village of Hardatnin in northern Syria on Monday.",
			[]rel{{"Syrian Army", "attacked", "Hardatnin", ""}}, nil, []rel{{"Syrian Army", "attacked", "Syria", ""}}},
		{"what the targets include is targeted, where they were", "Other locations targeted by Syrian troops this week in Eastern Ghouta include the towns of Arbin and Kafr Batna and the al-Wafideen refugee camp.",
			[]rel{{"Syrian Army", "attacked", "Kafr Batna", ""}, {"Syrian Army", "attacked", "al-Wafideen refugee camp", ""}, {"Kafr Batna", "located_in", "Eastern Ghouta", ""}}, nil, nil},
		{"who calls the act told before horrific or unacceptable condemns its target", "Warplanes bombed the town of Khan Sheikhoun on Tuesday. The White House considered it as unacceptable. UN special envoy Staffan de Mistura said this was horrific.",
			[]rel{{"White House", "condemned", "Khan Sheikhoun", ""}, {"Staffan de Mistura", "condemned", "Khan Sheikhoun", ""}}, nil, nil},
		{"who calls a side's acts heinous condemns the side", "US President Donald Trump said these heinous actions by the Bashar Assad regime are a consequence of weakness.",
			[]rel{{"Donald Trump", "condemned", "Syria", ""}}, nil, nil},
		{"a judgement inside a condemnation is the condemning verb's", "Warplanes bombed the town of Khan Sheikhoun on Tuesday. US Secretary of State John Kerry said the US stood with its allies to condemn this horrific attack.",
			nil, nil, []rel{{"John Kerry", "condemned", "Khan Sheikhoun", ""}}},
		{"a judgement of no act condemns nothing", "Warplanes bombed the town of Khan Sheikhoun on Tuesday. UN special envoy Staffan de Mistura said the weather was horrific.",
			nil, nil, []rel{{"Staffan de Mistura", "condemned", "Khan Sheikhoun", ""}}},
		{"a known organisation's long name with a typo", "The attack is believed to be among the deadliest in the city for years the British-based Syrian Obervatory for Human Rights said.",
			[]rel{{"Syrian Observatory for Human Rights", "based_in", "United Kingdom", ""}}, nil, nil},
		{"organisation head before of", "Zahran Alloush, the leader of the Army of Islam, spoke on Monday.",
			nil, []ent{{graph.Organisation, "Army of Islam"}}, nil},
		{"the Britain-based monitor told before", "The Syrian Observatory for Human Rights said 48 people were executed. The Britain-based monitor said that villagers had discovered the bodies.",
			[]rel{{"Syrian Observatory for Human Rights", "based_in", "United Kingdom", ""}}, nil, nil},
		{"the Britain-based group after other bodies", "Rami Abdel Rahman, head of the Syrian Observatory for Human Rights, said the attack killed 16 people. The toll was confirmed to an AFP correspondent. Fifteen of the wounded were in critical condition, said the head of the Britain-based group.",
			[]rel{{"Syrian Observatory for Human Rights", "based_in", "United Kingdom", ""}}, nil, []rel{{"Agence France-Presse", "based_in", "United Kingdom", ""}}},
		{"a rebel group named by its base", "Rebels of the Free Syrian Army shelled the town. The Aleppo-based rebel group denied it.",
			nil, nil, []rel{{"Free Syrian Army", "based_in", "Aleppo", ""}}},
		{"the rebels who include an affiliate's fighters", "Syrian rebels launched a counteroffensive. By Friday all but one of the villages initially taken by government forces had been recaptured by the rebels who include fighters of Al-Qaida affiliate Al-Nusra Front.",
			[]rel{{"Nusra Front", "member_of", "Syrian rebels", ""}, {"Nusra Front", "member_of", "Al-Qaeda", ""}}, nil, []rel{{"Al-Qaeda", "member_of", "Syrian rebels", ""}}},
		{"a group that includes a company", "In 1986 the VW group, which includes Audi AG, sold fewer cars.",
			[]rel{{"Audi AG", "member_of", "VW", ""}}, nil, nil},
		{"someone's people include a person", "Rosewood, which is owned by the Caroline Hunt Trust Estate, whose trustees include Margaret Hunt Hill, also said it has notified the Federal Trade Commission.",
			nil, nil, []rel{{"Margaret Hunt Hill", "member_of", "Rosewood", ""}}},
		{"every name of a list whose commas were lost is a target", "Syrian regime forces bombed Douma on Monday. Other locations targeted by Assads troops this week in Eastern Ghouta include the towns of Misraba Ayn Tarma Arbin and Kafr Batna.",
			[]rel{{"Syrian Army", "attacked", "Misraba", ""}, {"Syrian Army", "attacked", "Ayn Tarma", ""}, {"Syrian Army", "attacked", "Arbin", ""}, {"Ayn Tarma", "located_in", "Eastern Ghouta", ""}}, nil, nil},
		{"targets inside a country", "On Friday the Israeli army said it targeted positions inside Syria in retaliation for mortar fire.",
			[]rel{{"Israel Defense Forces", "attacked", "Syria", ""}}, nil, nil},
		{"people killed in a country", "Ten people were killed in Syria on Friday, the army said.",
			nil, nil, []rel{{"Syrian Army", "attacked", "Syria", ""}}},
		{"a body and its speaker run together", "Pathologist at the Aleppo University Hashim told reporters in August the militants have been using the tactics of scorched earth.",
			[]rel{{"Hashim", "holds_role", "Aleppo University", ""}}, []ent{{graph.Organisation, "Aleppo University"}, {graph.Person, "Hashim"}}, nil},
		{"a speaker run onto a council", "A total of 1500 people have fallen victims of the chemical attack in Syria member of the Kurdish National Council Mustafa Sino said.",
			[]rel{{"Mustafa Sino", "member_of", "Kurdish National Council", ""}}, nil, nil},
		{"a body named by three words goes on", "Doctors at the Aleppo University Hospital said 20 people died.",
			nil, []ent{{"", "Aleppo University Hospital"}}, nil},
		{"the two villages named before", "Those killed were mostly residents of the villages of al-Foua and Kefraya in Idlib province. The convoy was carrying people granted safe passage out of the two Shiite villages which are besieged by Syrian rebels.",
			[]rel{{"Syrian rebels", "attacked", "al-Foua", ""}, {"Syrian rebels", "attacked", "Kefraya", ""}}, nil, nil},
		{"a count the names do not match", "Those killed were mostly residents of the villages of al-Foua and Kefraya in Idlib province. The convoy left the three villages which are besieged by Syrian rebels.",
			nil, nil, []rel{{"Syrian rebels", "attacked", "al-Foua", ""}}},
		{"a region named with its state", "Iran said its troops continued their advance through the rugged mountains of Iraqi Kurdistan in overnight fighting.",
			[]rel{{"Kurdistan", "located_in", "Iraq", ""}}, nil, nil},
		{"a headline's words are no place of the demonym", "Syrian Coalition Condemns Horrific Massacre by Russian Air Force in Town of Atareb.",
			nil, nil, []rel{{"Coalition Condemns Horrific Massacre", "located_in", "Syria", ""}}},
		{"a second target the parser hangs on a compound", "DAESH has previously targeted Qamishli and the provincial capital Hasaka city with bombs.",
			[]rel{{"Islamic State", "attacked", "Qamishli", ""}, {"Islamic State", "attacked", "Al Hasakah", ""}}, nil, nil},
		{"an attack focusing on a town", "More than 120 people have been killed as troops allied to the Syrian regime stepped up attacks on Syrias Eastern Ghouta governorate focusing on the city of Douma around 10km northeast of Damascus.",
			[]rel{{"Syrian Army", "attacked", "Douma", ""}, {"Syrian Army", "attacked", "Eastern Ghouta", ""}}, nil, nil},
		{"a body inquiring into a place is not based there", "A U.N. Commission of Inquiry into human rights in Syria has previously said forces loyal to Syrian President Bashar al-Assad have used lethal chlorine gas on multiple occasions.",
			nil, nil, []rel{{"UN Commission of Inquiry on Syria", "based_in", "Syria", ""}}},
		{"a report on a country", "The OECD, in its annual report on Switzerland, picked out some signs of a slowdown in activity.",
			nil, nil, []rel{{"OECD", "based_in", "Switzerland", ""}}},
		{"the target of attacks in a place is not based there", "The international alliance should add Assads positions to the locations it is targeting in its attacks on the Islamic State group in Syria\" he added.",
			nil, nil, []rel{{"Islamic State", "based_in", "Syria", ""}}},
		{"a body's fighters in a town", "Fighters from the US-backed alliance have recently made incremental advances as they try to flush out the remaining DAESH fighters in Manbij.",
			nil, nil, []rel{{"Islamic State", "based_in", "Manbij", ""}}},
		{"a company of a city", "Borealis Exploration Ltd said it entered into an agreement with Faraway Gold Mines Ltd of Vancouver, British Columbia.",
			[]rel{{"Faraway Gold Mines Ltd", "based_in", "Vancouver", ""}}, nil, nil},
		{"a long title before of the body", "High Representative of the European Union for Foreign Affairs and Security Policy Federica Mogherini said the regime of Assad bears primary responsibility.",
			[]rel{{"Federica Mogherini", "holds_role", "European Union", ""}}, nil, []rel{{"Federica Mogherini", "member_of", "European Union", ""}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := extractText(t, x, c.text)
			for _, w := range c.want {
				if findStmt(a, w) == nil {
					t.Errorf("missing %s --%s--> %s in%s", w.subj, w.pred, w.obj, dump(a))
				}
			}
			for _, w := range c.ents {
				if !hasEntity(a, w.typ, w.name) {
					t.Errorf("no %s %q in%s", w.typ, w.name, dump(a))
				}
			}
			for _, n := range c.not {
				if findStmt(a, n) != nil {
					t.Errorf("unexpected %s --%s--> %s in%s", n.subj, n.pred, n.obj, dump(a))
				}
			}
			if c.name == "a people's forces, the people no person" && (hasEntity(a, "", "Kurds") || hasEntity(a, "", "Kurdish")) {
				t.Errorf("a people is an entity:%s", dump(a))
			}
			if c.name == "no place told" {
				for _, s := range a.Statements {
					if s.Predicate == "lives_in" {
						t.Errorf("lives_in without a place told: %s", dump(a))
					}
				}
			}
		})
	}
}

// TestCapitalsAsStates: a capital stands for its state where the text makes it an
// actor, and stays a city where it is a place.
func TestCapitalsAsStates(t *testing.T) {
	runEntityCases(t, []entityCase{
		{name: "the state's voice", text: "Tehran radio reported heavy fighting on Monday.",
			want: []ent{{graph.State, "Iran"}}, notAs: []ent{{graph.City, "Tehran"}}},
		{name: "war communiques", text: "Baghdad war communiques made no mention of fresh fighting.",
			want: []ent{{graph.State, "Iraq"}}, notAs: []ent{{graph.City, "Baghdad"}}},
		{name: "the party warned", text: "The United States warned Tehran on Friday.",
			want: []ent{{graph.State, "Iran"}}, notAs: []ent{{graph.City, "Tehran"}}},
		{name: "a station named after its city", text: "Paris Radio Monte Carlo broadcast the speech.",
			want: []ent{{graph.City, "Paris"}}},
		{name: "after a locative preposition", text: "More than 2000 people left Madaya, a town near Damascus besieged by government forces.",
			want: []ent{{graph.City, "Damascus"}}, notAs: []ent{{graph.State, "Syria"}}},
	})
}

// TestShortenedPlaceName: "the Golan", also before a landform noun ("the Golan
// plateau"), is the Golan Heights named before, not a place of its own.
func TestShortenedPlaceName(t *testing.T) {
	x := newTestExtractor(t)
	a := extractText(t, x, "Israel struck a camp near the Golan Heights. SANA said Israel had struck a Syrian army position in the province of Quneitra on the Golan plateau.")
	for _, e := range a.Entities {
		if e.Name == "Golan" {
			t.Errorf("a place %q of its own:%s", e.Name, dump(a))
		}
	}
	if !hasEntity(a, graph.City, "Golan Heights") {
		t.Errorf("no Golan Heights:%s", dump(a))
	}
}

// TestBodiesOfWater: a sea, a gulf or a strait is no entity of the schema.
func TestBodiesOfWater(t *testing.T) {
	runEntityCases(t, []entityCase{
		{name: "strait and gulf", text: "Iran has deployed six large missiles near the Strait of Hormuz which increase the threat to shipping in the Gulf, the New York Times said.",
			not: []string{"Strait of Hormuz", "Gulf"}},
		{name: "sea", text: "Pirates seized a tanker in the Red Sea on Monday.", not: []string{"Red Sea"}},
	})
}

// TestPlacesRunTogether: a span the classifier takes for one name, made of a possessive
// that lost its apostrophe and a place ("Syrias Eastern Ghouta"), is the two places;
// a person whose names are places ("Virginia Galle") stays a person.
func TestPlacesRunTogether(t *testing.T) {
	runEntityCases(t, []entityCase{
		{name: "lost apostrophe", text: "More than 120 people have been killed as troops allied to the Syrian regime stepped up attacks on Syrias Eastern Ghouta governorate focusing on the city of Douma around 10km northeast of Damascus.",
			want: []ent{{graph.City, "Eastern Ghouta"}}, notAs: []ent{{graph.Person, "Syrias Eastern Ghouta"}}},
		{name: "a list whose commas were lost", text: "Other locations targeted by Assads troops this week in Eastern Ghouta include the towns of Misraba Ayn Tarma Arbin and Kafr Batna.",
			want: []ent{{graph.City, "Misraba"}, {graph.City, "Ayn Tarma"}, {graph.City, "Arbin"}, {graph.City, "Kafr Batna"}}, not: []string{"Misraba Ayn Tarma Arbin"}},
		{name: "names with their articles", text: "Russian warplanes bombed the towns of Anadan Khan Touman Alzorba Qibtan Aljabal and Kafarnaha in the countryside of Aleppo.",
			want: []ent{{graph.City, "Anadan"}, {graph.City, "Khan Touman"}, {graph.City, "Alzorba"}, {graph.City, "Qibtan Aljabal"}}},
		{name: "a run of towns is no person", text: "According to Anadolu Agency the airstrikes have been conducted in the towns of Teldo Tel Dahab and Kafr Laha since Sunday night.",
			want: []ent{{graph.City, "Teldo"}, {graph.City, "Tel Dahab"}}, notAs: []ent{{graph.Person, "Teldo Tel Dahab"}}},
		{name: "the name of a camp is no person", text: "The Al Fawwar camp in Syrias southwestern Quneitra province is used by the National Defence Forces (NDF) which command some 90000 fighters across Syria.",
			want: []ent{{graph.Facility, "Al Fawwar camp"}}, notAs: []ent{{graph.Person, "Al Fawwar"}}},
		{name: "a town named with its noun", text: "The Syrian army kicked Daesh out of the suburbs of Qaryatayn Town on Sunday.",
			not: []string{"Town"}},
		{name: "a person named by places", text: "By contrast, nearly 6 million square feet of downtown office space is newly completed, under construction or has received city permits, said Virginia Galle, a City Council member and CAP supporter.",
			want: []ent{{graph.Person, "Virginia Galle"}}},
	})
}

// TestDefiniteTownInPlace: "the Syrian town in Idlib" is the town in Idlib named before,
// not Idlib: the second sentence reports the bombing of Khan Sheikhoun again.
func TestDefiniteTownInPlace(t *testing.T) {
	x := newTestExtractor(t)
	a := extractText(t, x, "Syrian jets bombed the town of Khan Sheikhoun in Idlib on Tuesday. UN investigators are looking into the alleged chemical weapons attack on the Syrian town in Idlib.")
	found := false
	for _, s := range a.Statements {
		if s.Subject.Name != "Syria" || s.Predicate != "bombed" || s.Modality != graph.Reported {
			continue
		}
		if s.Object.Name != "Khan Sheikhoun" {
			t.Errorf("the reported attack is on %s:%s", s.Object.Name, dump(a))
		}
		found = true
	}
	if !found {
		t.Errorf("no reported bombing:%s", dump(a))
	}
}
