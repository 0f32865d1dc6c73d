// Package extract turns a doc.Document into a graph.Article: sentences, tokens,
// entities of the five newsgraph types (person, state, city, facility, organisation,
// plus other), their resolution inside the article, and relations with direction,
// voice, modality, speaker, event date and confidence.
//
// # Pipeline
//
// Extract tokenizes the text (byte offsets kept; "U.S." whole; hyphens, "'s" and
// "n't" as tokens), splits sentences (stops, paragraphs, lines that end a sentence;
// wrapped newswire lines are joined; a headline repeated at the start of the text is a
// sentence of its own), then finds mentions by rules over the gazetteer
// (loader/gazetteer): names of countries, cities, organisations and persons;
// demonyms ("Russian warplanes" is Russia acting, "the Syrian regime" is Syria, "the
// Syrian army" the organisation Syrian Army); capitals used as actors ("Washington
// said"); districts ("rebel-held eastern Aleppo" is East Aleppo, in Aleppo); role
// phrases ("US Secretary of State John Kerry", "the foreign minister (Lavrov)", "the
// US secretary of state", "his Russian counterpart"); facilities ("two hospitals in
// East Aleppo", "Aleppo's historic citadel"); pronouns; unknown capitalised names,
// typed by the entity tagger (see below), else by their head word, a first name or
// title, or their context.
//
// Resolution links mentions to article entities: surnames and name parts to the full
// name ("Kerry", "Moon" of "Ban Ki-moon"), pronouns to the subject before them, role
// phrases to the person holding the role (from the text, or the gazetteer's dated
// roles), counterparts to the person of that country with a role of the same class,
// facilities to an earlier facility of a compatible class and place.
//
// Relations come from trigger phrases of the vocabulary: verbs in the active voice
// (subject on the left in the same clause, object on the right), in the passive voice
// with a "by" agent, and event nouns ("air strikes on X", "its bombing of X", "the
// bombardment of X by Y", "Russian air strikes on X", "X launched strikes on Y") with
// coordination on both sides. Modality: negation and hedging words in the clause,
// reported speech ("X said that ...", quotations attributed after the quote) with the
// speaker. Event dates come from weekdays and dates in the sentence, relative to the
// publication date. Structural relations: holds_role, located_in (districts,
// facilities, gazetteer cities in their country, "located north of Y"), based_in,
// lives_in, member_of.
//
// # The relation classifier
//
// The structural relations and killings also come from loader/relclass, an entity
// tagger and a pairwise relation classifier trained on CoNLL04 (Work_For → member_of,
// Live_In → lives_in, Located_In → located_in, OrgBased_In → based_in, Kill →
// killed), on by default (Config.NoRelationClassifier turns it off) for located_in and
// based_in only: on news its other relations were mostly wrong, so they are kept only
// when Config.ClassifierPredicates asks (`--classifier all`; CoNLL04 dev strict
// relation F1 62 with all five, 33 with the default two). After the rules,
// every sentence with two name-like groups is tagged by relclass in CoNLL04's token
// conventions, and the pairs of its entities at most 15 tokens apart are classified.
// Its entities are anchored on the rules' mentions (same tokens; else an overlapping
// mention of the same type that the span names; else a new entity, or a retyped one
// when the rules only guessed the type), relations the gazetteer contradicts are
// dropped (a country in a city, an official living outside the country of their
// roles), and the rest become statements with the sentence as evidence and a
// confidence of 0.5 to 0.95 from the classifier's margin, unless the rules already
// state them. See structural_classifier.go. It lifts strict relation F1 on CoNLL04
// dev (newsgraph eval conll04) from about 7 to about 62, costs about as much CPU as
// the ner tagger, and on newswire unlike CoNLL04 (FA-KES) its member_of, lives_in and
// based_in are much less precise than its located_in.
//
// # Data
//
// The relation vocabulary (which verbs and nouns express warned, bombed, condemned,
// seized, met, attacked, killed) is the embedded vocabulary.tsv, generated from the
// CAMEO verb dictionary by ./internal/genvocab plus hand-added nominal forms, and
// replaceable with Config.VocabularyPath (see ParseVocabulary for the format). Names
// come from loader/gazetteer.
//
// # A statistical tagger
//
// By default the rules are helped by a statistical entity tagger, loader/ner (see
// NERTagger; Config.NoTagger turns it off, Config.Tagger replaces it): its spans
// replace the rules for names the gazetteer does not know, and everything after
// (resolution, relations) is shared. Both are deterministic.
//
// # Caveats
//
// There is no parser: clauses are approximated by boundary words, so long sentences
// with several clauses, relative clauses and appositions can attach arguments to the
// wrong verb. Coreference is local (pronouns look back three sentences; "it" only to
// the opening subject of the previous sentence). Unknown names without a first name,
// title or telling head word are typed other and take part in no relation.
package extract
