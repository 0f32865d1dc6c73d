package extract

// Closed word classes the rules rely on. They are grammar, not vocabulary of relations:
// the relation words live in vocabulary.tsv.

var (
	determiners  = setOf("the a an this that these those its his her their our my your some any both each every all another such no")
	numberWords  = setOf("one two three four five six seven eight nine ten eleven twelve dozens dozen hundreds scores several many few more most over about nearly almost least at")
	prepositions = setOf("of in on at by for with from to into onto over under against about after before during since between among across near without within through toward towards upon amid amidst behind beyond despite via per off around along outside inside")
	auxiliaries  = setOf("is are was were be been being am has have had having do does did will would shall should can could may might must 's")
	beForms      = setOf("is are was were be been being am 're 's get got gets")
	personPron   = setOf("he him his she her hers himself herself")
	thingPron    = setOf("it its itself")
	stopCaps     = setOf("the a an this that these those it its he she his her they their we our i you your in on at by for with from to into of and or but if as after before during since while when where which who whom whose what why how not no there here however although though because meanwhile also then thus yet so still earlier later today yesterday tomorrow tonight now last next new mr mrs ms dr sir madam president minister secretary spokesman spokeswoman officials official sources source according some many several other others all both each every one two three let us imagine people children activists meanwhile")
	weekdays     = map[string]int{"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6}
	months       = map[string]int{"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}
	hedgeWords   = setOf("suspected alleged allegedly reportedly apparently possibly probably likely could may might would perhaps presumably purported purportedly believed thought unconfirmed feared")
	negWords     = setOf("not n't never no neither nor denied denies deny denying refused refuses without")
	speechVerbs  = setOf("said says say told tells claimed claims claim stated states announced announces reported reports added adds insisted insists alleged confirmed confirms accused accuses warned explained noted wrote asserted declared acknowledged")
	clauseBreak  = setOf("that which who whom whose because while whereas although though unless if when after before since until ; : but")
	directions   = map[string]string{"east": "East", "eastern": "East", "west": "West", "western": "West", "north": "North", "northern": "North", "south": "South", "southern": "South", "northeast": "North-East", "northwest": "North-West", "southeast": "South-East", "southwest": "South-West", "northeastern": "North-East", "northwestern": "North-West", "southeastern": "South-East", "southwestern": "South-West", "central": "Central"}
	heldWords    = setOf("held controlled besieged occupied run dominated")
	districtNoun = setOf("district districts neighbourhood neighbourhoods neighborhood neighborhoods area areas suburb suburbs quarter quarters town towns village villages city cities region province countryside outskirts")
	districtOf   = setOf("district neighbourhood neighborhood suburb quarter town village city")
	facilityNoun = map[string]string{
		"hospital": "medical", "hospitals": "medical", "clinic": "medical", "clinics": "medical",
		"facility": "facility", "facilities": "facility", "school": "school", "schools": "school",
		"airport": "airport", "airports": "airport", "airbase": "base", "base": "base", "bases": "base",
		"citadel": "citadel", "mosque": "religious", "mosques": "religious", "church": "religious", "churches": "religious",
		"market": "market", "markets": "market", "marketplace": "market", "bakery": "market", "bakeries": "market",
		"prison": "prison", "prisons": "prison", "palace": "palace", "stadium": "stadium", "university": "school",
		"embassy": "embassy", "consulate": "embassy", "bridge": "bridge", "dam": "dam", "refinery": "plant",
		"refineries": "plant", "plant": "plant", "port": "port", "camp": "camp", "camps": "camp", "checkpoint": "base",
		"checkpoints": "base", "station": "station", "shelter": "shelter", "shelters": "shelter",
		"depot": "depot", "depots": "depot", "warehouse": "depot", "warehouses": "depot",
		"headquarters": "headquarters", "barracks": "base", "airfield": "airport", "compound": "compound",
		"center": "facility", "centre": "facility", "centers": "facility", "centres": "facility",
		"mission": "embassy", "position": "position", "positions": "position", "post": "position", "posts": "position",
		"convoy": "convoy", "convoys": "convoy",
	}
	// provinceNouns after a city's name make the province: "Idlib province"
	provinceNouns = setOf("province")
	// partNouns name a part of a place: "in the centre of Aleppo"
	partNouns = setOf("center centre heart middle outskirts edge north south east west northeast northwest southeast southwest vicinity countryside suburbs")
	// needsModifier are facility classes whose noun alone is a generic word: "the
	// facility", "their positions", "the center of the town"
	needsModifier = setOf("facility position compound embassy")
	// notModifiers are lower-case words that do not modify a facility noun although
	// they look like nouns or adjectives
	notModifiers = setOf("and or nor not also only just even very said says told have has had was were are is be been being will would could should may might must can did does do than then there their them they what which while against between among within without toward towards over under upon around near outside inside about after before during since until through across along behind beyond beside besides amid amidst onto into from with for per via despite")
	orgHeads     = setOf("programme program council army ministry party front committee organisation organization agency union bank corp corporation inc co ltd group brigade brigades movement coalition department office court commission university association forces force news times company institute fund authority observatory federation assembly parliament congress senate board bureau service services command navy police guard guards alliance league network foundation trust airlines airways exchange industries holdings")
	facHeads     = setOf("hospital airport airbase base citadel mosque church school stadium prison palace bridge dam port station hotel square camp refinery embassy")
	// titles before a person's name
	personTitles = setOf("staff lieutenant lt major maj brigadier sergeant sgt mr mrs ms dr president minister secretary spokesman spokeswoman spokesperson envoy ambassador general gen commander chairman chief leader king queen prince sheikh senator governor mayor judge sir lord lady colonel col lieutenant captain pope premier chancellor")
	// state-as-actor heads: "the Syrian regime" is Syria
	stateHeads = setOf("regime government authorities administration state")
	// military and police heads: "the Syrian army" is an organisation
	forceHeads = map[string]string{"army": "Army", "army units": "Army", "forces": "Army", "troops": "Army", "soldiers": "Army", "military": "Army", "navy": "Navy", "air force": "Air Force", "police": "Police", "armed forces": "Armed Forces"}
	// peer nouns: "his Russian counterpart"
	counterpartNouns = setOf("counterpart counterparts")
	// location verbs: "located north of", "based in"
	locatedWords      = setOf("located situated lying")
	facilityModifiers = setOf("medical health field main civilian military public private makeshift underground children's maternity")
	nameParticles     = setOf("al el bin ibn bint abu de da di del della van von der la le du")
	hyphenSuffixes    = setOf("based led held backed controlled run allied linked affiliated owned born made style era speaking")
	personStarters    = setOf("abu umm")
	actorNouns        = setOf("militants militant fighters fighter forces troops soldiers jets warplanes planes aircraft helicopters drones rebels gunmen officials official police army navy government regime authorities leaders leader spokesman spokeswoman members supporters units unit loyalists jihadists insurgents commanders commander diplomats envoy")
	teamNouns         = setOf("team teams delegation delegations negotiators negotiator side")
	npFollowers       = setOf("overnight today yesterday tonight tomorrow again last earlier late early now too also still recently repeatedly heavily itself themselves this that these those")
	locativePreps     = setOf("in near at from outside around towards toward into across")
	possessives       = setOf("his her its their")
	cityWords         = setOf("city capital town port")
	placeHeads        = setOf("province provinces countryside city town region governorate outskirts suburbs suburb district districts area areas border")
	// landforms end a place's name that "the" and its first word shorten: "the Golan"
	landforms  = setOf("heights hills mountains valley plateau peninsula desert plain plains marshes")
	roadHeads  = setOf("road street avenue highway square bridge gate")
	lightVerbs = setOf("drop dropped dropping drops fire fired firing fires rain rained raining deliver delivered delivering delivers give gave given giving gives issue issued issuing issues send sent sending sends relay relayed launch launched launching launches carry carried carrying conduct conducted conducting conducts step stepped intensify intensified intensifying continue continued continuing continues resume resumed resuming make made hold held holding holds")
)

// adjectiveSuffixes are endings of most English adjectives and participles.
var adjectiveSuffixes = []string{"al", "ic", "ous", "ive", "ian", "ern", "ed", "ful", "less", "ary", "ent", "ant", "est", "ible", "able"}

// isAdjective guesses from its ending whether a lower-case word is an adjective.
func isAdjective(w string) bool {
	for _, suf := range adjectiveSuffixes {
		if len(w) > len(suf)+2 && w[len(w)-len(suf):] == suf {
			return true
		}
	}
	return false
}
