package server

import (
	"context"
	"fmt"

	"github.com/newsgraph/newsgraph/graph"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// resolveCandidates is how many exact matches of a name are weighed to pick the most
// mentioned one.
const resolveCandidates = 50

// resolve finds the entity a selector names; field names the selector in errors. A
// name matches names and aliases exactly (ignoring case and diacritics); of several
// matches the one mentioned by the most articles wins, the store's first on a tie.
func (s *Server) resolve(ctx context.Context, field string, sel *pb.EntitySelector) (*graph.Entity, error) {
	if id, ok := sel.GetSelector().(*pb.EntitySelector_Id); ok {
		e, err := s.store.Entity(ctx, id.Id)
		if err != nil {
			return nil, fmt.Errorf("%s.id: entity %s: %w", field, quote(id.Id), err)
		}
		return e, nil
	}
	name := sel.GetName()
	es, err := s.store.SearchEntities(ctx, nameQuery(name, sel.GetType(), resolveCandidates))
	if err != nil {
		return nil, fmt.Errorf("%s.name: resolve %s: %w", field, quote(name), err)
	}
	if len(es) == 0 {
		kind := "entity"
		if t := sel.GetType(); t != pb.EntityType_ENTITY_TYPE_UNSPECIFIED {
			kind = "entity of type " + t.String()
		}
		return nil, fmt.Errorf("%s.name: no %s is named %s: %w", field, kind, quote(name), graph.ErrNotFound)
	}
	best := 0
	for i := range es {
		if es[i].Mentions > es[best].Mentions {
			best = i
		}
	}
	return &es[best], nil
}

// GetEntity implements NewsGraphService.GetEntity.
func (s *Server) GetEntity(ctx context.Context, req *pb.GetEntityRequest) (_ *pb.GetEntityResponse, err error) {
	defer s.edge(ctx, "GetEntity", &err)
	if err := s.cfg.validateGetEntity(req); err != nil {
		return nil, err
	}
	e, err := s.resolve(ctx, "entity", req.GetEntity())
	if err != nil {
		return nil, err
	}
	return &pb.GetEntityResponse{Entity: entityToProto(e)}, nil
}

// SearchEntities implements NewsGraphService.SearchEntities.
func (s *Server) SearchEntities(ctx context.Context, req *pb.SearchEntitiesRequest) (_ *pb.SearchEntitiesResponse, err error) {
	defer s.edge(ctx, "SearchEntities", &err)
	if err := s.cfg.validateSearchEntities(req); err != nil {
		return nil, err
	}
	q := searchQueryFromProto(req, s.cfg.Limits)
	es, err := s.store.SearchEntities(ctx, q)
	if err != nil {
		return nil, err
	}
	if len(es) > q.Limit {
		es = es[:q.Limit]
	}
	return &pb.SearchEntitiesResponse{Entities: entitiesToProto(es)}, nil
}

// ListRelations implements NewsGraphService.ListRelations.
func (s *Server) ListRelations(ctx context.Context, req *pb.ListRelationsRequest) (_ *pb.ListRelationsResponse, err error) {
	defer s.edge(ctx, "ListRelations", &err)
	if err := s.cfg.validateListRelations(req); err != nil {
		return nil, err
	}
	e, err := s.resolve(ctx, "entity", req.GetEntity())
	if err != nil {
		return nil, err
	}
	q := relationQueryFromProto(filterOfList(req), e.ID, "", s.cfg.Limits)
	page, err := s.store.Relations(ctx, q)
	if err != nil {
		return nil, pageTokenError(req.GetPageToken(), err)
	}
	return &pb.ListRelationsResponse{
		Relations:     relationsToProto(page.Relations, q.MaxEvidence),
		NextPageToken: page.NextPageToken,
	}, nil
}

// GetRelationsBetween implements NewsGraphService.GetRelationsBetween.
func (s *Server) GetRelationsBetween(ctx context.Context, req *pb.GetRelationsBetweenRequest) (_ *pb.GetRelationsBetweenResponse, err error) {
	defer s.edge(ctx, "GetRelationsBetween", &err)
	if err := s.cfg.validateGetRelationsBetween(req); err != nil {
		return nil, err
	}
	a, err := s.resolve(ctx, "entity", req.GetEntity())
	if err != nil {
		return nil, err
	}
	b, err := s.resolve(ctx, "other", req.GetOther())
	if err != nil {
		return nil, err
	}
	q := relationQueryFromProto(filterOfBetween(req), a.ID, b.ID, s.cfg.Limits)
	page, err := s.store.Relations(ctx, q)
	if err != nil {
		return nil, pageTokenError(req.GetPageToken(), err)
	}
	return &pb.GetRelationsBetweenResponse{
		Relations:     relationsToProto(page.Relations, q.MaxEvidence),
		NextPageToken: page.NextPageToken,
	}, nil
}

// FindPaths implements NewsGraphService.FindPaths.
func (s *Server) FindPaths(ctx context.Context, req *pb.FindPathsRequest) (_ *pb.FindPathsResponse, err error) {
	defer s.edge(ctx, "FindPaths", &err)
	if err := s.cfg.validateFindPaths(req); err != nil {
		return nil, err
	}
	from, err := s.resolve(ctx, "from", req.GetFrom())
	if err != nil {
		return nil, err
	}
	to, err := s.resolve(ctx, "to", req.GetTo())
	if err != nil {
		return nil, err
	}
	if err := checkPathEnds("to", req.GetTo(), from, to); err != nil {
		return nil, err
	}
	q := pathQueryFromProto(req, from.ID, to.ID, s.cfg.Limits)
	resp := &pb.FindPathsResponse{}
	info, err := s.store.StreamPaths(ctx, q, func(p graph.Path) error {
		if len(resp.Paths) < q.K {
			resp.Paths = append(resp.Paths, pathToProto(p, q.MaxEvidence))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	resp.Truncated = info.Truncated
	return resp, nil
}

// StreamPaths implements NewsGraphService.StreamPaths: each path is sent as soon as
// the store settles it.
func (s *Server) StreamPaths(req *pb.StreamPathsRequest, stream pb.NewsGraphService_StreamPathsServer) (err error) {
	ctx := stream.Context()
	defer s.edge(ctx, "StreamPaths", &err)
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.DefaultTimeout)
		defer cancel()
	}
	if err := s.cfg.validateStreamPaths(req); err != nil {
		return err
	}
	r := req.GetQuery()
	from, err := s.resolve(ctx, "query.from", r.GetFrom())
	if err != nil {
		return err
	}
	to, err := s.resolve(ctx, "query.to", r.GetTo())
	if err != nil {
		return err
	}
	if err := checkPathEnds("query.to", r.GetTo(), from, to); err != nil {
		return err
	}
	q := pathQueryFromProto(r, from.ID, to.ID, s.cfg.Limits)
	sent := 0
	info, err := s.store.StreamPaths(ctx, q, func(p graph.Path) error {
		if sent >= q.K {
			return nil
		}
		sent++
		return stream.Send(&pb.StreamPathsResponse{Path: pathToProto(p, q.MaxEvidence)})
	})
	if err != nil {
		return err
	}
	if info.Truncated {
		return stream.Send(&pb.StreamPathsResponse{Truncated: true})
	}
	return nil
}

// GetNeighbourhood implements NewsGraphService.GetNeighbourhood.
func (s *Server) GetNeighbourhood(ctx context.Context, req *pb.GetNeighbourhoodRequest) (_ *pb.GetNeighbourhoodResponse, err error) {
	defer s.edge(ctx, "GetNeighbourhood", &err)
	if err := s.cfg.validateGetNeighbourhood(req); err != nil {
		return nil, err
	}
	e, err := s.resolve(ctx, "entity", req.GetEntity())
	if err != nil {
		return nil, err
	}
	g, err := s.store.Neighbourhood(ctx, neighbourhoodQueryFromProto(req, e.ID, s.cfg.Limits))
	if err != nil {
		return nil, err
	}
	return subgraphToProto(g), nil
}

// DeleteArticle implements NewsGraphService.DeleteArticle.
func (s *Server) DeleteArticle(ctx context.Context, req *pb.DeleteArticleRequest) (_ *pb.DeleteArticleResponse, err error) {
	defer s.edge(ctx, "DeleteArticle", &err)
	if err := s.cfg.validateDeleteArticle(req); err != nil {
		return nil, err
	}
	n, err := s.store.DeleteArticle(ctx, req.GetArticleId())
	if err != nil {
		return nil, fmt.Errorf("article_id: %w", err)
	}
	return &pb.DeleteArticleResponse{QuadsRemoved: int64(n)}, nil
}

// GetStats implements NewsGraphService.GetStats.
func (s *Server) GetStats(ctx context.Context, _ *pb.GetStatsRequest) (_ *pb.GetStatsResponse, err error) {
	defer s.edge(ctx, "GetStats", &err)
	st, err := s.store.Stats(ctx)
	if err != nil {
		return nil, err
	}
	return statsToProto(st), nil
}
