package extract

// Closed word classes the tree rules rely on (grammar, not the vocabulary of
// relations, which lives in vocabulary.tsv).
var (
	// reportNouns head reported speech as speech verbs do: "the statement that ...".
	reportNouns = setOf("statement statements report reports claim claims accusation accusations allegation allegations")
	// negVerbs negate the events they govern: "denied bombing", "refused to attack".
	negVerbs = setOf("deny denies denied denying refuse refuses refused refusing reject rejects rejected rejecting")
	// hedgeVerbs make the events they govern intentions, not facts: "threatened to
	// strike", "planned to attack".
	hedgeVerbs = setOf("threaten threatens threatened threatening plan plans planned planning vow vows vowed vowing want wants wanted intend intends intended seek seeks sought try tries tried attempt attempts attempted propose proposes proposed consider considers considered prepare prepares prepared aim aims aimed hope hopes hoped urge urges urged call calls called")
	// threatVerbs take clausal complements that are threats or charges, not reports:
	// "warned that it could end talks" is the warning itself.
	threatVerbs = setOf("warned warns warn accused accuses accuse threatened threatens")
	// defenceVerbs take an attack as their object and its target as their subject:
	// "the troops repulsed a counter-attack", "the army repelled an assault".
	defenceVerbs = setOf("repulse repulses repulsed repulsing repel repels repelled repelling thwart thwarts thwarted thwarting foil foils foiled foiling resist resists resisted resisting withstand withstands withstood")
	// leadVerbs make their subject, or their by-agent, the head of their object: "who
	// heads the American team", "the delegation led by X".
	leadVerbs = setOf("head heads headed heading lead leads led leading")
	// raisingVerbs say something of their subject's clause: "the attack (is) believed
	// to have been carried out by X".
	raisingVerbs = setOf("believed thought said reported alleged suspected understood")
	// responsibilityWords speak of responsibility, which responsibility reads.
	responsibilityWords = setOf("responsibility responsible accountable")
	// useVerbs use or drop weapons: "used chlorine gas", "bombs dropped by jets".
	useVerbs = setOf("use uses used using drop drops dropped dropping")
	// parseWords make a sentence without a trigger worth parsing: the words that
	// responsibility, weaponUse, judgements and includedMembers read.
	parseWords = unionOf(responsibilityWords, useVerbs, condemningWords, includeVerbs)
	// dropVerbs deliver weapons from the air: their attacks are bombings.
	dropVerbs = setOf("drop drops dropped dropping")
	// weaponNouns head phrases that name weapons a side uses.
	weaponNouns = setOf("weapons weapon gas bombs bomb munitions missiles missile rockets rocket shells barrels explosives")
	// bannedWeapons are the weapons whose use is a charge in itself: who says a side
	// used them condemns it.
	bannedWeapons = setOf("chemical chemicals chlorine sarin mustard nerve toxic poison poisonous phosphorus napalm cluster incendiary")
	// voiceNouns speak for the body they are of: "a Defence Ministry spokesman said".
	voiceNouns = setOf("spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople")
	// targetNouns name targets without naming them: "other locations targeted by X
	// include ...".
	targetNouns = setOf("locations location targets target sites site places areas positions")
	// includeVerbs list the members of their subject: "the targets include A and B".
	includeVerbs = setOf("include includes included")
	// condemningWords judge an act as wrong: who says them of an act condemns it.
	condemningWords = setOf("horrific heinous unacceptable barbaric barbarous atrocious abhorrent appalling outrageous cowardly despicable ignoble treacherous inhumane horrendous monstrous deplorable reprehensible unconscionable criminal")
	// judgeVerbs take an object and a judgement of it: "considered it unacceptable".
	judgeVerbs = setOf("consider considers considered considering describe describes described describing call calls called calling deem deems deemed label labels labelled labeled branded brand brands")
	// judgedPronouns stand for the act told before: "this was horrific".
	judgedPronouns = setOf("this it that which")
	// actNouns are acts judged without naming them: "these heinous actions".
	actNouns = setOf("act acts action actions attack attacks crime crimes massacre bombing strike strikes killing killings")
	// clashNouns are the fights both sides take part in: "in bitter fighting with X".
	clashNouns = setOf("fighting clash clashes battle battles fight fights")
	// placeEvents are the relations whose target may be a place when the victims or
	// targets are unnamed: "ten people were killed in X" is an attack on X.
	placeEvents = map[string]bool{"killed": true, "attacked": true, "bombed": true}
	// containPreps place what they govern inside their object: "positions inside X",
	// "killed in X" (not "near X", "north of X": distance says nothing of the target).
	containPreps = setOf("in inside at within among")
)
