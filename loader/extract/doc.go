// Package extract turns a doc.Document into a graph.Article: sentences, tokens,
// entities of the five newsgraph types (person, state, city, facility, organisation,
// plus other), their resolution inside the article (surnames, pronouns, role phrases,
// demonyms, capitals used as actors), and relations with direction, voice, modality,
// speaker, event date and confidence.
//
// The relation vocabulary (which verbs and nouns express warned, bombed, condemned,
// seized, met, attacked, killed) is data: the embedded vocabulary.tsv, generated from the
// CAMEO verb dictionary by ./internal/genvocab plus hand-added nominal forms, and
// replaceable with Config.VocabularyPath. Place, organisation and person names come
// from package loader/gazetteer.
//
// The recogniser is rule based and deterministic. It is built so that a statistical
// tagger (loader/ner) can later feed it entity spans: see the mention stage in
// mentions.go.
package extract
