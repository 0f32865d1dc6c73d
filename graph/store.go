package graph

import (
	"context"
	"errors"
	"io"
)

// Domain errors. Implementations wrap them with %w and a message naming the
// argument and value; callers test with errors.Is. server/ maps them to gRPC codes.
var (
	// ErrNotFound: the entity, article or path asked for does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalidArgument: a query or article is malformed (the message names the field).
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrLimit: the query hit a cost limit (node budget, deadline) before it could answer.
	ErrLimit = errors.New("limit exceeded")
)

// Store is newsgraph's graph store. Every method is safe for concurrent use; writes are
// serialised through one writer. Every method honours ctx's deadline and cancellation.
type Store interface {
	// PutArticles stores each article whole or not at all and returns one result per
	// article, in order. Several articles may share one transaction; a result is returned
	// only after its transaction committed. An article whose id is stored with the same
	// Hash is Unchanged (nothing written); with another Hash its old facts are replaced.
	// A result with Err set was not stored: the article is invalid (Err wraps
	// ErrInvalidArgument) or its own transaction failed; the other articles of the call
	// are not held back by it. A returned error means none of the articles were stored
	// (the context ended, the store is closed).
	PutArticles(ctx context.Context, articles []*Article) ([]PutResult, error)

	// DeleteArticle removes an article and the facts only it supports; it returns the
	// number of quads removed, or ErrNotFound.
	DeleteArticle(ctx context.Context, id string) (int, error)

	// Article returns what is stored about an article, or ErrNotFound.
	Article(ctx context.Context, id string) (*ArticleInfo, error)

	// Entity returns an entity by IRI, or ErrNotFound.
	Entity(ctx context.Context, id string) (*Entity, error)

	// SearchEntities finds entities by name or alias, best match first, ties by mentions.
	SearchEntities(ctx context.Context, q SearchQuery) ([]Entity, error)

	// Relations returns one page of the relations of q.EntityID, or ErrNotFound.
	Relations(ctx context.Context, q RelationQuery) (*RelationPage, error)

	// Paths returns up to q.K shortest paths from q.From to q.To, shortest first; an
	// empty slice when none exists within the limits; ErrNotFound for an unknown entity.
	Paths(ctx context.Context, q PathQuery) ([]Path, error)

	// StreamPaths finds the paths Paths finds and calls fn with each as soon as it is
	// found, shortest first; it stops with fn's error. A limit reached after at least one
	// path was found ends the search without an error and sets Truncated; before, it is
	// ErrLimit.
	StreamPaths(ctx context.Context, q PathQuery, fn func(Path) error) (PathsInfo, error)

	// Neighbourhood returns the subgraph around q.EntityID, or ErrNotFound.
	Neighbourhood(ctx context.Context, q NeighbourhoodQuery) (*Subgraph, error)

	// Timeline returns one page of the events of q.EntityID ordered by event day, each
	// with its counts and evidence; ErrNotFound for an unknown entity.
	Timeline(ctx context.Context, q TimelineQuery) (*TimelinePage, error)

	// Export writes the whole graph, or the neighbourhood of q.EntityID, to w in
	// q.Format, streaming it: the store is read in batches and w written between them,
	// so writers are never held up by a slow w. ErrNotFound for an unknown entity. An
	// error after the first write leaves w with a partial export.
	Export(ctx context.Context, q ExportQuery, w io.Writer) error

	// Stats counts what the store holds.
	Stats(ctx context.Context) (Stats, error)

	// Close flushes and closes the store. No method may be called after Close.
	Close() error
}
