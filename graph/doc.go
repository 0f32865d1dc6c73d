// Package graph is newsgraph's graph model on Cayley: entity, statement, event and
// article nodes, atomic per-article writes, reads from a node, traversal and paths.
//
// The domain types here (Article, Statement, Entity, Relation, Path…) are plain Go
// structs; nothing in this package knows about gRPC or protobuf. Store is the contract;
// CayleyStore, created by Open from a Config, implements it on a Cayley quad store:
// bolt in a local folder (the default; Cayley's "bbolt" backend, the maintained fork
// of bolt with the same file format), memstore, or PostgreSQL/CockroachDB.
//
// # Quad schema
//
// Nodes are IRIs; literals are strings, integers, floats and times (UTC). No labels.
// <type>/<slug> below is the part of an entity IRI after "ng:e/".
//
//	entity          ng:e/<type>/<slug>             (EntityRef.IRI)
//	  E ng:type "person" · E ng:name "John Kerry" · E ng:alias "Kerry" (each alias)
//	  ng:entities ng:has E                          registry of entities
//	  E ng:rel/<predicate> E2                       direct edge, for traversal
//	article         ng:a/<escaped id>
//	  ng:articles ng:has A                          registry of articles
//	  A ng:id · ng:title · ng:url · ng:source · ng:published · ng:hash · ng:statements (count)
//	  A ng:mentions ng:m/<type>/<slug>              A supports entity E
//	  A ng:aliased  ng:al/<type>/<slug>/<alias>     A supports the alias (and the name A uses)
//	  A ng:stmt S                                   A owns statement S
//	statement       ng:s/<escaped id>/<hash of the statement's content>
//	  S ng:event Ev · ng:sentence · ng:start · ng:end · ng:confidence · ng:modality
//	  S ng:speaker "<speaker's IRI>" · S ng:role "Secretary of State" (when present)
//	edge key        ng:k/<type>/<slug>/<predicate>/<type>/<slug>
//	  ng:edges ng:has K                             registry of direct edges
//	  K ng:occurred Ev                              the events of the edge
//	event           ng:ev/<edge key>/<yyyy-mm-dd | undated>
//	  Ev ng:date <day>                              when dated
//
// Provenance never hangs off an entity node: statements point at events, events at edge
// keys, articles at the mention and alias reference nodes (ng:m/…, ng:al/…), whose IRIs
// are derived from the entity IRI. An entity node holds only its type, name, aliases,
// registry link and direct edges, so walking from "United States" reads its edges and
// not the ten thousand articles that mention it. Statements of many articles about the
// same subject, predicate, object and event day share one event node; evidence counts
// its articles and distinct sources when read.
//
// The reference article (13 entities with 16 aliases, 13 statements on 11 edges and 12
// events) writes 241 quads into an empty store: 145 it owns (8 on its node, 42 mention
// and alias links, 7 per statement plus 2 roles and 2 speakers) and 96 shared ones (3
// per entity plus its aliases, 2 per edge, 1 or 2 per event). A short follow-up report
// (7 entities, 4 statements) writes 101 quads alone, 68 when its entities exist; the
// synthetic articles of the benchmarks average about 90.
//
// # Writes
//
// One writer: PutArticles and DeleteArticle take a single writer token, plan a
// transaction and apply it in one transaction: on bolt, a transaction that only adds
// quads is written straight into bbolt by kvwrite.go, byte for byte what Cayley's
// key-value ApplyDeltas would write (TestBulkSameBytesAsCayley), at about twice its
// speed; everything else (deletes, replacements, other backends) goes through one
// ApplyDeltas call (IgnoreDup and IgnoreMissing set, though the plan never asks for
// either). An article owns its node, its links and its
// statements; the shared nodes (entities, aliases, edge keys, events, direct edges) are
// supported by links that can be checked from the shared node. Re-loading an article
// with the same Hash writes nothing; with a new hash the plan reads the article's old
// quads, removes old-minus-new and adds new-minus-old in the same transaction; a shared
// node goes when its last supporter does, found by iterating from the shared node and
// stopping at the first supporter left. Both cost in proportion to the article, never
// to the store. Several articles of one PutArticles call share one transaction; when it
// fails they are retried one by one.
//
// Cayley's key-value backends drop a node from the added quads of a transaction in
// which that node's reference count goes down overall; the writer pads such
// transactions with duplicate additions (see padDeficits). The price: such nodes are
// never garbage-collected by Cayley (their quads are). Cayley's key-value backends also
// only mark deleted quads dead: a store that replaces articles often grows on disk and
// is compacted by re-importing it.
//
// # Reads
//
// Every read starts from a node: quad iterators on Subject or Object, prefix scans of
// the [S,P] and [O,P,S] indexes on key-value backends when a predicate is known, names
// resolved in batches. Cayley has no text index: entity names, aliases and mention
// counts are kept in memory (built at Open from the registry nodes, updated after every
// commit) and serve Entity and SearchEntities. Open therefore reads every entity, article
// and mention link once. The counters of Stats come from the same place, the quad count
// from Cayley. One process should write a store at a time.
//
// The name index holds every folded name and alias (and its form without the Arabic
// article), a posting of each word to the keys that contain it and of each word's
// first one to three runes; a search looks up the matches of its rarest word (for
// Fuzzy, every word one edit away, generated from the query) and checks only their
// keys. About 1.2 KB per entity; at 120,000 entities a fuzzy search checks a few
// thousand keys in milliseconds where comparing every key took 0.4 s.
//
// Event counts: an event's sources are counted by SourceKey (the outlet, else the
// host of the article's URL, else one unknown source). Timeline reads an entity's
// edges and their events, sorts the events by day and reads the statements of a page.
// Export walks the graph subject by subject from the registry nodes in batches of
// 256 nodes, writing between batches.
//
// Relations, paths and neighbourhoods read through the relation cache (relcache.go):
// per entity its direct edges in both directions, sorted in page order and in traversal
// order, and per direct edge its statements as evidence grouped by event, with the
// unfiltered counts precomputed. Entries are loaded on first use, capped in number
// (2,000,000 adjacency edges, 500,000 statements: a few hundred MB at most) and
// dropped by the transactions that touch them: the quad store the writer sees wraps
// ApplyDeltas (cacheQS) and the direct bolt path tells the cache the same way, so no
// planning code has to remember the cache. newsgraph serve reads every edge's
// statements in the background after Open (WarmReadCache). A page of relations then
// costs map look-ups for the edges it shows; a cold one reads their statements once. A page examines at most max(20×page size, 2000) relations and loads
// at most max(4×page size, 256) uncached ones before it hands back a token to go on.
// Paths are k shortest loopless paths (Yen) over a bidirectional breadth-first search
// on the cached adjacency, bounded by a node budget and Config.MaxScan edges; hop
// filters (modality, event dates) are checked on the paths found, not on every edge
// walked, and a hop that fails is banned and the search repeated.
//
// Every query has a bounded cost: page sizes, depths, hops, node budgets and the quads
// one traversal may read are capped by Config; the context is checked between quads.
//
// # Caveats
//
// Predicates must be lower-case identifiers ("holds_role"), since they are part of
// IRIs. Event identity is the calendar day (UTC) of Statement.EventDate. The canonical
// name of an entity is the first one stored; other names with the same slug become
// aliases. CheckInvariants and DumpQuads scan the whole store: for tests and repair.
package graph
