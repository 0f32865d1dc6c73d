package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

	"google.golang.org/protobuf/proto"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// ByName selects the entity with this canonical name or alias, matched ignoring case
// and diacritics ("United States", "US"); of several, the one most articles mention.
func ByName(name string) *pb.EntitySelector {
	return &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: name}}
}

// ByTypedName selects the entity of type t with this name or alias.
func ByTypedName(name string, t pb.EntityType) *pb.EntitySelector {
	return &pb.EntitySelector{Selector: &pb.EntitySelector_Name{Name: name}, Type: t}
}

// ByID selects the entity with this IRI ("ng:e/state/united_states").
func ByID(id string) *pb.EntitySelector {
	return &pb.EntitySelector{Selector: &pb.EntitySelector_Id{Id: id}}
}

// Select reads ref as the newsgraph command line does: an IRI when it starts with
// "ng:", else a name of type t (ENTITY_TYPE_UNSPECIFIED: any type).
func Select(ref string, t pb.EntityType) *pb.EntitySelector {
	if strings.HasPrefix(ref, "ng:") {
		return ByID(ref)
	}
	return ByTypedName(ref, t)
}

// describe names a selected entity in an error: its IRI, or its quoted name and type.
func describe(s *pb.EntitySelector) string {
	switch {
	case s == nil || s.GetSelector() == nil:
		return "(no entity)"
	case s.GetId() != "":
		return s.GetId()
	}
	d := fmt.Sprintf("%q", s.GetName())
	if t := s.GetType(); t != pb.EntityType_ENTITY_TYPE_UNSPECIFIED {
		d += " (" + strings.ToLower(strings.TrimPrefix(t.String(), "ENTITY_TYPE_")) + ")"
	}
	return d
}

// wrap wraps a call's error with what was asked; nil stays nil.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("client: "+format+": %w", append(args, err)...)
}

// Entity returns the entity sel selects, with its aliases and mentions. An unknown
// entity is codes.NotFound.
func (c *Client) Entity(ctx context.Context, sel *pb.EntitySelector) (*pb.Entity, error) {
	resp, err := c.svc.GetEntity(ctx, &pb.GetEntityRequest{Entity: sel})
	if err != nil {
		return nil, wrap(err, "entity %s", describe(sel))
	}
	return resp.GetEntity(), nil
}

// Search returns the entities whose name or alias matches req.Query, best match first
// (ties broken by the number of articles that mention them); at most req.Limit (0: the
// server's default, 20).
func (c *Client) Search(ctx context.Context, req *pb.SearchEntitiesRequest) ([]*pb.Entity, error) {
	resp, err := c.svc.SearchEntities(ctx, req)
	if err != nil {
		return nil, wrap(err, "search %q", req.GetQuery())
	}
	return resp.GetEntities(), nil
}

// RelationsPage returns one page of the relations of req.Entity: the first, or the one
// req.PageToken names; its NextPageToken fetches the next ("" on the last).
func (c *Client) RelationsPage(ctx context.Context, req *pb.ListRelationsRequest) (*pb.ListRelationsResponse, error) {
	resp, err := c.svc.ListRelations(ctx, req)
	return resp, wrap(err, "relations of %s", describe(req.GetEntity()))
}

// Relations iterates over the relations of req.Entity, each with its evidence, from
// the page req.PageToken names (empty: the first) to the last, fetching each page as
// the loop reaches it (req.PageSize relations a call; 0: the server's default, 50).
// An unknown entity is codes.NotFound.
func (c *Client) Relations(ctx context.Context, req *pb.ListRelationsRequest) iter.Seq2[*pb.Relation, error] {
	return pages(ctx, req, c.RelationsPage, (*pb.ListRelationsRequest).GetPageToken,
		func(r *pb.ListRelationsRequest, t string) { r.PageToken = t }, (*pb.ListRelationsResponse).GetRelations)
}

// BetweenPage returns one page of the relations linking req.Entity and req.Other.
func (c *Client) BetweenPage(ctx context.Context, req *pb.GetRelationsBetweenRequest) (*pb.GetRelationsBetweenResponse, error) {
	resp, err := c.svc.GetRelationsBetween(ctx, req)
	return resp, wrap(err, "relations between %s and %s", describe(req.GetEntity()), describe(req.GetOther()))
}

// Between iterates over the relations linking req.Entity and req.Other (in either
// direction unless req.Direction says), page by page as Relations does.
func (c *Client) Between(ctx context.Context, req *pb.GetRelationsBetweenRequest) iter.Seq2[*pb.Relation, error] {
	return pages(ctx, req, c.BetweenPage, (*pb.GetRelationsBetweenRequest).GetPageToken,
		func(r *pb.GetRelationsBetweenRequest, t string) { r.PageToken = t }, (*pb.GetRelationsBetweenResponse).GetRelations)
}

// TimelinePage returns one page of the events of req.Entity in event-date order.
func (c *Client) TimelinePage(ctx context.Context, req *pb.GetTimelineRequest) (*pb.GetTimelineResponse, error) {
	resp, err := c.svc.GetTimeline(ctx, req)
	return resp, wrap(err, "timeline of %s", describe(req.GetEntity()))
}

// Timeline iterates over the events of req.Entity by event date (oldest first unless
// req.NewestFirst; undated events last), page by page as Relations does.
func (c *Client) Timeline(ctx context.Context, req *pb.GetTimelineRequest) iter.Seq2[*pb.TimelineEvent, error] {
	return pages(ctx, req, c.TimelinePage, (*pb.GetTimelineRequest).GetPageToken,
		func(r *pb.GetTimelineRequest, t string) { r.PageToken = t }, (*pb.GetTimelineResponse).GetEvents)
}

