// Package graph is newsgraph's graph model on Cayley: entity, statement, event and
// article nodes, atomic per-article writes, reads from a node, traversal and paths.
//
// The domain types here (Article, Statement, Entity, Relation, Path…) are plain Go
// structs; nothing in this package knows about gRPC or protobuf.
package graph