// pager is a response with a next page token.
type pager interface{ GetNextPageToken() string }

// pages iterates over the items of the pages of req: it fetches a page, yields its
// items, and fetches the next with the page's next token until a page has none. The
// request is cloned, not changed.
func pages[Req proto.Message, Resp pager, Item any](ctx context.Context, req Req,
	page func(context.Context, Req) (Resp, error), token func(Req) string, setToken func(Req, string), items func(Resp) []Item,
) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		r := proto.Clone(req).(Req)
		seen := map[string]bool{token(r): true}
		for {
			resp, err := page(ctx, r)
			if err != nil {
				var zero Item
				yield(zero, err)
				return
			}
			for _, it := range items(resp) {
				if !yield(it, nil) {
					return
				}
			}
			next := resp.GetNextPageToken()
			if next == "" {
				return
			}
			if seen[next] { // a server that hands the same token back would loop forever
				var zero Item
				yield(zero, fmt.Errorf("client: page token %q came back twice: the server's paging is broken", next))
				return
			}
			seen[next] = true
			setToken(r, next)
		}
	}
}

// Paths returns up to req.K shortest paths from req.From to req.To, shortest first,
// every hop with its evidence. No path within the limits is an empty list; Truncated
// says a limit stopped the search after the paths returned (there may be more). An
// unknown entity is codes.NotFound; a search whose node budget ran out before it found
// any path is codes.ResourceExhausted.
func (c *Client) Paths(ctx context.Context, req *pb.FindPathsRequest) (*pb.FindPathsResponse, error) {
	resp, err := c.svc.FindPaths(ctx, req)
	return resp, wrap(err, "paths from %s to %s", describe(req.GetFrom()), describe(req.GetTo()))
}

// StreamPaths finds the paths Paths finds and yields each message of the server's
// stream as it arrives: each carries a path, shortest first, except a last one with
// Truncated set and no path when a limit stopped the search after some paths (when it
// stopped it before any, the stream fails with codes.ResourceExhausted). Breaking out
// of the loop cancels the stream.
func (c *Client) StreamPaths(ctx context.Context, req *pb.FindPathsRequest) iter.Seq2[*pb.StreamPathsResponse, error] {
	return func(yield func(*pb.StreamPathsResponse, error) bool) {
		what := func(err error) error {
			return wrap(err, "paths from %s to %s", describe(req.GetFrom()), describe(req.GetTo()))
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := c.svc.StreamPaths(ctx, &pb.StreamPathsRequest{Query: req})
		if err != nil {
			yield(nil, what(err))
			return
		}
		for {
			m, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(nil, what(err))
				return
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}

// Neighbourhood returns the subgraph around req.Entity up to req.Depth hops: its
// entities (the centre first) and the direct edges between them; Truncated says
// req.MaxNodes or a server limit cut it.
func (c *Client) Neighbourhood(ctx context.Context, req *pb.GetNeighbourhoodRequest) (*pb.GetNeighbourhoodResponse, error) {
	resp, err := c.svc.GetNeighbourhood(ctx, req)
	return resp, wrap(err, "neighbourhood of %s", describe(req.GetEntity()))
}

// Stats counts what the graph holds: articles, entities, relations, statements, quads.
func (c *Client) Stats(ctx context.Context) (*pb.GetStatsResponse, error) {
	resp, err := c.svc.GetStats(ctx, &pb.GetStatsRequest{})
	return resp, wrap(err, "stats")
}

// Export iterates over the chunks (at most 64 KiB each) of an export of the graph, or
// of the neighbourhood of req.Entity, in req.Format (N-Quads, GraphML or DOT): the
// chunks concatenated are the file. The whole graph is read in batches that never hold
// up loads; it is not a snapshot. Breaking out of the loop cancels the stream.
func (c *Client) Export(ctx context.Context, req *pb.ExportGraphRequest) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		what := func(err error) error {
			if req.GetEntity() == nil {
				return wrap(err, "export of the graph")
			}
			return wrap(err, "export of the neighbourhood of %s", describe(req.GetEntity()))
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := c.svc.ExportGraph(ctx, req)
		if err != nil {
			yield(nil, what(err))
			return
		}
		for {
			m, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				yield(nil, what(err))
				return
			}
			if !yield(m.GetChunk(), nil) {
				return
			}
		}
	}
}

// ExportTo writes the export Export streams to w and returns the bytes written. A
// failed export may have written part of the file.
func (c *Client) ExportTo(ctx context.Context, w io.Writer, req *pb.ExportGraphRequest) (int64, error) {
	var n int64
	for chunk, err := range c.Export(ctx, req) {
		if err != nil {
			return n, err
		}
		k, err := w.Write(chunk)
		n += int64(k)
		if err != nil {
			return n, fmt.Errorf("client: export: write: %w", err)
		}
	}
	return n, nil
}

// Delete removes the article with this id and the facts that only it supports, and
// says how many quads went. An unknown id is codes.NotFound.
func (c *Client) Delete(ctx context.Context, articleID string) (*pb.DeleteArticleResponse, error) {
	resp, err := c.svc.DeleteArticle(ctx, &pb.DeleteArticleRequest{ArticleId: articleID})
	return resp, wrap(err, "delete article %q", articleID)
}
